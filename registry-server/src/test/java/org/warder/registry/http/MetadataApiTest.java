package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.registry.testing.TufClient;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.tuf.DelegatedRole;
import org.warder.signing.tuf.Delegations;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Signed;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.Updater;

/**
 * Submission of delegated metadata ({@code PUT /api/v1/metadata/<role>}): every refusal leaves the
 * metadata directory byte-identical; an accepted submission is what the real TUF client sees, and
 * its targets are served with ETag, Range and conditional requests.
 */
class MetadataApiTest {
  @TempDir Path tmp;
  private TestRegistry registry;
  private final Ed25519SigningKey acmeKey = Ed25519SigningKey.generate();
  private Publisher acme;
  private final byte[] web =
      "the acme web plugin manifest\n".repeat(50).getBytes(StandardCharsets.UTF_8);

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp).start();
    registry.delegate("acme", List.of(acmeKey), 1, "plugins/acme-*");
    acme = registry.publisher(registry.token("acme", "acme", "ghost"));
    acme.upload(web);
  }

  @AfterEach
  void tearDown() throws Exception {
    registry.close();
  }

  private static Instant inAMonth() {
    return Instant.now().plus(Duration.ofDays(30));
  }

  private Metadata<Targets> acmeTargets(long version, Map<String, byte[]> files) throws Exception {
    return Publisher.targets(version, inAMonth(), files, List.of(acmeKey));
  }

  /** Submits {@code body}, expects the refusal, and checks that no metadata file changed. */
  private HttpResponse<byte[]> assertRefused(
      Publisher who, String role, byte[] body, int status, String code, String... messageParts)
      throws Exception {
    Map<String, String> before = registry.metadataFiles();
    HttpResponse<byte[]> r = who.submit(role, body);
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(Http.errorCode(r)).isEqualTo(code);
    if (messageParts.length > 0) {
      assertThat(Http.errorMessage(r)).contains(messageParts);
    }
    assertThat(registry.metadataFiles()).isEqualTo(before);
    return r;
  }

  @Test
  void testSubmit_acceptedIsWhatTheClientSees() throws Exception {
    TufClient client = registry.client(tmp.resolve("client"));
    Updater.RefreshResult before = client.refresh();

    HttpResponse<byte[]> r =
        acme.submit("acme", acmeTargets(3, Map.of("plugins/acme-web", web)).toBytes());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    var answer = Http.json(r);
    assertThat(answer.get("role").asText()).isEqualTo("acme");
    assertThat(answer.get("version").asLong())
        .isEqualTo(3); // a first version may be any positive number
    assertThat(answer.get("snapshot").asLong()).isEqualTo(before.snapshotVersion() + 1);
    assertThat(answer.get("timestamp").asLong()).isEqualTo(before.timestampVersion() + 1);
    assertThat(registry.layout.metadata().resolve("3.acme.json")).exists();

    Updater.RefreshResult after = client.refresh();
    assertThat(after.snapshotVersion()).isEqualTo(before.snapshotVersion() + 1);
    assertThat(after.timestampVersion()).isEqualTo(before.timestampVersion() + 1);
    assertThat(client.visible(List.of("plugins/acme-web", "plugins/acme-other")))
        .containsOnlyKeys("plugins/acme-web")
        .hasEntrySatisfying("plugins/acme-web", bytes -> assertThat(bytes).isEqualTo(web));
    assertThat(client.trustedVersion("acme")).isEqualTo(3);

    // the target URL: content-addressed, strong ETag, ranges, conditional requests
    String sha256 = Digests.sha256Hex(web);
    String url = "/targets/plugins/" + sha256 + ".acme-web";
    Http http = registry.http();
    HttpResponse<byte[]> get = http.send("GET", url, null);
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo(web);
    assertThat(get.headers().firstValue("ETag")).hasValue("\"" + sha256 + "\"");
    assertThat(get.headers().firstValue("Cache-Control"))
        .hasValue("public, max-age=31536000, immutable");
    HttpResponse<byte[]> range = http.send("GET", url, null, "Range", "bytes=10-29");
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(web, 10, 30));
    assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 10-29/" + web.length);
    HttpResponse<byte[]> cached =
        http.send("GET", url, null, "If-None-Match", "\"" + sha256 + "\"");
    assertThat(cached.statusCode()).isEqualTo(304);
    assertThat(cached.body()).isEmpty();
    assertThat(
            http.send("GET", "/metadata/timestamp.json", null)
                .headers()
                .firstValue("Cache-Control"))
        .hasValue("no-cache");

    // the next version replaces the target list
    byte[] db = "acme db".getBytes(StandardCharsets.UTF_8);
    acme.upload(db);
    assertThat(
            acme.submit("acme", acmeTargets(4, Map.of("plugins/acme-db", db)).toBytes())
                .statusCode())
        .isEqualTo(200);
    assertThat(client.visible(List.of("plugins/acme-web", "plugins/acme-db")))
        .containsOnlyKeys("plugins/acme-db");
  }

  /**
   * Found by MetadataPropertyTest: the registry wrote a submission's control characters raw (as
   * canonical JSON has them), a file no client read and that the registry itself could not load
   * again.
   */
  @Test
  void testSubmit_controlCharacterInCustomDataStaysReadable() throws Exception {
    TufClient client = registry.client(tmp.resolve("client"));
    client.refresh();
    TargetFile file =
        new TargetFile(
            "plugins/acme-web",
            web.length,
            Map.of("sha256", Digests.sha256Hex(web)),
            Optional.of(
                JsonNodeFactory.instance.objectNode().put("notes", "line one\nline two\u0001")));
    Metadata<Targets> targets =
        Metadata.of(
                new Targets(
                    Signed.SPEC_VERSION,
                    3,
                    inAMonth(),
                    Map.of(file.path(), file),
                    Optional.empty()))
            .signedBy(List.of(acmeKey));

    HttpResponse<byte[]> r = acme.submit("acme", targets.toBytes());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    assertThat(registry.layout.metadata().resolve("3.acme.json"))
        .content(StandardCharsets.UTF_8)
        .contains("line one\\u000aline two\\u0001");
    assertThat(client.visible(List.of("plugins/acme-web"))).containsOnlyKeys("plugins/acme-web");
    registry.close();
    assertThat(RegistryRepository.open(registry.layout, Clock.systemUTC()).load().targets("acme"))
        .hasValueSatisfying(
            t ->
                assertThat(t.signed().targets().get("plugins/acme-web").custom())
                    .hasValueSatisfying(
                        c ->
                            assertThat(c.get("notes").textValue())
                                .isEqualTo("line one\nline two\u0001")));
  }

  @Test
  void testSubmit_unsignedOrWrongKey() throws Exception {
    Metadata<Targets> good = acmeTargets(1, Map.of("plugins/acme-web", web));
    HttpResponse<byte[]> r =
        assertRefused(
            acme,
            "acme",
            good.withSignatures(List.of()).toBytes(),
            400,
            "SIGNATURE_INVALID",
            "expected 1 valid signature, found 0",
            "sign it with the key(s) delegated to acme");
    assertThat(Http.json(r).at("/errors/0/detail/threshold").asInt()).isEqualTo(1);
    Metadata<Targets> stranger =
        Publisher.targets(
            1, inAMonth(), Map.of("plugins/acme-web", web), List.of(Ed25519SigningKey.generate()));
    assertRefused(acme, "acme", stranger.toBytes(), 400, "SIGNATURE_INVALID", "found 0");
  }

  @Test
  void testSubmit_pathOutsideThePattern() throws Exception {
    HttpResponse<byte[]> r =
        assertRefused(
            acme,
            "acme",
            acmeTargets(1, Map.of("plugins/nextcloud", web)).toBytes(),
            400,
            "PATH_NOT_DELEGATED",
            "\"plugins/nextcloud\"",
            "[plugins/acme-*]");
    assertThat(Http.json(r).at("/errors/0/detail/path").asText()).isEqualTo("plugins/nextcloud");
  }

  @Test
  void testSubmit_pathOutsideTheChain() throws Exception {
    // acme delegates further, to acme-beta, for more than acme itself is trusted for
    Ed25519SigningKey betaKey = Ed25519SigningKey.generate();
    Delegations delegations =
        new Delegations(
            Map.of(betaKey.keyId(), betaKey.publicKey()),
            List.of(
                DelegatedRole.withPaths(
                    "acme-beta", List.of(betaKey.keyId()), 1, true, List.of("plugins/*"))));
    Metadata<Targets> acmeV1 =
        Metadata.of(
                new Targets(Signed.SPEC_VERSION, 1, inAMonth(), Map.of(), Optional.of(delegations)))
            .signedBy(List.of(acmeKey));
    assertThat(acme.submit("acme", acmeV1.toBytes()).statusCode()).isEqualTo(200);
    Publisher beta = registry.publisher(registry.token("beta", "acme-beta"));

    Metadata<Targets> inside =
        Publisher.targets(1, inAMonth(), Map.of("plugins/acme-web", web), List.of(betaKey));
    Metadata<Targets> outside =
        Publisher.targets(1, inAMonth(), Map.of("plugins/nextcloud", web), List.of(betaKey));
    HttpResponse<byte[]> r =
        assertRefused(
            beta,
            "acme-beta",
            outside.toBytes(),
            400,
            "PATH_NOT_DELEGATED",
            "targets delegates to acme");
    assertThat(Http.json(r).at("/errors/0/detail/delegatedRole").asText()).isEqualTo("acme");
    assertThat(beta.submit("acme-beta", inside.toBytes()).statusCode()).isEqualTo(200);
    assertThat(registry.client(tmp.resolve("client")).visible(List.of("plugins/acme-web")))
        .containsKey("plugins/acme-web");
  }

  @Test
  void testSubmit_delegationWithAPatternOverTheCaps() throws Exception {
    Ed25519SigningKey betaKey = Ed25519SigningKey.generate();
    for (String pattern :
        List.of("plugins/acme-" + "*a".repeat(17), "plugins/acme-" + "a".repeat(244), "../x")) {
      Delegations delegations =
          new Delegations(
              Map.of(betaKey.keyId(), betaKey.publicKey()),
              List.of(
                  DelegatedRole.withPaths(
                      "acme-beta", List.of(betaKey.keyId()), 1, true, List.of(pattern))));
      Metadata<Targets> md =
          Metadata.of(
                  new Targets(
                      Signed.SPEC_VERSION, 1, inAMonth(), Map.of(), Optional.of(delegations)))
              .signedBy(List.of(acmeKey));
      HttpResponse<byte[]> r =
          assertRefused(
              acme,
              "acme",
              md.toBytes(),
              400,
              "PATTERN_INVALID",
              "acme delegates to acme-beta: expected a path pattern",
              "sign the metadata again without that pattern");
      assertThat(Http.json(r).at("/errors/0/detail/pattern").asText()).isEqualTo(pattern);
    }
  }

  @Test
  void testSubmit_missingBlobOrWrongLength() throws Exception {
    byte[] notUploaded = "never uploaded".getBytes(StandardCharsets.UTF_8);
    assertRefused(
        acme,
        "acme",
        acmeTargets(1, Map.of("plugins/acme-x", notUploaded)).toBytes(),
        400,
        "BLOB_UNKNOWN",
        "expected a blob with sha256 " + Digests.sha256Hex(notUploaded),
        "upload it first");
    Map<String, TargetFile> wrongLength =
        Map.of(
            "plugins/acme-web",
            TargetFile.of("plugins/acme-web", web.length + 1, Digests.sha256Hex(web)));
    Metadata<Targets> md =
        Metadata.of(new Targets(Signed.SPEC_VERSION, 1, inAMonth(), wrongLength, Optional.empty()))
            .signedBy(List.of(acmeKey));
    assertRefused(
        acme,
        "acme",
        md.toBytes(),
        400,
        "BLOB_UNKNOWN",
        "expected a blob of " + (web.length + 1) + " bytes",
        "found " + web.length + " bytes");
  }

  @Test
  void testSubmit_versionNotIncreased() throws Exception {
    assertThat(
            acme.submit("acme", acmeTargets(2, Map.of("plugins/acme-web", web)).toBytes())
                .statusCode())
        .isEqualTo(200);
    for (long version : new long[] {2, 1}) {
      HttpResponse<byte[]> r =
          assertRefused(
              acme,
              "acme",
              acmeTargets(version, Map.of()).toBytes(),
              409,
              "VERSION_NOT_INCREASED",
              "greater than the current version 2",
              "sign it again with version 3");
      assertThat(Http.json(r).at("/errors/0/detail/current").asLong()).isEqualTo(2);
    }
  }

  @Test
  void testSubmit_expired() throws Exception {
    Metadata<Targets> md =
        Publisher.targets(
            1, Instant.now().minusSeconds(5), Map.of("plugins/acme-web", web), List.of(acmeKey));
    assertRefused(acme, "acme", md.toBytes(), 400, "EXPIRED", "sign it again with a later expiry");
  }

  @Test
  void testSubmit_notTargetsMetadata() throws Exception {
    byte[] root = registry.root();
    assertRefused(
        acme,
        "acme",
        root,
        400,
        "METADATA_INVALID",
        "expected targets metadata",
        "found _type \"root\"");
    assertRefused(
        acme,
        "acme",
        "{\"signed\":".getBytes(StandardCharsets.UTF_8),
        400,
        "METADATA_INVALID",
        "not valid JSON");
    Map<String, byte[]> unsafe = new LinkedHashMap<>();
    unsafe.put("plugins/acme-x/../../etc", web);
    assertRefused(acme, "acme", acmeTargets(1, unsafe).toBytes(), 400, "METADATA_INVALID", "'..'");
  }

  @Test
  void testSubmit_unknownRoleOrRoleNotGranted() throws Exception {
    Metadata<Targets> md = Publisher.targets(1, inAMonth(), Map.of(), List.of(acmeKey));
    HttpResponse<byte[]> unknown =
        assertRefused(
            acme,
            "ghost",
            md.toBytes(),
            404,
            "ROLE_UNKNOWN",
            "\"ghost\"",
            "warder-registry delegate ghost");
    assertThat(Http.json(unknown).at("/errors/0/detail/role").asText()).isEqualTo("ghost");
    assertRefused(
        registry.publisher(registry.token("root-wannabe", "targets")),
        "targets",
        md.toBytes(),
        404,
        "ROLE_UNKNOWN",
        "top-level");
    Publisher other = registry.publisher(registry.token("other", "other"));
    HttpResponse<byte[]> denied =
        assertRefused(
            other,
            "acme",
            acmeTargets(1, Map.of()).toBytes(),
            403,
            "DENIED",
            "may publish [other], not acme");
    assertThat(Http.json(denied).at("/errors/0/detail/role").asText()).isEqualTo("acme");
    HttpResponse<byte[]> anonymous =
        registry.http().send("PUT", "/api/v1/metadata/acme", md.toBytes());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void testSubmit_keyOfOtherRoleDoesNotCount() throws Exception {
    Ed25519SigningKey otherKey = Ed25519SigningKey.generate();
    registry.delegate("other", List.of(otherKey), 1, "plugins/*");
    Metadata<Targets> md =
        Publisher.targets(1, inAMonth(), Map.of("plugins/acme-web", web), List.of(otherKey));
    assertRefused(acme, "acme", md.toBytes(), 400, "SIGNATURE_INVALID");
  }
}
