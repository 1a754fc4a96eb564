package org.warder.signing;

/** Something that holds a private key and signs bytes with it. Implementations are thread-safe. */
public interface Signer {
  /** The public half, as a TUF key object. */
  Key publicKey();

  /** The raw signature over {@code message}. */
  byte[] sign(byte[] message) throws SigningException;

  /** The TUF keyid of {@link #publicKey()}. */
  default String keyId() {
    return publicKey().keyId();
  }
}
