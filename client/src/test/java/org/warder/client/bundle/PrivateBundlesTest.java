package org.warder.client.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.TestHost;
import org.warder.signing.PrivateFiles;

/**
 * An exported bundle holds a jail's files, its 0600 master.passwd among them: it is created
 * readable by its owner only, whatever the umask, and so are the directories warder makes for it.
 * Secret files someone hands to export or key generation (passphrase, key) are refused when others
 * can read them.
 */
class PrivateBundlesTest {
  static final String NAME = "web";
  @TempDir Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  /** A jail holding a password database only root may read. */
  private static void makeJail(TestHost host) throws Exception {
    host.ok("create", "-e", "-n", NAME);
    Path etc = Files.createDirectories(host.jailRoot(NAME).resolve("etc"));
    PrivateFiles.writeString(
        etc.resolve("master.passwd"), "root:$6$secret:0:0::0:0:Charlie &:/root:/bin/sh\n");
  }

  private static Path onlyBundle(Path images) throws Exception {
    try (Stream<Path> files = Files.list(images)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".warder.tar"))
          .findFirst()
          .orElseThrow();
    }
  }

  @Test
  void testExport_bundleIs0600InNewDirectories0700_companionStaysReadable() throws Exception {
    TestHost a = new TestHost(tmp.resolve("a"));
    makeJail(a);
    Path bundle = tmp.resolve("out/new/web.warder.tar");
    a.ok("export", NAME, "-o", bundle.toString());
    assertThat(mode(bundle)).isEqualTo("rw-------");
    assertThat(mode(bundle.getParent())).isEqualTo("rwx------");
    assertThat(mode(tmp.resolve("out"))).isEqualTo("rwx------");
    assertThat(mode(BundleCompanions.sha256File(bundle)))
        .as("a digest only")
        .isEqualTo("rw-r--r--");

    a.ok("export", NAME, "--compress", "none");
    Path images = a.root().resolve("images");
    assertThat(mode(images)).isEqualTo("rwx------");
    assertThat(mode(onlyBundle(images))).isEqualTo("rw-------");
  }

  @Test
  void testJailDirectories_createdAndImported_are0700_theirRootsKeepTheirMode() throws Exception {
    TestHost a = new TestHost(tmp.resolve("a"));
    TestHost b = new TestHost(tmp.resolve("b"));
    makeJail(a);
    Files.setPosixFilePermissions(a.jailRoot(NAME), PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(mode(a.root().resolve("jails/" + NAME))).isEqualTo("rwx------");
    Path bundle = tmp.resolve("web.warder.tar");
    a.ok("export", NAME, "-o", bundle.toString());
    b.ok("import", bundle.toString());
    assertThat(mode(b.root().resolve("jails/" + NAME))).isEqualTo("rwx------");
    assertThat(mode(b.jailRoot(NAME)))
        .as("the jail's own / stays usable by its users")
        .isEqualTo("rwxr-xr-x");
    assertThat(mode(b.jailRoot(NAME).resolve("etc/master.passwd"))).isEqualTo("rw-------");
  }

  @Test
  void testExport_inAProcessWithUmask000_isStill0600() throws Exception {
    TestHost a = new TestHost(tmp.resolve("a"));
    makeJail(a);
    Path err = tmp.resolve("export.err");
    List<String> command =
        List.of(
            "/bin/sh",
            "-c",
            "umask 000 && exec \"$@\"",
            "sh",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            "org.warder.client.cli.WarderMain",
            "--root",
            a.root().toString(),
            "export",
            NAME,
            "--compress",
            "none");
    Process export =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(export.waitFor()).as(Files.readString(err)).isZero();

    Path images = a.root().resolve("images");
    assertThat(mode(images)).isEqualTo("rwx------");
    Path bundle = onlyBundle(images);
    assertThat(mode(bundle)).isEqualTo("rw-------");
    assertThat(mode(BundleCompanions.sha256File(bundle))).isEqualTo("rw-r--r--");
  }

  @Test
  void testKeyGenerate_refusesAPassphraseFileOthersCanRead_andWritesNoKey() throws Exception {
    Path keys = tmp.resolve("keys");
    Path pass = tmp.resolve("pass");
    Files.writeString(pass, "correct horse\n");
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r--r--"));
    TestHost a = new TestHost(tmp.resolve("a"), Map.of("WARDER_KEYS", keys.toString()));

    assertThat(a.refused("key", "generate", "--name", "ops", "--passphrase-file", pass.toString()))
        .contains(
            "refusing to read passphrase file " + pass,
            "its mode is rw-r--r--",
            "chmod 600 " + pass);
    TestHost fromEnvironment =
        new TestHost(
            tmp.resolve("a"),
            Map.of("WARDER_KEYS", keys.toString(), "WARDER_PASSPHRASE_FILE", pass.toString()));
    assertThat(fromEnvironment.refused("key", "generate", "--name", "ops"))
        .contains("chmod 600 " + pass);
    assertThat(keys.resolve("ops.pem")).doesNotExist();
    assertThat(mode(pass)).as("reported, not changed").isEqualTo("rw-r--r--");

    Files.setPosixFilePermissions(pass, PrivateFiles.FILE);
    a.ok("key", "generate", "--name", "ops", "--passphrase-file", pass.toString());
    assertThat(mode(keys)).isEqualTo("rwx------");
    assertThat(mode(keys.resolve("ops.pem"))).isEqualTo("rw-------");
  }

  @Test
  void testExportSign_refusesPassphraseAndKeyFilesOthersCanRead_andWritesNoBundle()
      throws Exception {
    Path keys = tmp.resolve("keys");
    Path pass = tmp.resolve("pass");
    PrivateFiles.writeString(pass, "correct horse\n");
    TestHost a = new TestHost(tmp.resolve("a"), Map.of("WARDER_KEYS", keys.toString()));
    a.ok("key", "generate", "--name", "ops", "--passphrase-file", pass.toString());
    makeJail(a);
    Path bundle = tmp.resolve("signed.warder.tar");

    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r-----"));
    assertThat(
            a.refused(
                "export",
                NAME,
                "-o",
                bundle.toString(),
                "--sign",
                "ops",
                "--passphrase-file",
                pass.toString()))
        .contains("refusing to read passphrase file " + pass, "chmod 600 " + pass);
    assertThat(bundle).doesNotExist();

    Files.setPosixFilePermissions(pass, PrivateFiles.FILE);
    Path key = keys.resolve("ops.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw----r--"));
    assertThat(
            a.refused(
                "export",
                NAME,
                "-o",
                bundle.toString(),
                "--sign",
                "ops",
                "--passphrase-file",
                pass.toString()))
        .contains("refusing to read private key file " + key, "chmod 600 " + key);
    assertThat(bundle).doesNotExist();
  }
}
