package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Reading of keyid-to-key maps, refusing keyids that are not the hash of their key. */
final class Keys {
  private Keys() {}

  static Map<String, Key> read(Map<String, JsonNode> entries, String path, String role)
      throws TufException {
    Map<String, Key> keys = new LinkedHashMap<>();
    Set<String> publicValues = new HashSet<>();
    for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
      Key key = Key.fromJson(e.getValue(), path + "." + e.getKey());
      String computed = key.keyId();
      if (!computed.equals(e.getKey())) {
        throw new KeyIdMismatchException(role, e.getKey(), computed);
      }
      if (!publicValues.add(key.keytype() + ":" + key.publicValue())) {
        throw new MetadataFormatException(
            role
                + " metadata lists one public key under several keyids at "
                + path
                + "; refusing it (threshold inflation)");
      }
      keys.put(e.getKey(), key);
    }
    return keys;
  }
}
