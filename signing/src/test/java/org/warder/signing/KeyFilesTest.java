package org.warder.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.util.ScryptConfig;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.warder.signing.testing.ExternalTools;

/**
 * Encrypted key files: round trip, file mode, refusals, and a cross-check with OpenSSL in both
 * directions. Each scrypt operation at warder's cost (N=2^17, r=8) takes about half a second, so
 * one file is written for the whole class and only four such operations run.
 */
class KeyFilesTest {
  /** Non-ASCII, so that the passphrase-to-bytes conversion (UTF-8) is checked against OpenSSL. */
  private static final char[] PASSPHRASE = "correct horse \u00e9 \u2603 battery".toCharArray();

  private static final HexFormat HEX = HexFormat.of();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final byte[] ED25519_SPKI_PREFIX = HEX.parseHex("302a300506032b6570032100");
  private static final byte[] ED25519_PKCS8_V1_PREFIX =
      HEX.parseHex("302e020100300506032b657004220420");

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static Ed25519SigningKey original;
  private static Path keyFile;

  @BeforeAll
  static void writeOneKeyFile() throws Exception {
    original = Ed25519SigningKey.generate();
    keyFile = shared.resolve("not/yet/existing/signer.pem");
    KeyFiles.write(original, keyFile, PASSPHRASE);
  }

  private Path copyWithMode(String mode) throws IOException {
    Path copy = tmp.resolve("copy.pem");
    Files.copy(keyFile, copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(mode));
    return copy;
  }

  private Path privateFile(String name, byte[] content) throws IOException {
    Path file = tmp.resolve(name);
    Files.write(file, content);
    Files.setPosixFilePermissions(file, OWNER_ONLY);
    return file;
  }

  private static byte[] utf8(char[] chars) {
    return new String(chars).getBytes(StandardCharsets.UTF_8);
  }

  // round trip and file format

  @Test
  void testRead_roundTripGivesAKeyThatSignsVerifiably() throws Exception {
    Ed25519SigningKey read = KeyFiles.read(keyFile, PASSPHRASE);
    assertThat(read.seed()).isEqualTo(original.seed());
    assertThat(read.publicKey()).isEqualTo(original.publicKey());
    assertThat(read.keyId()).isEqualTo(original.keyId());
    byte[] message = "{\"signed\":{\"version\":1}}".getBytes(StandardCharsets.UTF_8);
    byte[] sig = read.sign(message);
    assertThat(Verifiers.verify(original.publicKey(), message, HEX.formatHex(sig))).isTrue();
    assertThat(sig).as("Ed25519 is deterministic").isEqualTo(original.sign(message));
  }

