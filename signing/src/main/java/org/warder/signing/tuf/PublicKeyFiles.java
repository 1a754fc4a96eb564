package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.warder.signing.AtomicFiles;
import org.warder.signing.CanonicalJson;
import org.warder.signing.Key;
import org.warder.signing.MalformedJsonException;
import org.warder.signing.StrictJson;
import org.warder.signing.Verifiers;

/**
 * Public key files, the way a publisher hands a key to a registry owner. What {@link #write}
 * produces, and what {@code warder key generate} writes:
 *
 * <pre>
 * {"key":{"keytype":"ed25519","keyval":{"public":"&lt;64 hex digits&gt;"},"scheme":"ed25519"},"keyid":"&lt;sha256 hex&gt;"}
 * </pre>
 *
 * {@link #read} also accepts a bare TUF key object ({@code {"keytype":..., "scheme":...,
 * "keyval":{"public":...}}}). When a {@code keyid} is given it must be the key's TUF keyid (the
 * sha256 of the key object's canonical JSON). Thread-safe.
 */
public final class PublicKeyFiles {
  /** Larger files are refused: a key file is a few hundred bytes. */
  public static final int MAX_LENGTH = 64 * 1024;

  private static final Pattern ED25519_PUBLIC = Pattern.compile("[0-9a-f]{64}");

  private PublicKeyFiles() {}

  /** Reads the public key in {@code file}, in either accepted form. */
  public static Key read(Path file) throws IOException, TufException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_LENGTH + 1);
    }
    if (bytes.length > MAX_LENGTH) {
      throw new MetadataFormatException(
          "public key file "
              + file
              + " is larger than "
              + MAX_LENGTH
              + " bytes; expected one TUF key object");
    }
    ObjectNode json;
    try {
      json = StrictJson.parseObject(bytes);
    } catch (MalformedJsonException e) {
      throw new MetadataFormatException(
          "public key file " + file + " is not valid JSON: " + e.getMessage(), e);
    }
    String where = "public key file " + file;
    Key key;
    if (json.has("key")) {
      Fields f = new Fields(json, where);
      key = Keys.fromJson(f.require("key"), where + ": key");
      if (f.has("keyid")) {
        String declared = f.string("keyid");
        if (!declared.equals(key.keyId())) {
          throw new KeyIdMismatchException(where, declared, key.keyId());
        }
      }
    } else {
      key = Keys.fromJson(json, where);
    }
    if (!Verifiers.isSupported(key)) {
      throw new MetadataFormatException(
          where
              + ": expected keytype and scheme ed25519 (or ecdsa-sha2-nistp256, rsassa-pss-sha256),"
              + " found keytype \""
              + key.keytype()
              + "\" scheme \""
              + key.scheme()
              + "\"");
    }
    if (key.scheme().equals("ed25519") && !ED25519_PUBLIC.matcher(key.publicValue()).matches()) {
      throw new MetadataFormatException(
          where
              + ": expected keyval.public as 64 lower-case hex digits (a 32-byte Ed25519 key), found \""
              + key.publicValue()
              + "\"");
    }
    return key;
  }

  /** The file content for {@code key}: {@code {"key":{...},"keyid":"..."}} in canonical JSON. */
  public static byte[] toBytes(Key key) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.set("key", key.json());
    out.put("keyid", key.keyId());
    try {
      return (new String(CanonicalJson.encode(out), StandardCharsets.UTF_8) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (MalformedJsonException e) {
      throw new IllegalStateException("key cannot be canonicalised: " + e.getMessage(), e);
    }
  }

  /** Writes {@code key} to {@code file} atomically (mode 0644), replacing it. */
  public static void write(Key key, Path file) throws IOException {
    AtomicFiles.write(file, toBytes(key));
  }
}
