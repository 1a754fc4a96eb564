package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.cli.RegistryMain;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.repo.RoleExpiry;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.StrictJson;

/**
 * Every role's expiry, in {@code /metrics} and {@code warder-registry status}, with roles really
 * signed to expire soon or already expired (published through a repository whose clock is months
 * behind); {@code warder-registry renew-targets} re-signs the top-level targets.
 */
class RoleExpiryTest {
  @TempDir Path tmp;
  private TestRegistry registry;

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp).start(s -> s.withMetricsListen(loopback()));
    Ed25519SigningKey acme = Ed25519SigningKey.generate();
    Ed25519SigningKey old = Ed25519SigningKey.generate();
    registry.delegate("acme", List.of(acme), 1, "acme/*");
    registry.delegate("old", List.of(old), 1, "old/*");
    Publisher publisher = registry.publisher(registry.token("p", "acme", "old"));
    byte[] content = "a blob".getBytes(StandardCharsets.UTF_8);
    publisher.upload(content);
    // acme expires in ten days
    assertThat(
            publisher
                .submit(
                    "acme",
                    Publisher.targets(
                            1,
                            Instant.now().plus(Duration.ofDays(10)),
                            Map.of("acme/a", content),
                            List.of(acme))
                        .toBytes())
                .statusCode())
        .isEqualTo(200);
    // old was published 100 days ago, valid for 90: expired 10 days ago
    Instant past = Instant.now().minus(Duration.ofDays(100));
    RegistryRepository then =
        RegistryRepository.open(
            registry.layout, registry.repository.store(), Clock.fixed(past, ZoneOffset.UTC));
    then.submit(
        "old",
        Publisher.targets(1, past.plus(Duration.ofDays(90)), Map.of("old/a", content), List.of(old))
            .toBytes());
    // the snapshot and timestamp that repository signed expired long ago: re-sign them now, as
    // the server's maintenance does
    assertThat(registry.repository.refresh(Duration.ofHours(6), Duration.ofDays(1)))
        .isEqualTo(RegistryRepository.Refreshed.SNAPSHOT_AND_TIMESTAMP);
  }

  private static java.net.InetSocketAddress loopback() {
    return new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void tearDown() throws Exception {
    registry.close();
  }

  private String scrape() throws Exception {
    return new String(
        new Http(registry.url())
            .send("GET", registry.server().metricsUrl().orElseThrow().toString(), null)
            .body(),
        StandardCharsets.UTF_8);
  }

  private static long gauge(String text, String name, String role) {
    Matcher m =
        Pattern.compile(
                "^" + name + "\\{role=\"" + Pattern.quote(role) + "\"\\} (-?\\d+)$",
                Pattern.MULTILINE)
            .matcher(text);
    assertThat(m.find()).as(name + " of " + role + " in\n" + text).isTrue();
    return Long.parseLong(m.group(1));
  }

  private String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RegistryMain.run(new PrintWriter(out), new PrintWriter(err), args);
    assertThat(code).as(err.toString()).isZero();
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void metrics_everyRolesExpiry() throws Exception {
    String text = scrape();
    assertThat(text)
        .contains("# TYPE warder_role_expiry_timestamp_seconds gauge")
        .contains("# TYPE warder_role_expires_in_seconds gauge")
        .contains("warder publish renew ROLE")
        .contains("warder-registry renew-targets");
    long day = Duration.ofDays(1).toSeconds();
    assertThat(gauge(text, "warder_role_expires_in_seconds", "acme")).isBetween(9 * day, 10 * day);
    assertThat(gauge(text, "warder_role_expires_in_seconds", "old"))
        .isBetween(-11 * day, -10 * day + 60);
    assertThat(gauge(text, "warder_role_expires_in_seconds", "targets"))
        .isBetween(179 * day, 180 * day);
    assertThat(gauge(text, "warder_role_expires_in_seconds", "root"))
        .isBetween(364 * day, 365 * day);
    assertThat(gauge(text, "warder_role_expires_in_seconds", "timestamp")).isBetween(0L, day);
    assertThat(gauge(text, "warder_role_expires_in_seconds", "snapshot"))
        .isBetween(6 * day, 7 * day);
    Instant acmeExpires =
        registry.repository.load().targets("acme").orElseThrow().signed().expires();
    assertThat(gauge(text, "warder_role_expiry_timestamp_seconds", "acme"))
        .isEqualTo(acmeExpires.getEpochSecond());
  }

  @Test
  void metrics_hostileRoleNames_escapedAndTheFormatHolds() {
    String hostile = "evil\"} 1\nwarder_fake 99\n# \\";
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    String text =
        new Metrics()
            .render(
                Optional.empty(),
                List.of(new RoleExpiry(hostile, 3, now.plusSeconds(60))),
                Clock.fixed(now, ZoneOffset.UTC));
    Pattern sample =
        Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-z_]+=\"(\\\\.|[^\"\\\\\\n])*\",?)*\\})? -?\\d+");
    for (String line : text.split("\n")) {
      if (!line.startsWith("# ")) {
        assertThat(line).as(text).matches(sample);
      }
    }
    assertThat(text).doesNotContain("\nwarder_fake");
    assertThat(text)
        .contains(
            "warder_role_expires_in_seconds{role=\"evil\\\"} 1\\nwarder_fake 99\\n# \\\\\"} 60\n");
  }

  @Test
  void status_everyRoleWithItsExpiryAndRenewal() throws Exception {
    String data = registry.data.toString();
    String table = run("status", "--data", data)[0];
    assertThat(table.lines().findFirst().orElseThrow())
        .startsWith("ROLE")
        .contains("VERSION")
        .contains("EXPIRES IN")
        .contains("RENEWED BY");
    assertThat(table)
        .containsPattern(
            "(?m)^acme +1 +\\S+ +9 days +its publisher, with the role's key: warder publish renew acme$")
        .containsPattern("(?m)^old +1 +\\S+ +EXPIRED 10 days ago +its publisher")
        .containsPattern(
            "(?m)^targets +\\d+ +\\S+ +179 days +the owner, with the offline targets key:"
                + " warder-registry renew-targets$")
        .containsPattern("(?m)^timestamp .* the server re-signs it while it runs$");

    List<String[]> rows =
        run("status", "--data", data, "-h")[0].lines().map(l -> l.split("\t", -1)).toList();
    assertThat(rows)
        .as("every role, in this order")
        .extracting(r -> r[0])
        .containsExactly("root", "timestamp", "snapshot", "targets", "acme", "old");
    assertThat(rows).allSatisfy(r -> assertThat(r).hasSize(5));
    String[] old = rows.get(5);
    assertThat(Long.parseLong(old[3])).isNegative();

    JsonNode json = StrictJson.mapper().readTree(run("status", "--data", data, "--json")[0]);
    assertThat(json).hasSize(6);
    JsonNode acme = json.get(4);
    assertThat(acme.get("role").asText()).isEqualTo("acme");
    assertThat(acme.get("expired").asBoolean()).isFalse();
    assertThat(json.get(5).get("expired").asBoolean()).isTrue();
    assertThat(Instant.parse(acme.get("expires").asText()))
        .isEqualTo(registry.repository.load().targets("acme").orElseThrow().signed().expires());
  }

  @Test
  void renewTargets_newVersionAndExpiry_clientsStillVerify() throws Exception {
    long before = registry.repository.load().targets("targets").orElseThrow().signed().version();
    String out =
        run(
            "renew-targets",
            "--data",
            registry.data.toString(),
            "--passphrase-file",
            registry.passphraseFile.toString(),
            "--days",
            "20")[0];
    assertThat(out)
        .startsWith("Renewed the top-level targets: version " + (before + 1) + ", expires ");
    var targets = registry.repository.load().targets("targets").orElseThrow().signed();
    assertThat(targets.version()).isEqualTo(before + 1);
    assertThat(targets.expires()).isBeforeOrEqualTo(Instant.now().plus(Duration.ofDays(20)));
    assertThat(targets.delegations().orElseThrow().roles())
        .extracting(r -> r.name())
        .containsExactly("acme", "old");
    assertThat(gauge(scrape(), "warder_role_expires_in_seconds", "targets"))
        .isBetween(Duration.ofDays(19).toSeconds(), Duration.ofDays(20).toSeconds());
    registry.client(tmp.resolve("client")).refresh();
  }

  @Test
  void renewTargets_wrongPassphrase_refusedAndNothingChanged() throws Exception {
    Map<String, String> before = registry.metadataFiles();
    Path wrong = tmp.resolve("wrong");
    org.warder.signing.PrivateFiles.writeString(wrong, "not it\n");
    StringWriter err = new StringWriter();
    int code =
        RegistryMain.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            "renew-targets",
            "--data",
            registry.data.toString(),
            "--passphrase-file",
            wrong.toString());
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("warder-registry: ");
    assertThat(registry.metadataFiles()).isEqualTo(before);
  }
}
