package org.warder.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.cli.RegistryMain;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.ServerProcess;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.PrivateFiles;
import org.warder.signing.testing.CliRun;

/**
 * What a registry keeps for itself (keys, passphrases, tokens, upload sessions, its access log)
 * only its owner can read, whatever the umask; and a passphrase file others can read is refused.
 */
class PrivateDataTest {
  @TempDir Path tmp;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void testUploadSession_filesAre0600InDirectories0700_whileTheUploadRuns() throws Exception {
    try (TestRegistry registry = TestRegistry.create(tmp).start()) {
      Files.delete(registry.layout.uploads()); // empty; the first session makes it again
      Publisher publisher = registry.publisher(registry.token("acme", "acme"));
      String uuid = publisher.start();
      byte[] content = new byte[10_000];
      assertThat(publisher.patch(uuid, content, 0, 4_000).statusCode()).isEqualTo(202);

      RegistryLayout layout = registry.layout;
      assertThat(mode(layout.uploads())).isEqualTo("rwx------");
      assertThat(mode(layout.upload(uuid))).isEqualTo("rwx------");
      assertThat(mode(layout.uploadData(uuid))).isEqualTo("rw-------");
      assertThat(mode(layout.uploadStartedAt(uuid))).isEqualTo("rw-------");
      assertThat(Files.size(layout.uploadData(uuid))).isEqualTo(4_000);
    }
  }

  @Test
  void testInit_refusesAPassphraseFileOthersCanRead_andCreatesNothing() throws Exception {
    Path pass = tmp.resolve("pass");
    Files.writeString(pass, "correct horse battery staple\n");
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r--r--"));
    Path data = tmp.resolve("data");

    CliRun init =
        CliRun.of(
            RegistryMain::run,
            "init",
            "--data",
            data.toString(),
            "--passphrase-file",
            pass.toString());

    assertThat(init.exitCode()).isEqualTo(1);
    assertThat(init.err())
        .contains(
            "refusing to read passphrase file " + pass,
            "its mode is rw-r--r--",
            "chmod 600 " + pass);
    assertThat(data).doesNotExist();
    assertThat(mode(pass)).as("reported, not changed").isEqualTo("rw-r--r--");
  }

  @Test
  void testInit_dataKeysAndTokensArePrivate() throws Exception {
    Path pass = tmp.resolve("pass");
    PrivateFiles.writeString(pass, "correct horse battery staple\n");
    Path data = tmp.resolve("new/data");

    CliRun init =
        CliRun.of(
            RegistryMain::run,
            "init",
            "--data",
            data.toString(),
            "--passphrase-file",
            pass.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
    CliRun token =
        CliRun.of(
            RegistryMain::run,
            "token",
            "create",
            "--publisher",
            "acme",
            "--role",
            "acme",
            "--data",
            data.toString());
    assertThat(token.exitCode()).as(token.err()).isZero();

    RegistryLayout layout = new RegistryLayout(data);
    assertThat(mode(data)).isEqualTo("rwx------");
    assertThat(mode(layout.keys())).isEqualTo("rwx------");
    assertThat(mode(layout.uploads())).isEqualTo("rwx------");
    for (String role : List.of("root", "targets", "snapshot", "timestamp")) {
      assertThat(mode(layout.key(role))).as(role).isEqualTo("rw-------");
    }
    assertThat(mode(layout.onlinePassphrase())).isEqualTo("rw-------");
    assertThat(mode(layout.tokens())).isEqualTo("rw-------");
  }

  @Test
  @Timeout(120) // a regression would serve instead of failing
  void testOpen_refusesAnOnlinePassphraseFileOthersCanRead() throws Exception {
    Path data;
    try (TestRegistry registry = TestRegistry.create(tmp)) {
      data = registry.data;
    }
    Path online = new RegistryLayout(data).onlinePassphrase();
    Files.setPosixFilePermissions(online, PosixFilePermissions.fromString("rw-r-----"));

    CliRun serve =
        CliRun.of(
            RegistryMain::run,
            "serve",
            "--data",
            data.toString(),
            "--listen",
            "127.0.0.1:0",
            "--no-access-log");

    assertThat(serve.exitCode()).isEqualTo(1);
    assertThat(serve.err())
        .contains(
            "refusing to read online keys' passphrase file " + online,
            "rw-r-----",
            "chmod 600 " + online);
  }

  @Test
  void testServe_withUmask000_createsItsDataKeysAndAccessLogPrivate() throws Exception {
    Path data = tmp.resolve("data");
    Path logs = tmp.resolve("logs");
    try (ServerProcess server = ServerProcess.startWithUmask(data, logs, "000")) {
      HttpResponse<byte[]> health = new Http(server.url()).send("GET", "/healthz", null);
      assertThat(health.statusCode()).isEqualTo(200);

      RegistryLayout layout = new RegistryLayout(data);
      assertThat(mode(data)).isEqualTo("rwx------");
      assertThat(mode(layout.keys())).isEqualTo("rwx------");
      assertThat(mode(layout.keys().resolve("offline.passphrase"))).isEqualTo("rw-------");
      assertThat(mode(layout.key("snapshot"))).isEqualTo("rw-------");
      Path accessLog;
      try (Stream<Path> files = Files.list(logs)) {
        accessLog =
            files
                .filter(f -> f.getFileName().toString().startsWith("access-"))
                .findFirst()
                .orElseThrow();
      }
      assertThat(mode(accessLog)).isEqualTo("rw-------");
      assertThat(mode(layout.metadata().resolve("timestamp.json")))
          .as("published metadata stays readable (inside the private data directory)")
          .isEqualTo("rw-r--r--");
    }
  }
}
