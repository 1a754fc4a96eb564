package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
 * A TUF metadata envelope: the typed {@code signed} value, the canonical JSON of {@code signed}
 * exactly as read (unknown fields included: signatures cover them), and the signatures. The JSON
 * tree of {@code signed} is not kept: a client holds many of these (one per targets role, each with
 * thousands of targets), and the canonical bytes are all the signatures and the files need. Values
 * are immutable.
 *
 * @param <T> the role type
 */
public final class Metadata<T extends Signed> {
  private final T signed;
  private final byte[] canonical;
  private final List<Signature> signatures;

  /**
   * Metadata of {@code signed} whose JSON is {@code signedJson} (which may carry fields {@code
   * signed} does not model), with {@code signatures}.
   *
   * @throws IllegalArgumentException {@code signedJson} has a value canonical JSON cannot represent
   */
  public Metadata(T signed, ObjectNode signedJson, List<Signature> signatures) {
    this(signed, canonical(signedJson), signatures);
  }

  private Metadata(T signed, byte[] canonical, List<Signature> signatures) {
    this.signed = signed;
    this.canonical = canonical;
    this.signatures = List.copyOf(signatures);
  }

  private static byte[] canonical(ObjectNode signedJson) {
    try {
      return CanonicalJson.encode(signedJson);
    } catch (MalformedJsonException e) {
      throw new IllegalArgumentException(
          "signed part cannot be canonicalised: " + e.getMessage(), e);
    }
  }

  /** New, unsigned metadata for {@code signed}. */
  public static <T extends Signed> Metadata<T> of(T signed) {
    return new Metadata<>(signed, signed.toJson(), List.of());
  }

  /** The typed {@code signed} value. */
  public T signed() {
    return signed;
  }

  /** The signatures, in file order. */
  public List<Signature> signatures() {
    return signatures;
  }

  /** The JSON of {@code signed} as signed, unknown fields included: a new tree on each call. */
  public ObjectNode signedJson() {
    try {
      return StrictJson.parseObject(CanonicalJson.asJson(canonical));
    } catch (MalformedJsonException e) {
      throw new IllegalStateException("canonical JSON did not read back: " + e.getMessage(), e);
    }
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
    byte[] canonical;
    try {
      canonical = CanonicalJson.encode(signedFields.raw());
    } catch (MalformedJsonException e) {
      // the strict reader refuses what canonical JSON cannot represent; kept as a refusal anyway
      throw new MetadataFormatException(
          role + " metadata has no canonical form: " + e.getMessage(), e);
    }
    return new Metadata<>(type.cast(signed), canonical, signatures);
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

  /** The canonical bytes that signatures cover (a copy). */
  public byte[] canonicalSigned() {
    return canonical.clone();
  }

  /** {@link #canonicalSigned}, not copied: for verifying, which only reads it. */
  byte[] signedBytes() {
    return canonical;
  }

  /** This metadata with a signature by each signer added, replacing older ones by the same key. */
  public Metadata<T> signedBy(List<? extends Signer> signers) throws SigningException {
    List<Signature> out = new ArrayList<>(signatures);
    for (Signer signer : signers) {
      String keyid = signer.keyId();
      out.removeIf(s -> s.keyid().equals(keyid));
      out.add(new Signature(keyid, HexFormat.of().formatHex(signer.sign(canonical))));
    }
    return new Metadata<>(signed, canonical, out);
  }

  /** This metadata with exactly {@code replacement} as its signatures (ceremonies, tests). */
  public Metadata<T> withSignatures(List<Signature> replacement) {
    return new Metadata<>(signed, canonical, replacement);
  }

  /**
   * The whole file as canonical JSON bytes, with control characters in strings escaped so that the
   * file is valid JSON for every reader (the signatures cover {@link #canonicalSigned}).
   */
  public byte[] toBytes() {
    ArrayNode sigs = JsonNodeFactory.instance.arrayNode();
    for (Signature s : signatures) {
      sigs.addObject().put("keyid", s.keyid()).put("sig", s.sig());
    }
    byte[] signaturesJson;
    try {
      signaturesJson = CanonicalJson.encodeAsJson(sigs);
    } catch (MalformedJsonException e) {
      throw new IllegalStateException("signatures cannot be canonicalised: " + e.getMessage(), e);
    }
    // The envelope's keys in canonical order: "signatures" sorts before "signed".
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(canonical.length + signaturesJson.length + 32);
    out.writeBytes("{\"signatures\":".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(signaturesJson);
    out.writeBytes(",\"signed\":".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(CanonicalJson.asJson(canonical));
    out.write('}');
    return out.toByteArray();
  }
}
