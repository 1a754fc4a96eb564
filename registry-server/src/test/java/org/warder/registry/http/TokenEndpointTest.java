package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.TestRegistry;

/** {@code GET /api/v1/token}: what the request's token may publish, over real HTTP. */
class TokenEndpointTest {
  @TempDir Path tmp;
  private TestRegistry registry;

  @BeforeEach
  void setUp() throws Exception {
    registry = TestRegistry.create(tmp).start();
  }

  @AfterEach
  void tearDown() throws Exception {
    registry.close();
  }

  @Test
  void get_answersThePublisherAndRolesNeverTheSecret() throws Exception {
    String token = registry.token("acme", "plugins-acme", "team-acme");
    HttpResponse<byte[]> r =
        registry.http().send("GET", "/api/v1/token", null, "Authorization", "Bearer " + token);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    JsonNode body = Http.json(r);
    assertThat(body.path("publisher").asText()).isEqualTo("acme");
    assertThat(body.path("roles").toString()).isEqualTo("[\"plugins-acme\",\"team-acme\"]");
    assertThat(token).startsWith("wrd_" + body.path("id").asText() + "_");
    assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(token);
  }

  @Test
  void get_withoutAValidToken_401_andOnlyGet() throws Exception {
    assertThat(registry.http().send("GET", "/api/v1/token", null).statusCode()).isEqualTo(401);
    String token = registry.token("acme", "plugins-acme");
    assertThat(
            registry
                .http()
                .send("POST", "/api/v1/token", new byte[0], "Authorization", "Bearer " + token)
                .statusCode())
        .isEqualTo(405);
  }
}
