package org.warder.registry.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Http;
import org.warder.registry.testing.PostgresDatabase;
import org.warder.registry.testing.PostgresNode;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.ServerProcess;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.PrivateFiles;

/**
 * {@code warder-registry serve --database-url} as a real process holding the signer lease, killed
 * with SIGKILL (no release): a node in this JVM takes the lease over within the lease's duration
 * plus a renewal interval (8 + 2 s), and publishes.
 */
class SignerTakeoverTest {
  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();

  @TempDir Path tmp;

  private String holder() throws Exception {
    try (Connection c = postgres.connect();
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT holder FROM signer_lease")) {
      return row.next() ? row.getString(1) : "";
    }
  }

  /** Publishes version {@code version} of acme listing {@code web}; its timestamp version. */
  private static long publish(Publisher acme, Ed25519SigningKey key, long version, byte[] web)
      throws Exception {
    HttpResponse<byte[]> r =
        acme.submit(
            "acme",
            Publisher.targets(
                    version,
                    Instant.now().plus(Duration.ofDays(30)),
                    Map.of("plugins/acme-web", web),
                    List.of(key))
                .toBytes());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return Http.json(r).get("timestamp").asLong();
  }

  @Test
  void testKilledHolder_leaseMovesWithinTenSecondsAndTheNewHolderPublishes() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp);
    Ed25519SigningKey acmeKey = Ed25519SigningKey.generate();
    registry.delegate("acme", List.of(acmeKey), 1, "plugins/acme-*");
    Path password = tmp.resolve("db.password");
    PrivateFiles.writeString(password, postgres.password() + "\n");
    try (ServerProcess first =
        ServerProcess.start(
            registry.data,
            Optional.empty(),
            tmp.resolve("logs"),
            "--database-url",
            postgres.url(),
            "--database-user",
            postgres.user(),
            "--database-password-file",
            password.toString())) {
      String firstPid = "/" + first.process().pid() + "/";
      Instant started = Instant.now();
      while (!holder().contains(firstPid)) {
        assertThat(Instant.now()).isBefore(started.plusSeconds(10));
        Thread.sleep(100);
      }
      try (PostgresNode second =
          PostgresNode.start(
              registry.layout,
              postgres,
              PostgresSignerLease.DURATION,
              PostgresSignerLease.RENEW_EVERY)) {
        String token = second.tokens().create("acme", List.of("acme")).secret();
        byte[] web = "acme web\n".getBytes(StandardCharsets.UTF_8);
        Publisher acme = second.publisher(token);
        acme.upload(web);
        long relayedTimestamp = publish(acme, acmeKey, 1, web);
        assertThat(second.relayed()).as("published by the process holding the lease").isOne();
        assertThat(holder()).contains(firstPid);

        first.kill();
        Instant killed = Instant.now();
        second.awaitLease(Duration.ofSeconds(15));
        Duration takeover = Duration.between(killed, Instant.now());
        System.err.println("lease moved " + takeover.toMillis() + " ms after SIGKILL");
        assertThat(takeover)
            .isLessThanOrEqualTo(
                PostgresSignerLease.DURATION.plus(PostgresSignerLease.RENEW_EVERY).plusSeconds(1));

        long signedTimestamp = publish(acme, acmeKey, 2, web);
        assertThat(signedTimestamp).isEqualTo(relayedTimestamp + 1);
        assertThat(second.relayed()).as("signed by itself now").isOne();
      }
    }
  }
}
