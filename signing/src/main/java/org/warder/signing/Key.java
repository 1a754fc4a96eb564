package org.warder.signing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;

/**
 * A TUF public key object ({@code keytype}, {@code scheme}, {@code keyval.public}), kept with its
 * full JSON so that fields warder does not know still count in the keyid.
 *
 * @param json the key object exactly as read or built; its canonical form defines the keyid
 */
public record Key(String keytype, String scheme, String publicValue, ObjectNode json) {

  public Key {
    json = json.deepCopy();
  }

  /** The TUF key object of a raw 32-byte Ed25519 public key. */
  public static Key ed25519(byte[] raw) {
    String hex = HexFormat.of().formatHex(raw);
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("keytype", "ed25519");
    json.put("scheme", "ed25519");
    json.putObject("keyval").put("public", hex);
    return new Key("ed25519", "ed25519", hex, json);
  }

  /** {@code hex(sha256(canonical JSON of the key object))}, as TUF defines the keyid. */
  public String keyId() {
    try {
      return Digests.sha256Hex(CanonicalJson.encode(json));
    } catch (MalformedJsonException e) {
      // Keys are read by the strict reader or built here, so they are always canonicalisable.
      throw new IllegalStateException("key object cannot be canonicalised: " + e.getMessage(), e);
    }
  }

  /** A copy of the key object. */
  @Override
  public ObjectNode json() {
    return json.deepCopy();
  }
}
