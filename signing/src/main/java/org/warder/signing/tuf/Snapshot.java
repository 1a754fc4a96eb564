package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Snapshot metadata: the version (and optionally hash) of every targets metadata file. */
public record Snapshot(
    String specVersion, long version, Instant expires, Map<String, MetaFile> meta)
    implements Signed {

  public Snapshot {
    meta = Collections.unmodifiableMap(new LinkedHashMap<>(meta));
  }

  @Override
  public RoleType type() {
    return RoleType.SNAPSHOT;
  }

  static Snapshot fromJson(Fields f) throws TufException {
    Map<String, MetaFile> meta = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : f.entries("meta").entrySet()) {
      meta.put(
          e.getKey(), MetaFile.fromJson(e.getValue(), f.path() + ".meta[\"" + e.getKey() + "\"]"));
    }
    return new Snapshot(f.specVersion(), f.integer("version", 1), f.expires(), meta);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode out = commonJson();
    ObjectNode m = out.putObject("meta");
    meta.forEach((name, file) -> m.set(name, file.toJson()));
    return out;
  }
}
