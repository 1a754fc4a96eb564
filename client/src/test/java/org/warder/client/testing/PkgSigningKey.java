package org.warder.client.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.warder.signing.Digests;

/**
 * An RSA key that signs pkg catalogues the way FreeBSD's official repositories are signed: {@code
 * pkg repo DIR signing_command: SCRIPT}, the script answering pkg's checksum with a SIGNATURE and
 * the CERT (the PEM public key) that pkg hashes into the fingerprint it looks up under {@code
 * fingerprints/REPO/trusted} (and {@code revoked}). Made with {@code openssl}.
 */
public final class PkgSigningKey {
  private final Path script;
  private final String publicPem;

  private PkgSigningKey(Path script, String publicPem) {
    this.script = script;
    this.publicPem = publicPem;
  }

  /** Generates a 2048-bit key and its signing script under {@code dir/name}. */
  public static PkgSigningKey generate(Path dir, String name)
      throws IOException, InterruptedException {
    Path home = Files.createDirectories(dir.resolve(name));
    Path key = home.resolve("repo.key");
    Path pub = home.resolve("repo.pub");
    openssl(List.of("genrsa", "-out", key.toString(), "2048"));
    openssl(List.of("rsa", "-in", key.toString(), "-pubout", "-out", pub.toString()));
    Path script = home.resolve("sign.sh");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "# pkg repo's signing_command: reads the checksum, answers its signature and the key\n"
            + "read -r sum; [ -n \"$sum\" ] || exit 1\n"
            + "echo SIGNATURE\n"
            + "printf %s \"$sum\" | openssl dgst -sign '"
            + key
            + "' -sha256 -binary\n"
            + "echo\necho CERT\ncat '"
            + pub
            + "'\necho END\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return new PkgSigningKey(script, Files.readString(pub));
  }

  /** The signing command to give {@code pkg repo}. */
  public Path signingCommand() {
    return script;
  }

  /** What a manifest's fingerprints entry names: the sha256 of the PEM public key, in hex. */
  public String fingerprint() {
    return Digests.sha256Hex(publicPem.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A well-formed fingerprint of this key that pkg does not look up: the sha256 of its DER bytes
   * instead of its PEM text (a publisher hashing the wrong file).
   */
  public String derFingerprint() {
    String body =
        publicPem
            .replace("-----BEGIN PUBLIC KEY-----", "")
            .replace("-----END PUBLIC KEY-----", "")
            .replaceAll("\\s", "");
    return Digests.sha256Hex(Base64.getDecoder().decode(body));
  }

  /** A trusted or revoked file of pkg's fingerprints directory for this key. */
  public String fingerprintFile() {
    return "function: \"sha256\"\nfingerprint: \"" + fingerprint() + "\"\n";
  }

  private static void openssl(List<String> args) throws IOException, InterruptedException {
    List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
    argv.addAll(args);
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(1, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out);
    }
  }
}
