package org.warder.client.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.PublicKeyFiles;

/**
 * Publishing that must be refused, through the real client: a key the delegation does not name and
 * a token for another role (both checked before any upload), a role whose paths do not cover
 * releases, no token. Each is refused and leaves the published release as it was.
 */
class PublishRefusalTest {
  @TempDir static Path tmp;
  static PublishedRelease published;
  static Path publisher;

  @BeforeAll
  static void publish() throws Exception {
    published = new PublishedRelease(tmp);
    publisher = tmp.resolve("publisher");
  }

  @AfterAll
  static void stop() throws Exception {
    published.close();
  }

  private CliRun publish(String key, String role, String token) {
    published.env.put("WARDER_TOKEN", token);
    return published.warder(
        publisher,
        "publish",
        "release",
        "14.1-RELEASE",
        published.dist.toString(),
        "--repo",
        "main",
        "--key",
        key,
        "--role",
        role,
        "--arch",
        "amd64");
  }

  private String errorLine(CliRun run) {
    return run.err().lines().filter(l -> l.startsWith("warder: ")).findFirst().orElse("(none)");
  }

  @Test
  void testPublish_refusesPassphraseTokenAndKeyFilesOthersCanRead() throws Exception {
    String token = published.env.get("WARDER_TOKEN");
    Path pass = tmp.resolve("exposed.pass");
    Files.writeString(pass, "publisher passphrase\n");
    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-r--r--"));
    CliRun exposedPass =
        published.warder(
            publisher,
            "publish",
            "release",
            "14.1-RELEASE",
            published.dist.toString(),
            "--repo",
            "main",
            "--key",
            "rel",
            "--passphrase-file",
            pass.toString());
    assertThat(exposedPass.exitCode()).isEqualTo(1);
    assertThat(errorLine(exposedPass))
        .contains(
            "refusing to read passphrase file " + pass,
            "its mode is rw-r--r--",
            "chmod 600 " + pass);

    Path tokenFile = tmp.resolve("exposed.token");
    Files.writeString(tokenFile, token + "\n");
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r-----"));
    CliRun exposedToken =
        published.warder(
            publisher,
            "publish",
            "release",
            "14.1-RELEASE",
            published.dist.toString(),
            "--repo",
            "main",
            "--key",
            "rel",
            "--token-file",
            tokenFile.toString());
    assertThat(errorLine(exposedToken))
        .contains(
            "refusing to read token file " + tokenFile, "rw-r-----", "chmod 600 " + tokenFile);

    Path key = tmp.resolve("keys/rel.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    try {
      CliRun exposedKey =
          published.warder(
              publisher,
              "publish",
              "release",
              "14.1-RELEASE",
              published.dist.toString(),
              "--repo",
              "main",
              "--key",
              "rel");
      assertThat(errorLine(exposedKey))
          .contains("refusing to read private key file " + key, "chmod 600 " + key);
    } finally {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }
    assertThat(published.roleVersion("releases")).as("nothing was published").hasValue(1);
  }

  @Test
  void testPublish_refusals() throws Exception {
    String token = published.env.get("WARDER_TOKEN");
    assertThat(published.warder(publisher, "key", "generate", "--name", "intruder").exitCode())
        .isZero();
    CliRun wrongKey = publish("intruder", "releases", token);
    assertThat(wrongKey.exitCode()).isEqualTo(77); // checked before any upload
    assertThat(errorLine(wrongKey)).contains("intruder.pub.json", "is not a key of role releases");

    published.registry.delegate(
        "plugins-acme", PublicKeyFiles.read(tmp.resolve("keys/rel.pub.json")), "plugins/acme/*");
    String acmeToken = published.registry.token("acme", "plugins-acme");
    CliRun outside = publish("rel", "plugins-acme", acmeToken);
    assertThat(outside.exitCode()).isEqualTo(1);
    assertThat(errorLine(outside)).contains("PATH_NOT_DELEGATED");

    CliRun otherRole = publish("rel", "releases", acmeToken);
    assertThat(otherRole.exitCode()).isEqualTo(77);
    assertThat(errorLine(otherRole))
        .contains(
            "of publisher acme may publish plugins-acme, not releases",
            "warder-registry token create --publisher acme --role releases");

    CliRun badToken = publish("rel", "releases", "wrd_000000000000_" + "0".repeat(64));
    assertThat(errorLine(badToken)).contains("HTTP 401 UNAUTHORIZED");

    published.env.remove("WARDER_TOKEN");
    CliRun noToken =
        published.warder(
            publisher,
            "publish",
            "release",
            "14.1-RELEASE",
            published.dist.toString(),
            "--repo",
            "main",
            "--key",
            "rel");
    assertThat(errorLine(noToken)).contains("publishing needs a token");

    // the release published before is untouched and still fetches
    published.env.put("WARDER_TOKEN", token);
    Path host = tmp.resolve("host");
    assertThat(
            published
                .warder(
                    host,
                    "repo",
                    "add",
                    "main",
                    published.registry.url(),
                    "--root-sha256",
                    published.registry.rootSha256())
                .exitCode())
        .isZero();
    CliRun fetch =
        published.warder(
            host, "fetch", "-r", PublishedRelease.REL, "--arch", "amd64", "-F", "base.txz");
    assertThat(fetch.exitCode()).as(fetch.err()).isZero();
    CliRun missing = published.warder(host, "fetch", "-r", "14.1-RELEASE", "--arch", "amd64");
    assertThat(errorLine(missing))
        .contains(
            "expected a signed base.txz of release 14.1-RELEASE for amd64 in main, found none: it"
                + " publishes "
                + PublishedRelease.REL
                + " (amd64); 'warder list -r --repo main' lists");
  }
}
