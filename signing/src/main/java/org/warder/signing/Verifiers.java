package org.warder.signing;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.openssl.PEMParser;

/**
 * Signature verification for the TUF key types: {@code ed25519} (what warder signs with), and for
 * interoperability with other TUF repositories {@code ecdsa-sha2-nistp256} and {@code
 * rsassa-pss-sha256} with PEM public keys. Stateless and thread-safe.
 */
public final class Verifiers {
  private Verifiers() {}

  /** Whether warder can check signatures made with this key's type and scheme. */
  public static boolean isSupported(Key key) {
    return switch (key.scheme()) {
      case "ed25519" -> key.keytype().equals("ed25519");
      case "ecdsa-sha2-nistp256" ->
          key.keytype().equals("ecdsa") || key.keytype().equals("ecdsa-sha2-nistp256");
      case "rsassa-pss-sha256" -> key.keytype().equals("rsa");
      default -> false;
    };
  }

  /**
   * Whether {@code signatureHex} is a valid signature by {@code key} over {@code message}. A
   * malformed signature, an unparsable key or an unsupported scheme is simply not valid: one bad
   * signature must never make otherwise well-signed metadata fail.
   */
  public static boolean verify(Key key, byte[] message, String signatureHex) {
    if (!isSupported(key)) {
      return false;
    }
    byte[] signature;
    try {
      signature = HexFormat.of().parseHex(signatureHex);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (signature.length == 0) {
      return false;
    }
    return switch (key.scheme()) {
      case "ed25519" -> verifyEd25519(key.publicValue(), message, signature);
      case "ecdsa-sha2-nistp256" -> verifyEcdsa(key, message, signature);
      default -> verifyRsaPss(key, message, signature);
    };
  }

  private static boolean verifyEd25519(String publicHex, byte[] message, byte[] signature) {
    byte[] raw;
    try {
      raw = HexFormat.of().parseHex(publicHex);
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (raw.length != Ed25519PublicKeyParameters.KEY_SIZE
        || signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
      return false;
    }
    Ed25519PublicKeyParameters publicKey;
    try {
      publicKey = new Ed25519PublicKeyParameters(raw, 0);
    } catch (IllegalArgumentException e) {
      return false; // 32 bytes that are not an acceptable curve point (BouncyCastle checks)
    }
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, publicKey);
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(signature);
  }

  private static boolean verifyRsaPss(Key key, byte[] message, byte[] signature) {
    Optional<PublicKey> publicKey = pemPublicKey(key.publicValue(), "RSA");
    if (publicKey.isEmpty() || !(publicKey.get() instanceof RSAPublicKey rsa)) {
      return false;
    }
    if (rsa.getModulus().bitLength() < 2048) {
      return false; // the spec requires RSA keys of at least 2048 bits
    }
    // Signers pick the salt length: securesystemslib uses the digest length, others the maximum.
    int emLen = (rsa.getModulus().bitLength() - 1 + 7) / 8;
    for (int salt : new int[] {32, emLen - 32 - 2}) {
      try {
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, salt, 1));
        s.initVerify(rsa);
        s.update(message);
        if (s.verify(signature)) {
          return true;
        }
      } catch (GeneralSecurityException e) {
        // try the next salt length; a signature that fails every one is invalid
      }
    }
    return false;
  }

  private static boolean verifyEcdsa(Key key, byte[] message, byte[] signature) {
    Optional<PublicKey> publicKey = pemPublicKey(key.publicValue(), "EC");
    if (publicKey.isEmpty()) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initVerify(publicKey.get());
      s.update(message);
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // malformed DER signature: not valid
    }
  }

  private static Optional<PublicKey> pemPublicKey(String pem, String algorithm) {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object parsed = parser.readObject();
      if (!(parsed instanceof SubjectPublicKeyInfo info)) {
        return Optional.empty();
      }
      return Optional.of(
          KeyFactory.getInstance(algorithm)
              .generatePublic(new X509EncodedKeySpec(info.getEncoded())));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
