package org.warder.client.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.warder.index.BundleManifest.Format;
import org.warder.signing.tuf.DelegatedRole;
import org.warder.signing.tuf.TargetFile;

/**
 * The naming of team bundles: names, paths, delegations, custom objects, references, and reading
 * targets back.
 */
class TeamTargetsTest {
  static final Instant PUBLISHED = Instant.parse("2026-03-01T10:15:30Z");
  static final String SHA = "ab".repeat(32);
  static final BundleSpec FULL =
      new BundleSpec(
          BundleKind.TEMPLATE, "acme", "dns", "1", "14.2-RELEASE", Format.ZFS, Optional.empty());
  static final BundleSpec INCREMENTAL =
      new BundleSpec(
          BundleKind.JAIL,
          "acme",
          "web_1",
          "2.0-rc1",
          "14.2-RELEASE",
          Format.TAR,
          Optional.of("1"));

  @Test
  void testPath_rolesPathsAndDelegation() {
    assertThat(TeamTargets.role("acme")).isEqualTo("team-acme");
    assertThat(TeamTargets.teamOf("team-acme")).contains("acme");
    assertThat(TeamTargets.teamOf("plugins-acme")).isEmpty();
    assertThat(TeamTargets.teamOf("team-ACME")).isEmpty();
    assertThat(TeamTargets.path(BundleKind.TEMPLATE, "acme", "dns", "1"))
        .isEqualTo("templates/acme/dns/1.bundle");
    assertThat(TeamTargets.path(BundleKind.JAIL, "acme", "web", "2.0"))
        .isEqualTo("jails/acme/web/2.0.bundle");
    assertThat(TeamTargets.delegatedPaths("acme"))
        .containsExactly("templates/acme/*/*", "jails/acme/*/*");

    // the registry matches patterns segment by segment, as python-tuf does
    DelegatedRole delegation =
        DelegatedRole.withPaths(
            "team-acme", List.of("k"), 1, true, TeamTargets.delegatedPaths("acme"));
    assertThat(delegation.isDelegatedPath("templates/acme/dns/1.bundle")).isTrue();
    assertThat(delegation.isDelegatedPath("jails/acme/web/2.0.bundle")).isTrue();
    assertThat(delegation.isDelegatedPath("templates/other/dns/1.bundle")).isFalse();
    assertThat(delegation.isDelegatedPath("templates/acme/dns/x/1.bundle")).isFalse();
    assertThat(
            DelegatedRole.withPaths("team-acme", List.of("k"), 1, true, List.of("templates/acme/*"))
                .isDelegatedPath("templates/acme/dns/1.bundle"))
        .isFalse();
  }

  @Test
  void testCustom_fullAndIncremental() {
    assertThat(TeamTargets.custom(FULL, PUBLISHED))
        .hasToString(
            "{\"kind\":\"template-bundle\",\"team\":\"acme\","
                + "\"name\":\"dns\",\"tag\":\"1\",\"published\":\"2026-03-01T10:15:30Z\",\"release\":\"14.2-RELEASE\","
                + "\"format\":\"zfs\"}");
    assertThat(TeamTargets.custom(INCREMENTAL, PUBLISHED))
        .hasToString(
            "{\"kind\":\"jail-bundle\",\"team\":\"acme\","
                + "\"name\":\"web_1\",\"tag\":\"2.0-rc1\",\"published\":\"2026-03-01T10:15:30Z\",\"release\":\"14.2-RELEASE\","
                + "\"format\":\"tar\",\"base_tag\":\"1\"}");
  }

  @Test
  void testRead_givesBackWhatWasPublished() throws Exception {
    RemoteBundle full =
        TeamTargets.read(
            target("templates/acme/dns/1.bundle", TeamTargets.custom(FULL, PUBLISHED)), "acme");
    assertThat(full.spec()).isEqualTo(FULL);
    assertThat(full.published()).isEqualTo(PUBLISHED);
    assertThat(full.path()).isEqualTo("templates/acme/dns/1.bundle");
    assertThat(full.length()).isEqualTo(1234);
    assertThat(full.sha256()).isEqualTo(SHA);
    RemoteBundle incremental =
        TeamTargets.read(
            target("jails/acme/web_1/2.0-rc1.bundle", TeamTargets.custom(INCREMENTAL, PUBLISHED)),
            "acme");
    assertThat(incremental.spec()).isEqualTo(INCREMENTAL);
    assertThat(incremental.spec().incremental()).isTrue();
  }

