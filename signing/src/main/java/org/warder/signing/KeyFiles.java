package org.warder.signing;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.ScryptConfig;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEInputDecryptorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Private key files: PKCS#8 {@code ENCRYPTED PRIVATE KEY} PEM, PBES2 with scrypt (N=2^17, r=8, p=1)
 * and AES-256-CBC, the format {@code openssl pkcs8 -topk8 -scrypt} writes (those files are read
 * here). OpenSSL 3.0's {@code pkcs8} and {@code pkey} commands cap scrypt at 32 MiB of memory, so
 * they refuse to decrypt these files (N=2^17, r=8 needs 128 MiB); {@code openssl kdf} with {@code
 * maxmem_bytes} and {@code openssl enc} can. Files are written atomically with mode 0600, never
 * over an existing key, and a key file that its group or others can read or write is refused
 * ({@link InsecureFileException}). Thread-safe.
 */
public final class KeyFiles {
  private static final Provider BC = new BouncyCastleProvider();
  private static final String PEM_TYPE = "ENCRYPTED PRIVATE KEY";

  /** The scrypt work factor of a key file. */
  public enum Cost {
    /** N=2^17: for passphrases people choose and type. */
    STRONG(1 << 17),
    /** N=2^14: only for random, machine-generated passphrases of full entropy (online keys). */
    GENERATED_PASSPHRASE(1 << 14);

    private final int n;

    Cost(int n) {
      this.n = n;
    }
  }

  private KeyFiles() {}

  /** Writes {@code key} to a new file {@code file}, encrypted with {@code passphrase}. */
  public static void write(Ed25519SigningKey key, Path file, char[] passphrase)
      throws IOException, SigningException {
    write(key, file, passphrase, Cost.STRONG);
  }

  /** Writes {@code key} to a new file, encrypted with {@code passphrase} at scrypt {@code cost}. */
  public static void write(Ed25519SigningKey key, Path file, char[] passphrase, Cost cost)
      throws IOException, SigningException {
    if (passphrase.length == 0) {
      throw new SigningException("refusing to write " + file + " with an empty passphrase");
    }
    byte[] der;
    try {
      // A version 1 PrivateKeyInfo (RFC 5208) holding only the seed, as OpenSSL writes Ed25519
      // keys. BouncyCastle's PrivateKeyInfoFactory adds the RFC 5958 publicKey field (version 2),
      // which OpenSSL 3.0 cannot decode.
      PrivateKeyInfo info =
          new PrivateKeyInfo(
              new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
              new DEROctetString(key.seed()));
      der =
          new PKCS8EncryptedPrivateKeyInfoBuilder(info)
              .build(
                  new JcePKCSPBEOutputEncryptorBuilder(
                          new ScryptConfig.Builder(cost.n, 8, 1).withSaltLength(16).build(),
                          NISTObjectIdentifiers.id_aes256_CBC)
                      .setProvider(BC)
                      .build(passphrase))
              .getEncoded();
    } catch (OperatorCreationException e) {
      throw new SigningException("cannot encrypt the private key: " + e.getMessage(), e);
    }
    AtomicFiles.write(
        file,
        out -> {
          // Flush, do not close: the stream belongs to AtomicFiles, which still has to fsync it.
          PemWriter pem = new PemWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII));
          pem.writeObject(new PemObject(PEM_TYPE, der));
          pem.flush();
        },
        AtomicFiles.OWNER_ONLY,
        false);
  }

  /** Reads and decrypts the key in {@code file}, refusing a file others can read. */
  public static Ed25519SigningKey read(Path file, char[] passphrase)
      throws IOException, KeyFileException {
    PrivateFiles.requireOwnerOnly(file, "private key file");
    Object parsed;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      parsed = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new MalformedKeyFileException(file, "unreadable PEM (" + e.getMessage() + ")");
    }
    if (!(parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted)) {
      throw new MalformedKeyFileException(
          file, parsed == null ? "no PEM block" : "a " + parsed.getClass().getSimpleName());
    }
    PrivateKeyInfo info;
    try {
      info =
          encrypted.decryptPrivateKeyInfo(
              new JcePKCSPBEInputDecryptorProviderBuilder().setProvider(BC).build(passphrase));
    } catch (PKCSException | RuntimeException e) {
      throw new WrongPassphraseException(file, e);
    }
    AsymmetricKeyParameter key;
    try {
      key = PrivateKeyFactory.createKey(info);
    } catch (IOException | RuntimeException e) {
      throw new MalformedKeyFileException(file, "an undecodable private key");
    }
    if (!(key instanceof Ed25519PrivateKeyParameters ed25519)) {
      throw new MalformedKeyFileException(
          file, "a " + info.getPrivateKeyAlgorithm().getAlgorithm() + " key");
    }
    return new Ed25519SigningKey(ed25519);
  }
}
