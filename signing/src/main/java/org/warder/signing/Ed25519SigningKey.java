package org.warder.signing;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** An Ed25519 private key held in memory (BouncyCastle). Thread-safe. */
public final class Ed25519SigningKey implements Signer {
  private final Ed25519PrivateKeyParameters privateKey;
  private final Key publicKey;

  Ed25519SigningKey(Ed25519PrivateKeyParameters privateKey) {
    this.privateKey = privateKey;
    this.publicKey = Key.ed25519(privateKey.generatePublicKey().getEncoded());
  }

  /** A new random key. */
  public static Ed25519SigningKey generate() {
    return new Ed25519SigningKey(new Ed25519PrivateKeyParameters(new SecureRandom()));
  }

  /** The key whose 32-byte seed is {@code seed} (test fixtures and interop checks). */
  public static Ed25519SigningKey fromSeed(byte[] seed) {
    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException(
          "expected a 32-byte Ed25519 seed, found " + seed.length + " bytes");
    }
    return new Ed25519SigningKey(new Ed25519PrivateKeyParameters(seed, 0));
  }

  @Override
  public Key publicKey() {
    return publicKey;
  }

  @Override
  public byte[] sign(byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey);
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  /** The 32-byte seed; only for writing the encrypted key file. */
  byte[] seed() {
    return privateKey.getEncoded();
  }

  Ed25519PrivateKeyParameters parameters() {
    return privateKey;
  }
}