  @Test
  void testRead_targetOutsideTheTeamOrDisagreeingRefused() {
    ObjectNode custom = TeamTargets.custom(FULL, PUBLISHED);
    // another team's name in a role's metadata
    assertThatThrownBy(
            () -> TeamTargets.read(target("templates/acme/dns/1.bundle", custom), "evil"))
        .isInstanceOf(BundleCatalogInconsistencyException.class)
        .hasMessage(
            "role team-evil signs target \"templates/acme/dns/1.bundle\": expected a path"
                + " templates/evil/NAME/TAG.bundle or jails/evil/NAME/TAG.bundle with a valid name and tag; refusing a role"
                + " that names bundles outside its team's paths; tell the registry's administrator");
    for (String path :
        List.of(
            "templates/acme/dns/1.tar",
            "templates/acme/../1.bundle",
            "templates/acme/dns/...bundle",
            "plugins/acme/dns/1.bundle",
            "templates/acme/dns",
            "templates/acme/a/b/1.bundle",
            "templates/acme/d.ns/1.bundle")) {
      assertThatThrownBy(() -> TeamTargets.read(target(path, custom), "acme"))
          .as(path)
          .isInstanceOf(BundleCatalogInconsistencyException.class)
          .hasMessageContaining("outside its team's paths");
    }
    // a template published as a jail, and custom fields that disagree with the path
    assertThatThrownBy(() -> TeamTargets.read(target("jails/acme/dns/1.bundle", custom), "acme"))
        .isInstanceOf(BundleCatalogInconsistencyException.class)
        .hasMessage(
            "role team-acme signs target \"jails/acme/dns/1.bundle\": expected custom.kind jail-bundle, found"
                + " \"template-bundle\"; warder does not publish such metadata, ask the team to publish again with 'warder push'");
    assertThatThrownBy(
            () -> TeamTargets.read(target("templates/acme/dns/2.bundle", custom), "acme"))
        .hasMessageContaining("expected custom.tag 2, found \"1\"");
    assertThatThrownBy(
            () ->
                TeamTargets.read(
                    target("templates/acme/dns/1.bundle", custom.deepCopy().put("format", "cpio")),
                    "acme"))
        .hasMessageContaining("expected custom.format zfs or tar, found \"cpio\"");
    assertThatThrownBy(
            () ->
                TeamTargets.read(
                    target(
                        "templates/acme/dns/1.bundle",
                        custom.deepCopy().put("published", "yesterday")),
                    "acme"))
        .hasMessageContaining(
            "expected custom.published as an ISO-8601 instant, found \"yesterday\"");
    assertThatThrownBy(
            () ->
                TeamTargets.read(
                    target(
                        "templates/acme/dns/1.bundle", custom.deepCopy().put("release", "../14.2")),
                    "acme"))
        .hasMessageContaining("expected custom.release like 14.2-RELEASE, found \"../14.2\"");
    assertThatThrownBy(
            () ->
                TeamTargets.read(
                    target("templates/acme/dns/1.bundle", custom.deepCopy().put("base_tag", 1)),
                    "acme"))
        .hasMessageContaining(
            "expected custom.base_tag, when present, to be another valid tag, found none");
    assertThatThrownBy(
            () ->
                TeamTargets.read(
                    target("templates/acme/dns/1.bundle", custom.deepCopy().put("base_tag", "1")),
                    "acme"))
        .hasMessageContaining("to be another valid tag, found \"1\"");
    assertThatThrownBy(
            () ->
                TeamTargets.read(
                    new TargetFile(
                        "templates/acme/dns/1.bundle",
                        1,
                        Map.of("sha512", SHA),
                        Optional.of(custom)),
                    "acme"))
        .hasMessageContaining("expected a sha256 of 64 lower-case hex digits, found \"none\"");
  }

