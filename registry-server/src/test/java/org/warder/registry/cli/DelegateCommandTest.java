package org.warder.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.registry.testing.TufClient;
import org.warder.signing.CanonicalJson;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.PrivateFiles;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.PublicKeyFiles;
import org.warder.signing.tuf.Updater;

/** {@code warder-registry delegate} against a running server, checked with the TUF updater. */
class DelegateCommandTest {
  @TempDir Path tmp;
  private TestRegistry registry;
  private String data;
  private final Ed25519SigningKey key = Ed25519SigningKey.generate();
  private Path keyFile;

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp).start();
    data = registry.data.toString();
    keyFile = tmp.resolve("acme.pub");
    PublicKeyFiles.write(key.publicKey(), keyFile);
  }

  @AfterEach
  void tearDown() throws Exception {
    registry.close();
  }

  private CliRun delegate(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "delegate";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--data";
    all[args.length + 2] = data;
    all[args.length + 3] = "--passphrase-file";
    all[args.length + 4] = registry.passphraseFile.toString();
    return CliRun.of(RegistryMain::run, all);
  }

  /** {@code delegate acme --key KEY --paths a/*} with the passphrase read from {@code file}. */
  private CliRun delegateWithPassphrase(String key, Path file) {
    return CliRun.of(
        RegistryMain::run,
        "delegate",
        "acme",
        "--key",
        key,
        "--paths",
        "a/*",
        "--data",
        data,
        "--passphrase-file",
        file.toString());
  }

  private HttpResponse<byte[]> publish(
      Publisher publisher, long version, String path, byte[] content, Ed25519SigningKey signer)
      throws Exception {
    return publisher.submit(
        "acme",
        Publisher.targets(
                version,
                Instant.now().plus(Duration.ofDays(9)),
                Map.of(path, content),
                List.of(signer))
            .toBytes());
  }

  @Test
  void testDelegate_newTargetsVersionAndPathsEnforced() throws Exception {
    TufClient client = registry.client(tmp.resolve("client"));
    Updater.RefreshResult before = client.refresh();

    CliRun run =
        delegate(
            "acme",
            "--key",
            keyFile.toString(),
            "--paths",
            "plugins/acme-*",
            "releases/*/acme.txz");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "Delegated acme (terminating) to 1 key, threshold 1, for plugins/acme-* releases/*/acme.txz",
            "keyid " + key.keyId(),
            "targets version " + (before.targetsVersion() + 1));

    Updater.RefreshResult after = client.refresh();
    assertThat(after.targetsVersion()).isEqualTo(before.targetsVersion() + 1);
    assertThat(after.snapshotVersion()).isEqualTo(before.snapshotVersion() + 1);
    assertThat(registry.layout.metadata().resolve(after.targetsVersion() + ".targets.json"))
        .exists();

    Publisher acme = registry.publisher(registry.token("acme", "acme"));
    byte[] content = "plugin".getBytes(StandardCharsets.UTF_8);
    acme.upload(content);
    HttpResponse<byte[]> outside = publish(acme, 1, "plugins/nextcloud", content, key);
    assertThat(outside.statusCode()).isEqualTo(400);
    assertThat(Http.errorCode(outside)).isEqualTo("PATH_NOT_DELEGATED");
    assertThat(publish(acme, 1, "releases/14.1-RELEASE/acme.txz", content, key).statusCode())
        .isEqualTo(200);
    assertThat(client.visible(List.of("releases/14.1-RELEASE/acme.txz")))
        .containsKey("releases/14.1-RELEASE/acme.txz");
  }

  @Test
  void testDelegate_replacesKeysInPlace() throws Exception {
    // the bare TUF key object is accepted too
    Path bare = tmp.resolve("bare.json");
    Files.write(bare, CanonicalJson.encode(key.publicKey().json()));
    assertThat(delegate("acme", "--key", bare.toString(), "--paths", "plugins/acme-*").exitCode())
        .isZero();
    Publisher acme = registry.publisher(registry.token("acme", "acme"));
    byte[] content = "v1".getBytes(StandardCharsets.UTF_8);
    acme.upload(content);
    assertThat(publish(acme, 1, "plugins/acme-web", content, key).statusCode()).isEqualTo(200);

    Ed25519SigningKey next = Ed25519SigningKey.generate();
    Path nextFile = tmp.resolve("next.pub");
    PublicKeyFiles.write(next.publicKey(), nextFile);
    CliRun run = delegate("acme", "--key", nextFile.toString(), "--paths", "plugins/acme-*");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "Replaced the delegation of acme",
            "published metadata (version 1)",
            "version 2 or later");
    var targets =
        registry
            .repository
            .load()
            .targets("targets")
            .orElseThrow()
            .signed()
            .delegations()
            .orElseThrow();
    assertThat(targets.roles()).extracting(r -> r.name()).containsExactly("acme");
    assertThat(targets.keys()).containsOnlyKeys(next.keyId());

    assertThat(Http.errorCode(publish(acme, 2, "plugins/acme-web", content, key)))
        .isEqualTo("SIGNATURE_INVALID");
    assertThat(publish(acme, 2, "plugins/acme-web", content, next).statusCode()).isEqualTo(200);
    assertThat(registry.client(tmp.resolve("client")).visible(List.of("plugins/acme-web")))
        .containsKey("plugins/acme-web");
  }

  @Test
  void testDelegate_refusesBadInputBeforeChangingAnything() throws Exception {
    Map<String, String> before = registry.metadataFiles();
    String k = keyFile.toString();
    String[][] usage = {
      {"targets", "--key", k, "--paths", "a/*"},
      {"Acme", "--key", k, "--paths", "a/*"},
      {"-acme", "--key", k, "--paths", "a/*"},
      {"acme", "--key", k, "--paths", "/plugins/*"},
      {"acme", "--key", k, "--paths", "plugins/../*"},
      {"acme", "--key", k, "--paths", "plugins//x"},
      {"acme", "--key", k, "--paths", "a/*", "--threshold", "2"},
      {"acme", "--key", k, k, "--paths", "a/*"},
      {"acme", "--paths", "a/*"},
    };
    for (String[] args : usage) {
      CliRun run = delegate(args);
      assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err()).isEqualTo(2);
      assertThat(run.err())
          .containsAnyOf("expected", "is a top-level role", "Missing required")
          .contains("Try 'warder-registry delegate --help'");
    }
    Path notAKey = tmp.resolve("key.pem");
    Files.writeString(notAKey, "-----BEGIN PUBLIC KEY-----\n");
    CliRun badKey = delegate("acme", "--key", notAKey.toString(), "--paths", "a/*");
    assertThat(badKey.exitCode()).isEqualTo(1);
    assertThat(badKey.err()).contains("public key file " + notAKey, "not valid JSON");

    CliRun missingKey = delegate("acme", "--key", "nope.json", "--paths", "a/*");
    assertThat(missingKey.exitCode()).isEqualTo(2);
    assertThat(missingKey.err())
        .startsWith("warder-registry: --key nope.json: no such file (looked for ")
        .contains("'warder key generate --name NAME' wrote");
    CliRun missingPassphrase = delegateWithPassphrase(k, tmp.resolve("nope.passphrase"));
    assertThat(missingPassphrase.exitCode()).isEqualTo(1);
    assertThat(missingPassphrase.err())
        .startsWith("warder-registry: no such file: " + tmp.resolve("nope.passphrase"));

    Path wrong = tmp.resolve("wrong.passphrase");
    PrivateFiles.writeString(wrong, "not the passphrase\n");
    CliRun badPassphrase = delegateWithPassphrase(k, wrong);
    assertThat(badPassphrase.exitCode()).isEqualTo(1);
    assertThat(badPassphrase.err()).contains("targets.pem");
    assertThat(registry.metadataFiles()).isEqualTo(before);
  }

  @Test
  void testDelegate_patternCaps() throws Exception {
    Map<String, String> before = registry.metadataFiles();
    String k = keyFile.toString();
    CliRun stars = delegate("acme", "--key", k, "--paths", "plugins/" + "*a".repeat(17));
    assertThat(stars.exitCode()).isEqualTo(2);
    assertThat(stars.err()).contains("expected a path pattern with at most 16 '*', found 17");
    CliRun longPattern = delegate("acme", "--key", k, "--paths", "plugins/" + "a".repeat(249));
    assertThat(longPattern.exitCode()).isEqualTo(2);
    assertThat(longPattern.err())
        .contains("expected a path pattern of at most 256 characters, found one of 257");
    assertThat(registry.metadataFiles()).isEqualTo(before);

    CliRun atTheCaps =
        delegate(
            "acme",
            "--key",
            k,
            "--paths",
            "plugins/" + "*a".repeat(16),
            "plugins/" + "a".repeat(248));
    assertThat(atTheCaps.exitCode()).as(atTheCaps.err()).isZero();
  }
}
