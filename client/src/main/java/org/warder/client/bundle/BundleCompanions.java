package org.warder.client.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.warder.signing.AtomicFiles;
import org.warder.signing.CanonicalJson;
import org.warder.signing.Key;
import org.warder.signing.MalformedJsonException;
import org.warder.signing.Signer;
import org.warder.signing.SigningException;
import org.warder.signing.StrictJson;
import org.warder.signing.Verifiers;

/**
 * The files beside a bundle: {@code BUNDLE.sha256}, its sha256 in lower-case hex and its file name
 * as {@code sha256sum -c} checks them ({@code <hex> <name>}; a bare hex line as iocage and Bastille
 * write it, and FreeBSD's {@code sha256 FILE} line, are read too), and {@code BUNDLE.sig}, a
 * detached Ed25519 signature in the TUF envelope style:
 *
 * <pre>
 * {"signatures":[{"keyid":"...","sig":"..."}],"signed":{"_type":"warder-bundle","length":N,"sha256":"..."}}
 * </pre>
 *
 * The signature covers the canonical JSON of {@code signed}. Both companions are written with mode
 * 0644 while the bundle itself is 0600: they hold only a digest and a signature of it, which reveal
 * nothing of the jail's files, and whoever receives a copy of the bundle must be able to read them
 * to check it. Stateless.
 */
public final class BundleCompanions {
  private static final int MAX_COMPANION = 64 * 1024;
  private static final Pattern HEX =
      Pattern.compile("(?<![0-9A-Fa-f])([0-9A-Fa-f]{64})(?![0-9A-Fa-f])");
  private static final String TYPE = "warder-bundle";

  private BundleCompanions() {}

  /** {@code BUNDLE.sha256}. */
  public static Path sha256File(Path bundle) {
    return bundle.resolveSibling(bundle.getFileName() + ".sha256");
  }

  /** {@code BUNDLE.sig}. */
  public static Path signatureFile(Path bundle) {
    return bundle.resolveSibling(bundle.getFileName() + ".sig");
  }

  /**
   * Writes {@code BUNDLE.sha256} atomically, one line {@code sha256sum -c} checks in the bundle's
   * directory: {@code <hex> <bundle's file name>}.
   */
  public static void writeSha256(Path bundle, String sha256) throws IOException {
    AtomicFiles.write(
        sha256File(bundle),
        (sha256 + "  " + bundle.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The sha256 a companion file (or a {@code --sha256} argument) names. */
  private static String parseSha256(String text, String where) throws BadBundleException {
    Matcher m = HEX.matcher(text);
    if (!m.find()) {
      throw new BadBundleException(
          where
              + ": expected a sha256 (64 hex digits), found \""
              + text.strip().replaceAll("\\s+", " ")
              + "\"");
    }
    return m.group(1).toLowerCase(java.util.Locale.ROOT);
  }

  /** Reads a {@code .sha256} companion. */
  public static String readSha256(Path file) throws IOException, BadBundleException {
    return parseSha256(new String(readCapped(file), StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Signs a bundle of {@code sha256} and {@code length} with {@code signer}; writes {@code
   * BUNDLE.sig} atomically.
   */
  public static void writeSignature(Path bundle, String sha256, long length, Signer signer)
      throws IOException, SigningException {
    ObjectNode signed = signed(sha256, length);
    ObjectNode envelope = StrictJson.mapper().createObjectNode();
    envelope
        .putArray("signatures")
        .addObject()
        .put("keyid", signer.keyId())
        .put("sig", HexFormat.of().formatHex(signer.sign(canonical(signed))));
    envelope.set("signed", signed);
    AtomicFiles.write(signatureFile(bundle), canonical(envelope));
  }

  /**
   * Checks that {@code signatureFile} signs a bundle of {@code sha256} and {@code length} with one
   * of {@code trusted}; returns the keyid that signed it.
   *
   * @throws BundleSignatureException if it is malformed, signs other bytes, or no trusted key made
   *     it
   */
  public static String verifySignature(
      Path signatureFile, String sha256, long length, List<Key> trusted)
      throws IOException, BundleSignatureException {
    JsonNode envelope;
    try {
      envelope = StrictJson.parseObject(readCapped(signatureFile));
    } catch (MalformedJsonException e) {
      throw new BundleSignatureException(
          signatureFile + " is not a bundle signature: " + e.getMessage(), e);
    }
    JsonNode signed = envelope.path("signed");
    if (!signed.isObject()
        || !TYPE.equals(signed.path("_type").asText())
        || !envelope.path("signatures").isArray()) {
      throw new BundleSignatureException(
          "expected "
              + signatureFile
              + " to hold a warder bundle signature"
              + " ({\"signed\":{\"_type\":\""
              + TYPE
              + "\",...},\"signatures\":[...]}), found something else");
    }
    if (signed.size() != 3
        || !signed.path("length").isIntegralNumber()
        || signed.path("length").asLong() != length
        || !sha256.equals(signed.path("sha256").asText())) {
      throw new BundleSignatureException(
          signatureFile
              + " signs another bundle (sha256 "
              + signed.path("sha256").asText()
              + ", "
              + signed.path("length").asText()
              + " bytes) than this one (sha256 "
              + sha256
              + ", "
              + length
              + " bytes); the bundle or its signature was altered or they do not belong together");
    }
    byte[] message = canonical((ObjectNode) signed);
    List<String> keyids = new java.util.ArrayList<>();
    for (JsonNode s : envelope.get("signatures")) {
      String keyid = s.path("keyid").asText();
      keyids.add(keyid);
      Optional<Key> key = trusted.stream().filter(k -> k.keyId().equals(keyid)).findFirst();
      if (key.isPresent() && Verifiers.verify(key.get(), message, s.path("sig").asText())) {
        return keyid;
      }
    }
    throw new BundleSignatureException(
        "expected a signature by a key this host trusts, found "
            + (keyids.isEmpty()
                ? "no signature"
                : "signature(s) by " + String.join(", ", keyids) + " that no trusted key verifies")
            + " in "
            + signatureFile
            + "; trust the signer's public key with 'warder key trust FILE' (or --trusted-key FILE) if you know it");
  }

  private static ObjectNode signed(String sha256, long length) {
    ObjectNode signed = StrictJson.mapper().createObjectNode();
    signed.put("_type", TYPE).put("length", length).put("sha256", sha256);
    return signed;
  }

  private static byte[] canonical(ObjectNode node) {
    try {
      return CanonicalJson.encode(node);
    } catch (MalformedJsonException e) {
      throw new IllegalStateException(
          "a document of strings and integers is always canonical JSON", e);
    }
  }

  private static byte[] readCapped(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_COMPANION + 1);
      if (bytes.length > MAX_COMPANION) {
        throw new IOException(
            file + " is larger than " + MAX_COMPANION + " bytes; it is not a bundle companion");
      }
      return bytes;
    }
  }
}