  @Test
  void testCheck_badNamesRefused() {
    for (String team : List.of("ACME", "../acme", "a/b", "-acme", "", "a".repeat(56), "acme_1")) {
      assertThatThrownBy(() -> TeamTargets.checkTeam(team))
          .as(team)
          .isInstanceOf(InvalidBundleNameException.class)
          .hasMessageContaining("expected a team name of 1 to 55 lower-case letters");
    }
    for (String name :
        List.of("..", "a/b", "../etc", "d.ns", "-dns", "_dns", "123", "", "a".repeat(65))) {
      assertThatThrownBy(() -> TeamTargets.checkName(name))
          .as(name)
          .isInstanceOf(InvalidBundleNameException.class)
          .hasMessageContaining("expected a bundle name of 1 to 64 letters")
          .hasMessageContaining("--as TEAM/NAME");
    }
    for (String tag : List.of("..", "a/b", "1..2", ".hidden", "-1", "", "1 2")) {
      assertThatThrownBy(() -> TeamTargets.checkTag(tag))
          .as(tag)
          .isInstanceOf(InvalidBundleNameException.class)
          .hasMessageContaining("expected a tag of 1 to 64")
          .hasMessageContaining("--tag");
    }
    assertThatThrownBy(
            () ->
                TeamTargets.check(
                    new BundleSpec(
                        BundleKind.TEMPLATE,
                        "acme",
                        "dns",
                        "1",
                        "latest",
                        Format.ZFS,
                        Optional.empty())))
        .hasMessage(
            "expected the FreeBSD release of acme/dns:1 like 14.2-RELEASE, found \"latest\"");
    assertThatThrownBy(
            () ->
                TeamTargets.check(
                    new BundleSpec(
                        BundleKind.TEMPLATE,
                        "acme",
                        "dns",
                        "2",
                        "14.2-RELEASE",
                        Format.ZFS,
                        Optional.of("2"))))
        .isInstanceOf(InvalidBundleNameException.class)
        .hasMessageContaining("found its own tag 2");
    assertThatThrownBy(
            () ->
                TeamTargets.check(
                    new BundleSpec(
                        BundleKind.TEMPLATE,
                        "acme",
                        "dns",
                        "2",
                        "14.2-RELEASE",
                        Format.ZFS,
                        Optional.of("../1"))))
        .hasMessageContaining("expected a tag of 1 to 64");
  }

  @Test
  void testParse_referenceForms() throws Exception {
    assertThat(BundleRef.parse("acme/dns"))
        .isEqualTo(new BundleRef(Optional.empty(), "acme", "dns", Optional.empty()));
    assertThat(BundleRef.parse("acme/dns:2.1"))
        .isEqualTo(new BundleRef(Optional.empty(), "acme", "dns", Optional.of("2.1")));
    assertThat(BundleRef.parse("main:acme/dns"))
        .isEqualTo(new BundleRef(Optional.of("main"), "acme", "dns", Optional.empty()));
    BundleRef full = BundleRef.parse("team-repo:acme/dns_template:v2");
    assertThat(full)
        .isEqualTo(
            new BundleRef(Optional.of("team-repo"), "acme", "dns_template", Optional.of("v2")));
    assertThat(full).hasToString("acme/dns_template:v2");
  }

  @Test
  void testParse_malformedReferenceRefused() {
    for (String text :
        List.of(
            "",
            "acme",
            "acme/",
            "/dns",
            "acme/dns:",
            ":acme/dns",
            "acme/dns/x",
            "main:acme/dns:1:2",
            "a:b:acme/dns",
            "acme//dns")) {
      assertThatThrownBy(() -> BundleRef.parse(text))
          .as(text)
          .isInstanceOf(InvalidBundleReferenceException.class)
          .hasMessageStartingWith(
              "expected a bundle reference TEAM/NAME, TEAM/NAME:TAG, REPO:TEAM/NAME or"
                  + " REPO:TEAM/NAME:TAG, found \""
                  + text
                  + "\" (");
    }
    assertThatThrownBy(() -> BundleRef.parse("acme/dns/x"))
        .hasMessageEndingWith("(more than one '/')");
    assertThatThrownBy(() -> BundleRef.parse("Main:acme/dns"))
        .isInstanceOf(InvalidBundleReferenceException.class)
        .hasMessageContaining("expected a repository name")
        .hasMessageContaining("found \"Main\"");
    assertThatThrownBy(() -> BundleRef.parse("ACME/dns"))
        .isInstanceOf(InvalidBundleNameException.class)
        .hasMessageContaining("found \"ACME\"");
    assertThatThrownBy(() -> BundleRef.parse("acme/..:1"))
        .isInstanceOf(InvalidBundleNameException.class)
        .hasMessageContaining("found \"..\"");
    assertThatThrownBy(() -> BundleRef.parse("acme/dns:.."))
        .isInstanceOf(InvalidBundleNameException.class)
        .hasMessageContaining("expected a tag");
  }

  static TargetFile target(String path, ObjectNode custom) {
    return new TargetFile(path, 1234, Map.of("sha256", SHA), Optional.of(custom));
  }
}
