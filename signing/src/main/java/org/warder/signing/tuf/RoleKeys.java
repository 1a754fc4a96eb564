package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;

/** The keys a top-level role trusts and how many of them must sign. */
public record RoleKeys(List<String> keyids, int threshold) {

  public RoleKeys {
    keyids = List.copyOf(keyids);
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be at least 1, found " + threshold);
    }
  }

  static RoleKeys fromJson(JsonNode node, String path) throws MetadataFormatException {
    Fields f = new Fields(node, path);
    List<String> keyids = f.strings("keyids");
    if (new HashSet<>(keyids).size() != keyids.size()) {
      throw new MetadataFormatException(
          "expected distinct keyids at " + path + ".keyids, found " + keyids);
    }
    long threshold = f.integer("threshold", 1);
    if (threshold > Integer.MAX_VALUE) {
      throw new MetadataFormatException("threshold too large at " + path + ": " + threshold);
    }
    return new RoleKeys(keyids, (int) threshold);
  }

  ObjectNode toJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    keyids.forEach(out.putArray("keyids")::add);
    out.put("threshold", threshold);
    return out;
  }
}
