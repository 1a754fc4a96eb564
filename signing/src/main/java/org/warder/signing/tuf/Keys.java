package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.warder.signing.Key;

/**
 * Reading of TUF key objects and of keyid-to-key maps, refusing keyids that are not the hash of
 * their key.
 */
public final class Keys {
  private Keys() {}

  /** Reads a key object; fields other than the three TUF requires are kept. */
  public static Key fromJson(JsonNode node, String path) throws MetadataFormatException {
    Fields f = new Fields(node, path);
    String keytype = f.string("keytype");
    String scheme = f.string("scheme");
    String publicValue = f.object("keyval").string("public");
    return new Key(keytype, scheme, publicValue, f.raw());
  }

  static Map<String, Key> read(Map<String, JsonNode> entries, String path, String role)
      throws TufException {
    Map<String, Key> keys = new LinkedHashMap<>();
    Set<String> publicValues = new HashSet<>();
    for (Map.Entry<String, JsonNode> e : entries.entrySet()) {
      Key key = fromJson(e.getValue(), path + "." + e.getKey());
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
