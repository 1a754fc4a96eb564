package org.warder.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.StrictJson;
import org.warder.signing.testing.CliRun;

/** {@code warder-registry token create|list|revoke}, and their effect on a running server. */
class TokenCommandTest {
  @TempDir Path tmp;
  private TestRegistry registry;
  private String data;

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp).start();
    data = registry.data.toString();
  }

  @AfterEach
  void tearDown() throws Exception {
    registry.close();
  }

  @Test
  void testToken_createListRevoke() throws Exception {
    CliRun created =
        CliRun.of(
            RegistryMain::run,
            "token",
            "create",
            "--publisher",
            "acme",
            "--role",
            "acme",
            "acme-beta",
            "--data",
            data);
    assertThat(created.exitCode()).as(created.err()).isZero();
    String token = created.out().strip();
    assertThat(token).matches("wrd_[0-9a-f]{12}_[0-9a-f]{64}");
    String id = token.substring(4, 16);
    assertThat(created.err())
        .contains(
            "Created token " + id + " for acme, roles acme,acme-beta", "shown only this once");

    Path file = registry.layout.tokens();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String stored = Files.readString(file);
    assertThat(stored)
        .doesNotContain(token.substring(17))
        .contains(Digests.sha256Hex(token.getBytes(StandardCharsets.UTF_8)));

    CliRun table = CliRun.of(RegistryMain::run, "token", "list", "--data", data);
    assertThat(table.out())
        .startsWith("ID")
        .contains(id, "acme,acme-beta")
        .doesNotContain(token.substring(17));
    CliRun scripted = CliRun.of(RegistryMain::run, "token", "list", "-h", "--data", data);
    assertThat(scripted.out().strip().split("\t"))
        .hasSize(4)
        .startsWith(id, "acme", "acme,acme-beta");
    CliRun json = CliRun.of(RegistryMain::run, "token", "list", "--json", "--data", data);
    var array = StrictJson.parse(json.out());
    assertThat(array.get(0).get("id").asText()).isEqualTo(id);
    assertThat(array.get(0).get("roles").toString()).isEqualTo("[\"acme\",\"acme-beta\"]");
    assertThat(array.get(0).has("sha256")).isFalse();

    // the running server accepts the token at once, and refuses it once revoked
    Http http = registry.http();
    assertThat(
            http.send("POST", "/api/v1/uploads", null, "Authorization", "Bearer " + token)
                .statusCode())
        .isEqualTo(201);
    CliRun revoked = CliRun.of(RegistryMain::run, "token", "revoke", id, "--data", data);
    assertThat(revoked.exitCode()).isZero();
    assertThat(revoked.out()).contains("Revoked token " + id);
    HttpResponse<byte[]> after =
        http.send("POST", "/api/v1/uploads", null, "Authorization", "Bearer " + token);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(CliRun.of(RegistryMain::run, "token", "list", "-h", "--data", data).out()).isEmpty();
  }

  @Test
  void testToken_badInput() {
    CliRun again = CliRun.of(RegistryMain::run, "token", "revoke", "0123456789ab", "--data", data);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("no token with id 0123456789ab");
    assertThat(CliRun.of(RegistryMain::run, "token", "revoke", "xyz", "--data", data).exitCode())
        .isEqualTo(2);
    CliRun badRole =
        CliRun.of(
            RegistryMain::run,
            "token",
            "create",
            "--publisher",
            "acme",
            "--role",
            "Acme",
            "--data",
            data);
    assertThat(badRole.exitCode()).isEqualTo(2);
    assertThat(badRole.err()).contains("expected a role name", "found \"Acme\"");
    assertThat(
            CliRun.of(RegistryMain::run, "token", "create", "--publisher", "acme", "--data", data)
                .exitCode())
        .isEqualTo(2);
    assertThat(CliRun.of(RegistryMain::run, "token", "list", "--help").out())
        .contains("-h", "Scripting mode", "--json");
  }
}
