package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.warder.signing.Key;

/** Root metadata: the keys and thresholds of the four top-level roles. */
public record Root(
    String specVersion,
    long version,
    Instant expires,
    boolean consistentSnapshot,
    Map<String, Key> keys,
    Map<String, RoleKeys> roles)
    implements Signed {

  public Root {
    keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    for (RoleType t : RoleType.values()) {
      if (!roles.containsKey(t.value())) {
        throw new IllegalArgumentException("root must define the role " + t.value());
      }
    }
  }

  @Override
  public RoleType type() {
    return RoleType.ROOT;
  }

  /** The keys and threshold of a top-level role. */
  public RoleKeys role(RoleType type) {
    return roles.get(type.value());
  }

  /** This root with another version and expiry (the next root of a rotation). */
  public Root next(Instant newExpires) {
    return new Root(specVersion, version + 1, newExpires, consistentSnapshot, keys, roles);
  }

  static Root fromJson(Fields f) throws TufException {
    Map<String, Key> keys = Keys.read(f.entries("keys"), f.path() + ".keys", "root");
    Map<String, RoleKeys> roles = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : f.entries("roles").entrySet()) {
      roles.put(e.getKey(), RoleKeys.fromJson(e.getValue(), f.path() + ".roles." + e.getKey()));
    }
    for (RoleType t : RoleType.values()) {
      if (!roles.containsKey(t.value())) {
        throw new MetadataFormatException(
            "expected the role \""
                + t.value()
                + "\" at "
                + f.path()
                + ".roles, found "
                + roles.keySet());
      }
    }
    return new Root(
        f.specVersion(),
        f.integer("version", 1),
        f.expires(),
        f.bool("consistent_snapshot"),
        keys,
        roles);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode out = commonJson();
    out.put("consistent_snapshot", consistentSnapshot);
    ObjectNode k = out.putObject("keys");
    keys.forEach((id, key) -> k.set(id, key.json()));
    ObjectNode r = out.putObject("roles");
    roles.forEach((name, role) -> r.set(name, role.toJson()));
    return out;
  }
}
