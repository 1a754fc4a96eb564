package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Targets metadata (top-level or delegated): signed target files and further delegations. */
public record Targets(
    String specVersion,
    long version,
    Instant expires,
    Map<String, TargetFile> targets,
    Optional<Delegations> delegations)
    implements Signed {

  public Targets {
    targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
  }

  @Override
  public RoleType type() {
    return RoleType.TARGETS;
  }

  static Targets fromJson(Fields f, String role) throws TufException {
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : f.entries("targets").entrySet()) {
      targets.put(
          e.getKey(),
          TargetFile.fromJson(
              e.getKey(), e.getValue(), f.path() + ".targets[\"" + e.getKey() + "\"]"));
    }
    Optional<Delegations> delegations =
        f.has("delegations")
            ? Optional.of(
                Delegations.fromJson(f.require("delegations"), f.path() + ".delegations", role))
            : Optional.empty();
    return new Targets(f.specVersion(), f.integer("version", 1), f.expires(), targets, delegations);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode out = commonJson();
    ObjectNode t = out.putObject("targets");
    targets.forEach((path, file) -> t.set(path, file.toJson()));
    delegations.ifPresent(d -> out.set("delegations", d.toJson()));
    return out;
  }
}
