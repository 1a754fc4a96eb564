package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.warder.signing.Key;

/** The {@code delegations} of a targets role: the keys it vouches for and the ordered roles. */
public record Delegations(Map<String, Key> keys, List<DelegatedRole> roles) {
  private static final Set<String> TOP_LEVEL = Set.of("root", "targets", "snapshot", "timestamp");

  public Delegations {
    keys = Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    roles = List.copyOf(roles);
  }

  /** The delegated role called {@code name}, if this delegates to it. */
  public Optional<DelegatedRole> role(String name) {
    return roles.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  static Delegations fromJson(JsonNode node, String path, String role) throws TufException {
    Fields f = new Fields(node, path);
    if (!f.has("roles")) {
      throw new MetadataFormatException(
          "expected \"roles\" at " + path + " (succinct hash-bin delegations are not supported)");
    }
    Map<String, Key> keys = Keys.read(f.entries("keys"), path + ".keys", role);
    List<DelegatedRole> roles = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<JsonNode> items = f.array("roles");
    for (int i = 0; i < items.size(); i++) {
      DelegatedRole r = DelegatedRole.fromJson(items.get(i), path + ".roles[" + i + "]");
      if (!names.add(r.name())) {
        throw new MetadataFormatException(
            "delegated role \"" + r.name() + "\" appears twice at " + path);
      }
      if (TOP_LEVEL.contains(r.name())) {
        throw new MetadataFormatException(
            "a delegated role cannot be called \"" + r.name() + "\" (a top-level role) at " + path);
      }
      roles.add(r);
    }
    return new Delegations(keys, roles);
  }

  ObjectNode toJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ObjectNode k = out.putObject("keys");
    keys.forEach((id, key) -> k.set(id, key.json()));
    com.fasterxml.jackson.databind.node.ArrayNode r = out.putArray("roles");
    roles.forEach(role -> r.add(role.toJson()));
    return out;
  }
}
