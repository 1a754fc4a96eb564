package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.warder.signing.CanonicalJson;
import org.warder.signing.MalformedJsonException;
import org.warder.signing.Signer;
import org.warder.signing.SigningException;
import org.warder.signing.StrictJson;

/**
 * A TUF metadata envelope: the typed {@code signed} value, the {@code signed} JSON exactly as read
 * (unknown fields included: signatures cover them), and the signatures.
 *
 * @param <T> the role type
 */
public record Metadata<T extends Signed>(
    T signed, ObjectNode signedJson, List<Signature> signatures) {

  public Metadata {
    signedJson = signedJson.deepCopy();
    signatures = List.copyOf(signatures);
  }

  /** New, unsigned metadata for {@code signed}. */
  public static <T extends Signed> Metadata<T> of(T signed) {
    return new Metadata<>(signed, signed.toJson(), List.of());
  }

  /**
   * Parses a metadata file strictly, requiring {@code _type} to match {@code type}.
   *
   * @param role the role name, for messages (a delegated role's name for targets)
   */
  public static <T extends Signed> Metadata<T> parse(byte[] bytes, Class<T> type, String role)
      throws TufException {
    ObjectNode envelope;
    try {
      envelope = StrictJson.parseObject(bytes);
    } catch (MalformedJsonException e) {
      throw new MetadataFormatException(role + " metadata is not valid JSON: " + e.getMessage(), e);
    }
    Fields top = new Fields(envelope, role);
    Fields signedFields = top.object("signed");
    String found = signedFields.string("_type");
    RoleType expected = roleTypeOf(type);
    if (!found.equals(expected.value())) {
      throw new WrongMetadataTypeException(expected.value(), found);
    }
    Signed signed =
        switch (expected) {
          case ROOT -> Root.fromJson(signedFields);
          case TARGETS -> Targets.fromJson(signedFields, role);
          case SNAPSHOT -> Snapshot.fromJson(signedFields);
          case TIMESTAMP -> Timestamp.fromJson(signedFields);
        };
    List<Signature> signatures = new ArrayList<>();
    Set<String> keyids = new HashSet<>();
    List<JsonNode> items = top.array("signatures");
    for (int i = 0; i < items.size(); i++) {
      Fields s = new Fields(items.get(i), role + ".signatures[" + i + "]");
      Signature signature = new Signature(s.string("keyid"), s.string("sig"));
      if (!keyids.add(signature.keyid())) {
        throw new DuplicateSignatureException(signature.keyid());
      }
      signatures.add(signature);
    }
    return new Metadata<>(type.cast(signed), signedFields.raw(), signatures);
  }

  private static RoleType roleTypeOf(Class<? extends Signed> type) {
    if (type == Root.class) {
      return RoleType.ROOT;
    } else if (type == Targets.class) {
      return RoleType.TARGETS;
    } else if (type == Snapshot.class) {
      return RoleType.SNAPSHOT;
    }
    return RoleType.TIMESTAMP;
  }

  /** The canonical bytes that signatures cover. */
  public byte[] canonicalSigned() {
    try {
      return CanonicalJson.encode(signedJson);
    } catch (MalformedJsonException e) {
      // signedJson came from the strict reader or from our own records
      throw new IllegalStateException("signed part cannot be canonicalised: " + e.getMessage(), e);
    }
  }

  /** This metadata with a signature by each signer added, replacing older ones by the same key. */
  public Metadata<T> signedBy(List<? extends Signer> signers) throws SigningException {
    byte[] message = canonicalSigned();
    List<Signature> out = new ArrayList<>(signatures);
    for (Signer signer : signers) {
      String keyid = signer.keyId();
      out.removeIf(s -> s.keyid().equals(keyid));
      out.add(new Signature(keyid, HexFormat.of().formatHex(signer.sign(message))));
    }
    return new Metadata<>(signed, signedJson, out);
  }

  /** This metadata with exactly {@code replacement} as its signatures (ceremonies, tests). */
  public Metadata<T> withSignatures(List<Signature> replacement) {
    return new Metadata<>(signed, signedJson, replacement);
  }

  /**
   * The whole file as canonical JSON bytes, with control characters in strings escaped so that the
   * file is valid JSON for every reader (the signatures cover {@link #canonicalSigned}).
   */
  public byte[] toBytes() {
    ObjectNode envelope = JsonNodeFactory.instance.objectNode();
    ArrayNode sigs = envelope.putArray("signatures");
    for (Signature s : signatures) {
      sigs.addObject().put("keyid", s.keyid()).put("sig", s.sig());
    }
    envelope.set("signed", signedJson.deepCopy());
    try {
      return CanonicalJson.encodeAsJson(envelope);
    } catch (MalformedJsonException e) {
      throw new IllegalStateException("metadata cannot be canonicalised: " + e.getMessage(), e);
    }
  }
}