  @Test
  void testWrite_fileModeIsExactlyOwnerReadWrite() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(keyFile.getParent())) {
      assertThat(files).as("no temporary file left behind").containsExactly(keyFile);
    }
  }

  @Test
  void testWrite_writesEncryptedPkcs8Pem() throws Exception {
    String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
    assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
    assertThat(pem).endsWith("-----END ENCRYPTED PRIVATE KEY-----\n");
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    assertThat(indexOf(der, original.seed())).as("the seed must not appear in clear").isNegative();
    assertThat(pem).doesNotContain(HEX.formatHex(original.seed()));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    return -1;
  }

  // refusals before any decryption

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rw-r--r--",
        "rw-r-----",
        "rw----r--",
        "rw--w----",
        "rw-----w-",
        "rw---x---",
        "rw------x",
        "rwxrwxrwx",
        "r--r-----"
      })
  void testRead_refusesGroupOrWorldAccessibleFile(String mode) throws Exception {
    Path copy = copyWithMode(mode);
    byte[] before = Files.readAllBytes(copy);
    assertThatThrownBy(() -> KeyFiles.read(copy, PASSPHRASE))
        .isInstanceOfSatisfying(
            InsecureFileException.class, e -> assertThat(e.file()).isEqualTo(copy))
        .hasMessageContaining(copy.toString())
        .hasMessageContaining(mode)
        .hasMessageContaining("chmod 600 " + copy);
    assertThat(Files.readAllBytes(copy)).isEqualTo(before);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)))
        .as("the mode is reported, not silently changed")
        .isEqualTo(mode);
  }

  @Test
  void testWrite_refusesEmptyPassphrase() throws Exception {
    Path target = tmp.resolve("empty.pem");
    assertThatThrownBy(() -> KeyFiles.write(original, target, new char[0]))
        .isInstanceOf(SigningException.class)
        .hasMessageContaining("empty passphrase")
        .hasMessageContaining(target.toString());
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void testWrite_refusesToOverwriteAndLeavesTheFileUnchanged() throws Exception {
    byte[] before = Files.readAllBytes(keyFile);
    FileTime modified = Files.getLastModifiedTime(keyFile);
    assertThatThrownBy(() -> KeyFiles.write(Ed25519SigningKey.generate(), keyFile, PASSPHRASE))
        .isInstanceOf(FileAlreadyExistsException.class)
        .hasMessageContaining(keyFile.toString());
    assertThat(Files.readAllBytes(keyFile)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(keyFile)).isEqualTo(modified);
    assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(OWNER_ONLY);
    try (Stream<Path> files = Files.list(keyFile.getParent())) {
      assertThat(files).as("no temporary file left behind").containsExactly(keyFile);
    }
  }

  // decryption failures

  @Test
  void testRead_wrongPassphrase() throws Exception {
    // Differs from PASSPHRASE only in the high byte of one UTF-16 unit (U+2603 vs U+2703): a
    // conversion that kept only the low byte of each char would wrongly accept it.
    char[] wrong = PASSPHRASE.clone();
    int snowman = new String(PASSPHRASE).indexOf('\u2603');
    wrong[snowman] = '\u2703';
    assertThatThrownBy(() -> KeyFiles.read(keyFile, wrong))
        .isInstanceOfSatisfying(
            WrongPassphraseException.class, e -> assertThat(e.file()).isEqualTo(keyFile))
        .hasMessageContaining(keyFile.toString())
        .hasMessageContaining("wrong passphrase")
        .hasMessageNotContaining("horse");
  }

  static Stream<Arguments> malformed() throws Exception {
    byte[] publicPem =
        ("-----BEGIN PUBLIC KEY-----\n"
                + Base64.getEncoder().encodeToString(concat(ED25519_SPKI_PREFIX, new byte[32]))
                + "\n-----END PUBLIC KEY-----\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] plainPkcs8 =
        ("-----BEGIN PRIVATE KEY-----\n"
                + Base64.getEncoder().encodeToString(concat(ED25519_PKCS8_V1_PREFIX, new byte[32]))
                + "\n-----END PRIVATE KEY-----\n")
            .getBytes(StandardCharsets.US_ASCII);
    return Stream.of(
        Arguments.of("empty file", new byte[0]),
        Arguments.of("text", "not a key\n".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("binary garbage", new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10}),
        Arguments.of("unencrypted PKCS#8 private key", plainPkcs8),
        Arguments.of("public key", publicPem),
        Arguments.of(
            "bad base64",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\n!!!!\n-----END ENCRYPTED PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.US_ASCII)),
        Arguments.of(
            "base64 that is not DER",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAAAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.US_ASCII)),
        Arguments.of(
            "unterminated PEM",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIG8MFgGCSqGSIb3DQEFDTBLMCoGCSsGAQQB2kcECzAdBBBjcjMpN3E8vFLJfQ/3\n"
                .getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void testRead_refusesWhatIsNotAnEncryptedKey(String name, byte[] content) throws Exception {
    Path file = privateFile("malformed.pem", content);
    assertThatThrownBy(() -> KeyFiles.read(file, PASSPHRASE))
        .isInstanceOfSatisfying(
            MalformedKeyFileException.class, e -> assertThat(e.file()).isEqualTo(file))
        .hasMessageContaining("expected " + file + " to hold an ENCRYPTED PRIVATE KEY")
        .hasMessageContaining("found");
  }

  @Test
  void testRead_refusesTruncatedCopyOfARealKeyFile() throws Exception {
    byte[] whole = Files.readAllBytes(keyFile);
    Path file = privateFile("truncated.pem", Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> KeyFiles.read(file, PASSPHRASE))
        .isInstanceOf(MalformedKeyFileException.class);
  }

  /** PKCS#8 encrypted with cheap scrypt parameters, so that reads cost nothing. */
  private static byte[] encryptedPem(PrivateKeyInfo info, char[] passphrase) throws Exception {
    byte[] der =
        new PKCS8EncryptedPrivateKeyInfoBuilder(info)
            .build(
                new JcePKCSPBEOutputEncryptorBuilder(
                        new ScryptConfig.Builder(1024, 8, 1).withSaltLength(16).build(),
                        NISTObjectIdentifiers.id_aes256_CBC)
                    .setProvider(new BouncyCastleProvider())
                    .build(passphrase))
            .getEncoded();
    return ("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END ENCRYPTED PRIVATE KEY-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void testRead_refusesEncryptedKeyOfAnotherType() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair ec = generator.generateKeyPair();
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded());
    Path file = privateFile("ec.pem", encryptedPem(info, PASSPHRASE));
    assertThatThrownBy(() -> KeyFiles.read(file, PASSPHRASE))
        .isInstanceOf(MalformedKeyFileException.class)
        .hasMessageContaining("1.2.840.10045.2.1"); // id-ecPublicKey
  }

  @Test
  void testRead_takesScryptParametersFromTheFile() throws Exception {
    Ed25519SigningKey key = Ed25519SigningKey.generate();
    PrivateKeyInfo info =
        new PrivateKeyInfo(
            new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
            new DEROctetString(key.seed()));
    Path file = privateFile("cheap.pem", encryptedPem(info, PASSPHRASE));
    assertThat(KeyFiles.read(file, PASSPHRASE).publicKey()).isEqualTo(key.publicKey());
    assertThatThrownBy(() -> KeyFiles.read(file, "correct horse".toCharArray()))
        .isInstanceOf(WrongPassphraseException.class);
  }

  // OpenSSL cross-checks

  /** One primitive of {@code openssl asn1parse} output: its depth, type and value. */
  private record Asn1(int depth, String type, String value) {}

  private static final Pattern ASN1_LINE =
      Pattern.compile("^\\s*\\d+:d=(\\d+)\\s+hl=\\d+\\s+l=\\s*\\d+\\s+prim:\\s+(.*?)\\s*:(.*)$");

  private static List<Asn1> asn1parse(Path pem) {
    String text =
        new String(
            ExternalTools.runOpenssl(new byte[0], "asn1parse", "-in", pem.toString()),
            StandardCharsets.US_ASCII);
    List<Asn1> prims = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = ASN1_LINE.matcher(line);
      if (m.matches()) {
        prims.add(
            new Asn1(
                Integer.parseInt(m.group(1)),
                m.group(2).replace("[HEX DUMP]", "").trim(),
                m.group(3)));
      }
    }
    return prims;
  }

  /**
   * OpenSSL 3.0's {@code pkey}/{@code pkcs8} refuse scrypt with N=2^17, r=8 (128 MiB against their
   * 32 MiB cap), so the file is decrypted with OpenSSL's own scrypt ({@code openssl kdf}, given the
   * memory) and AES ({@code openssl enc}), and the resulting PKCS#8 is read by {@code openssl
   * pkey}: none of Java's code takes part.
   */
  @Test
  void testWrite_fileDecryptsWithOpensslToTheSameKey() throws Exception {
    List<Asn1> p = asn1parse(keyFile);
    assertThat(p)
        .extracting(Asn1::type)
        .containsExactly(
            "OBJECT",
            "OBJECT",
            "OCTET STRING",
            "INTEGER",
            "INTEGER",
            "INTEGER",
            "OBJECT",
            "OCTET STRING",
            "OCTET STRING");
    assertThat(p.get(0).value()).isEqualTo("PBES2");
    assertThat(p.get(1).value()).isEqualTo("scrypt");
    String salt = p.get(2).value();
    assertThat(salt).as("16-byte salt").hasSize(32);
    assertThat(Integer.parseInt(p.get(3).value(), 16)).as("scrypt N").isEqualTo(1 << 17);
    assertThat(Integer.parseInt(p.get(4).value(), 16)).as("scrypt r").isEqualTo(8);
    assertThat(Integer.parseInt(p.get(5).value(), 16)).as("scrypt p").isEqualTo(1);
    assertThat(p.get(6).value()).isEqualTo("aes-256-cbc");
    String iv = p.get(7).value();
    assertThat(iv).hasSize(32);
    assertThat(p.get(8).depth()).isEqualTo(1);
    byte[] ciphertext = HEX.parseHex(p.get(8).value().toLowerCase(Locale.ROOT));

    String aesKey =
        new String(
                ExternalTools.runOpenssl(
                    new byte[0],
                    "kdf",
                    "-keylen",
                    "32",
                    "-kdfopt",
                    "hexpass:" + HEX.formatHex(utf8(PASSPHRASE)),
                    "-kdfopt",
                    "hexsalt:" + salt,
                    "-kdfopt",
                    "n:131072",
                    "-kdfopt",
                    "r:8",
                    "-kdfopt",
                    "p:1",
                    "-kdfopt",
                    "maxmem_bytes:" + (256L << 20),
                    "SCRYPT"),
                StandardCharsets.US_ASCII)
            .replace(":", "")
            .trim();
    assertThat(aesKey).hasSize(64);
    byte[] pkcs8 =
        ExternalTools.runOpenssl(ciphertext, "enc", "-d", "-aes-256-cbc", "-K", aesKey, "-iv", iv);
    Path der = tmp.resolve("decrypted.der");
    Files.write(der, pkcs8);
    byte[] spki =
        ExternalTools.runOpenssl(
            new byte[0],
            "pkey",
            "-inform",
            "DER",
            "-in",
            der.toString(),
            "-pubout",
            "-outform",
            "DER");
    assertThat(spki)
        .isEqualTo(concat(ED25519_SPKI_PREFIX, HEX.parseHex(original.publicKey().publicValue())));
    byte[] reencoded =
        ExternalTools.runOpenssl(
            new byte[0], "pkey", "-inform", "DER", "-in", der.toString(), "-outform", "DER");
    assertThat(reencoded)
        .as("a plain version 1 PKCS#8 of the seed")
        .isEqualTo(concat(ED25519_PKCS8_V1_PREFIX, original.seed()));
    assertThat(pkcs8).isEqualTo(reencoded);
  }

  /**
   * A key that OpenSSL generated and encrypted ({@code openssl pkcs8 -topk8 -scrypt}, its default
   * N=2^14) reads in Java to the same public key, and what Java signs with it OpenSSL verifies.
   */
  @Test
  void testRead_opensslEncryptedKeySignsWhatOpensslVerifies() throws Exception {
    Path plain = tmp.resolve("plain.pem");
    Path encrypted = tmp.resolve("openssl.pem");
    Path pub = tmp.resolve("pub.pem");
    Path pass = tmp.resolve("pass.txt");
    Files.write(pass, (new String(PASSPHRASE) + "\n").getBytes(StandardCharsets.UTF_8));
    ExternalTools.runOpenssl(
        new byte[0], "genpkey", "-algorithm", "ed25519", "-out", plain.toString());
    ExternalTools.runOpenssl(
        new byte[0],
        "pkcs8",
        "-topk8",
        "-scrypt",
        "-in",
        plain.toString(),
        "-passout",
        "file:" + pass,
        "-out",
        encrypted.toString());
    ExternalTools.runOpenssl(
        new byte[0], "pkey", "-in", plain.toString(), "-pubout", "-out", pub.toString());
    byte[] spki =
        ExternalTools.runOpenssl(
            new byte[0], "pkey", "-in", plain.toString(), "-pubout", "-outform", "DER");
    Files.setPosixFilePermissions(encrypted, OWNER_ONLY);

    Ed25519SigningKey key = KeyFiles.read(encrypted, PASSPHRASE);
    assertThat(concat(ED25519_SPKI_PREFIX, HEX.parseHex(key.publicKey().publicValue())))
        .isEqualTo(spki);

    Path message = tmp.resolve("message");
    Path sig = tmp.resolve("sig");
    Files.write(message, "{\"signed\":{\"_type\":\"root\"}}".getBytes(StandardCharsets.UTF_8));
    Files.write(sig, key.sign(Files.readAllBytes(message)));
    String[] verify = {
      "pkeyutl",
      "-verify",
      "-pubin",
      "-inkey",
      pub.toString(),
      "-rawin",
      "-in",
      message.toString(),
      "-sigfile",
      sig.toString()
    };
    assertThat(ExternalTools.tryOpenssl(new byte[0], verify).exitCode())
        .as("OpenSSL verifies")
        .isZero();
    byte[] bad = Files.readAllBytes(sig);
    bad[0] ^= 1;
    Files.write(sig, bad);
    assertThat(ExternalTools.tryOpenssl(new byte[0], verify).exitCode())
        .as("flipped signature")
        .isNotZero();

    char[] wrong = PASSPHRASE.clone();
    wrong[wrong.length - 1] = 'X';
    assertThatThrownBy(() -> KeyFiles.read(encrypted, wrong))
        .isInstanceOf(WrongPassphraseException.class);
  }
}
