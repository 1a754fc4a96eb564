package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.release.SyntheticRelease;
import org.warder.client.team.TeamTargets;
import org.warder.client.testing.TreeSnapshot;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.Digests;
import org.warder.signing.Key;
import org.warder.signing.testing.CliRun;

/**
 * {@code push} and {@code publish} check the token's roles and the role's delegation to the signing
 * key before they export or upload anything, against a real registry in process; a refusal names
 * what is missing and the administrator's command, exits 77, and leaves the registry without a new
 * blob and the host without an export.
 */
class PublishPermissionTest {
  @TempDir Path tmp;
  PublishingRegistry registry;
  Key acme;

  @BeforeEach
  void registry() throws Exception {
    registry = new PublishingRegistry(tmp);
    acme = registry.generateKey("acme");
    registry.registry.delegate(
        TeamTargets.role("acme"), acme, TeamTargets.delegatedPaths("acme").toArray(String[]::new));
    registry.registry.delegate("releases", acme, "releases/*/*/*");
    CliRun create = registry.warder(registry.publisherRoot, "create", "-e", "-n", "web");
    assertThat(create.exitCode()).as(create.err()).isZero();
  }

  @AfterEach
  void close() throws IOException {
    registry.close();
  }

  private CliRun push(String as, String key) {
    return registry.warder(
        registry.publisherRoot, "push", "web", "--repo", "main", "--as", as, "--key", key);
  }

  private List<String> blobs() throws IOException {
    return files(new RegistryLayout(tmp.resolve("registry")).blobs());
  }

  private List<String> exports() throws IOException {
    return files(registry.publisherRoot.resolve("images"));
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(Path::toString).sorted().toList();
    }
  }

  @Test
  void push_tokenWithoutTheTeamRole_refusedBeforeTheExport() throws Exception {
    registry.useToken("acme", "plugins-acme");
    CliRun run = push("acme/web", "acme");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.NO_PERMISSION);
    assertThat(run.err())
        .contains("of publisher acme may publish plugins-acme, not team-acme")
        .contains("nothing was exported or uploaded")
        .contains("warder-registry token create --publisher acme --role team-acme");
    assertThat(blobs()).isEmpty();
    assertThat(exports()).isEmpty();
  }

  @Test
  void push_keyTheDelegationDoesNotName_refusedBeforeTheExport() throws Exception {
    registry.useToken("acme", TeamTargets.role("acme"));
    Key other = registry.generateKey("other");
    CliRun run = push("acme/web", "other");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.NO_PERMISSION);
    assertThat(run.err())
        .contains("(keyid " + other.keyId() + ") is not a key of role team-acme")
        .contains("its keys: " + acme.keyId())
        .contains("warder-registry delegate team-acme --key acme.pub.json");
    assertThat(blobs()).isEmpty();
    assertThat(exports()).isEmpty();
  }

  @Test
  void push_undelegatedTeam_refusedWithTheDelegateCommand() throws Exception {
    registry.useToken("nobody", TeamTargets.role("nobody"));
    CliRun run = push("nobody/web", "acme");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.NO_PERMISSION);
    assertThat(run.err())
        .contains("role team-nobody is not delegated in the registry's signed metadata")
        .contains("warder-registry delegate team-nobody --key nobody.pub.json");
    assertThat(blobs()).isEmpty();
  }

  @Test
  void push_permitted_uploads() throws Exception {
    registry.useToken("acme", TeamTargets.role("acme"));
    CliRun run = push("acme/web", "acme");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(blobs()).isNotEmpty();
  }

  @Test
  void pushDryRun_permitted_namesTheBundleAndExportsAndUploadsNothing() throws Exception {
    registry.useToken("acme", TeamTargets.role("acme"));
    TreeSnapshot before = TreeSnapshot.of(tmp.resolve("registry"));
    CliRun run =
        registry.warder(
            registry.publisherRoot,
            "push",
            "web",
            "--repo",
            "main",
            "--as",
            "acme/web",
            "--key",
            "acme",
            "--tag",
            "7",
            "--dry-run");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "export: jail web as a tar bundle, full\n"
                + "upload: acme/web tag 7 (no base tag), signed into role team-acme\n"
                + "(--dry-run: nothing was exported or uploaded)\n");
    assertThat(TreeSnapshot.of(tmp.resolve("registry")))
        .as("no blob, no new version of team-acme")
        .isEqualTo(before);
    assertThat(exports()).isEmpty();
    assertThat(push("acme/web", "acme").exitCode()).isZero();
    assertThat(TreeSnapshot.of(tmp.resolve("registry"))).isNotEqualTo(before);
  }

  @Test
  void pushDryRun_tokenWithoutTheTeamRole_refusedLikeThePush() throws Exception {
    registry.useToken("acme", "plugins-acme");
    CliRun run =
        registry.warder(
            registry.publisherRoot,
            "push",
            "web",
            "--repo",
            "main",
            "--as",
            "acme/web",
            "--key",
            "acme",
            "--dry-run");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.NO_PERMISSION);
    assertThat(run.err()).contains("may publish plugins-acme, not team-acme");
    assertThat(run.out()).doesNotContain("upload:");
  }

  @Test
  void publishReleaseDryRun_namesFilesAndRoleVersionAndUploadsNothing() throws Exception {
    registry.useToken("acme", "releases");
    Path dist = tmp.resolve("dist");
    SyntheticRelease.write(dist, false, 1);
    TreeSnapshot before = TreeSnapshot.of(tmp.resolve("registry"));
    CliRun run =
        registry.warder(
            registry.publisherRoot,
            "publish",
            "release",
            "14.2-RELEASE",
            dist.toString(),
            "--repo",
            "main",
            "--key",
            "acme",
            "--dry-run");
    assertThat(run.exitCode()).as(run.err()).isZero();
    Path base = dist.resolve("base.txz");
    assertThat(run.out())
        .contains(
            "upload: "
                + base
                + " as releases/14.2-RELEASE/amd64/base.txz, "
                + Files.size(base)
                + " bytes, sha256 "
                + Digests.sha256Hex(base))
        .contains("as releases/14.2-RELEASE/amd64/MANIFEST, ")
        .contains("sign: role releases version 1, listing these files")
        .endsWith("(--dry-run: nothing was uploaded or signed)\n");
    assertThat(TreeSnapshot.of(tmp.resolve("registry")))
        .as("no blob, no version of releases")
        .isEqualTo(before);
  }

  @Test
  void publishRelease_tokenWithoutReleases_refusedBeforeTheUpload() throws Exception {
    registry.useToken("acme", "plugins-acme");
    Path dist = tmp.resolve("dist");
    SyntheticRelease.write(dist, false, 1);
    CliRun run =
        registry.warder(
            registry.publisherRoot,
            "publish",
            "release",
            "14.2-RELEASE",
            dist.toString(),
            "--repo",
            "main",
            "--key",
            "acme",
            "--arch",
            "amd64");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.NO_PERMISSION);
    assertThat(run.err())
        .contains("may publish plugins-acme, not releases")
        .contains("warder-registry token create --publisher acme --role releases");
    assertThat(blobs()).isEmpty();
  }
}
