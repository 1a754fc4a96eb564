package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.progress.ProgressListener;
import org.warder.client.publish.DelegatedRoles;
import org.warder.client.publish.RegistryClient;
import org.warder.client.release.SyntheticRelease;
import org.warder.client.team.TeamTargets;
import org.warder.client.testing.TreeSnapshot;
import org.warder.signing.Digests;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;

/**
 * Delegated roles expire and only their publisher can re-sign them: {@code warder publish} warns
 * when a role its token may publish expires within 30 days, and {@code warder publish renew}
 * re-signs the role's current targets with a new expiry; against a real registry in process, the
 * role really signed to expire that soon.
 */
class RoleExpiryCliTest {
  private static final String TEAM = TeamTargets.role("acme");
  private static final String TARGET = "templates/acme/web/1.txz";

  @TempDir Path tmp;
  PublishingRegistry registry;
  String token;

  @BeforeEach
  void registry() throws Exception {
    registry = new PublishingRegistry(tmp);
    var acme = registry.generateKey("acme");
    registry.registry.delegate(
        TEAM, acme, TeamTargets.delegatedPaths("acme").toArray(String[]::new));
    registry.registry.delegate("releases", acme, "releases/*/*/*");
    token = registry.registry.token("acme", "releases", TEAM);
    registry.env.put("WARDER_TOKEN", token);
  }

  @AfterEach
  void close() throws IOException {
    registry.close();
  }

  /** Publishes version 1 of the team role, one target, expiring {@code left} from now. */
  private void publishTeamRoleExpiringIn(Duration left) throws Exception {
    Path file = tmp.resolve("web.txz");
    Files.write(file, "a template".getBytes(StandardCharsets.UTF_8));
    String sha256 = Digests.sha256Hex(file);
    RegistryClient client = new RegistryClient(java.net.URI.create(registry.registry.url()), token);
    client.upload(file, sha256, Files.size(file), ProgressListener.NONE);
    DelegatedRoles.submitNextVersionExpiring(
        TEAM,
        Optional.empty(),
        Map.of(TARGET, TargetFile.of(TARGET, Files.size(file), sha256)),
        Instant.now().plus(left),
        registry.signingKey("acme"),
        client);
  }

  private CliRun publishRelease() throws IOException {
    Path dist = tmp.resolve("dist");
    SyntheticRelease.write(dist, false, 1);
    return registry.warder(
        registry.publisherRoot,
        "publish",
        "release",
        "14.2-RELEASE",
        dist.toString(),
        "--repo",
        "main",
        "--key",
        "acme");
  }

  private Metadata<Targets> team() throws Exception {
    return registry.updater(registry.publisherRoot).roleMetadata(TEAM).orElseThrow();
  }

  @Test
  void publish_teamRoleExpiresIn29Days_warnsWithTheRenewCommand() throws Exception {
    publishTeamRoleExpiringIn(Duration.ofDays(29));
    CliRun run = publishRelease();
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains("warder: warning: role team-acme (version 1) expires in 28 days, at ")
        .contains("renew it: warder publish renew team-acme --repo main")
        // the role just published is valid for 90 days, the top-level targets for 180
        .doesNotContain("role releases")
        .doesNotContain("top-level targets");
  }

  @Test
  void publish_teamRoleExpiresIn31Days_noWarning() throws Exception {
    publishTeamRoleExpiringIn(Duration.ofDays(31));
    CliRun run = publishRelease();
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).doesNotContain("warning");
  }

  @Test
  void renew_resignsTheServedTargetsWithANewExpiry() throws Exception {
    publishTeamRoleExpiringIn(Duration.ofDays(29));
    Metadata<Targets> before = team();
    Instant start = Instant.now();
    CliRun run =
        registry.warder(
            registry.publisherRoot, "publish", "renew", TEAM, "--repo", "main", "--key", "acme");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("renewed team-acme: version 2, 1 target(s) unchanged, expires ");
    assertThat(run.err()).doesNotContain("warning");

    // a client refreshing afterwards: version 2, 90 days, the same targets, still found
    Metadata<Targets> after = team();
    assertThat(after.signed().version()).isEqualTo(2);
    assertThat(after.signed().expires())
        .isAfterOrEqualTo(start.plus(Duration.ofDays(90)).minusSeconds(1))
        .isBeforeOrEqualTo(Instant.now().plus(Duration.ofDays(90)));
    assertThat(after.signed().targets()).isEqualTo(before.signed().targets());
    registry.addRepo(tmp.resolve("fresh-host"));
    assertThat(registry.updater(tmp.resolve("fresh-host")).targetInfo(TARGET))
        .isEqualTo(before.signed().targets().get(TARGET));
  }

  @Test
  void renew_withDays_expiresThenAndWarnsWhenThatIsSoon() throws Exception {
    publishTeamRoleExpiringIn(Duration.ofDays(60));
    CliRun run =
        registry.warder(
            registry.publisherRoot,
            "publish",
            "renew",
            TEAM,
            "--repo",
            "main",
            "--key",
            "acme",
            "--days",
            "10");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(team().signed().expires())
        .isBeforeOrEqualTo(Instant.now().plus(Duration.ofDays(10)));
    assertThat(run.err()).contains("warder: warning: role team-acme (version 2) expires in 9 days");
  }

  @Test
  void renew_roleTheTokenMayNotPublish_refusedAndNothingChanged() throws Exception {
    publishTeamRoleExpiringIn(Duration.ofDays(29));
    registry.useToken("acme", "releases");
    TreeSnapshot before = TreeSnapshot.of(tmp.resolve("registry"));
    CliRun run =
        registry.warder(
            registry.publisherRoot, "publish", "renew", TEAM, "--repo", "main", "--key", "acme");
    assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCodes.NO_PERMISSION);
    assertThat(run.err())
        .contains("may publish releases, not team-acme")
        .contains("warder-registry token create --publisher acme --role team-acme");
    assertThat(TreeSnapshot.of(tmp.resolve("registry"))).isEqualTo(before);
    assertThat(team().signed().version()).isEqualTo(1);
  }

  @Test
  void renew_roleNeverPublished_refusedAndNothingChanged() throws Exception {
    TreeSnapshot before = TreeSnapshot.of(tmp.resolve("registry"));
    CliRun run =
        registry.warder(
            registry.publisherRoot,
            "publish",
            "renew",
            "releases",
            "--repo",
            "main",
            "--key",
            "acme");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err())
        .contains("expected published metadata of role releases to renew, found none");
    assertThat(TreeSnapshot.of(tmp.resolve("registry"))).isEqualTo(before);
  }

  @Test
  void renew_daysOutOfRange_usageError() {
    CliRun run =
        registry.warder(
            registry.publisherRoot, "publish", "renew", TEAM, "--repo", "main", "--days", "366");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("expected --days from 1 to 365, found 366");
  }
}
