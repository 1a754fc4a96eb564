package org.warder.client.team;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.cli.PublishingRegistry;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.progress.ProgressListener;
import org.warder.client.publish.DelegatedRoles;
import org.warder.client.publish.Destination;
import org.warder.client.publish.RegistryApiException;
import org.warder.client.publish.RegistryClient;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.client.team.BundlePublisher.Outcome;
import org.warder.client.team.BundlePublisher.Publication;
import org.warder.index.BundleManifest.Format;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.Key;
import org.warder.signing.testing.CliRun;
import org.warder.signing.tuf.DigestMismatchException;
import org.warder.signing.tuf.TargetFile;

/**
 * Team bundles with real components: a registry in-process over real HTTP ({@link
 * PublishingRegistry}), a key made with {@code warder key generate} delegated the roles {@code
 * team-acme}, {@code team-loop}, {@code team-ops} (never published) and, carelessly, {@code
 * team-evil} for every team's templates; a token for all but {@code team-ops}. {@link
 * BundlePublisher} publishes arbitrary bytes as bundles (this layer never looks inside), {@link
 * RemoteBundles} reads them back on other hosts. Later tests build on earlier ones; the last two
 * leave the catalogue refusing everything.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TeamBundleEndToEndTest {
  static final String REL = "14.2-RELEASE";
  static final byte[] DNS_1 = bytes(1, 200_000);
  static final byte[] DNS_2 = bytes(2, 5_000);
  static final byte[] DNS_10 = bytes(10, 3_000);
  static final byte[] WEB_1 = bytes(11, 70_001);
  @TempDir static Path tmp;
  static PublishingRegistry registry;
  static Ed25519SigningKey signer;
  static String token;
  static Instant t0;

  @BeforeAll
  static void setUp() throws Exception {
    registry = new PublishingRegistry(tmp);
    Key key = registry.generateKey("acme");
    for (String team : List.of("acme", "loop", "ops")) {
      registry.registry.delegate(
          TeamTargets.role(team), key, TeamTargets.delegatedPaths(team).toArray(String[]::new));
    }
    registry.registry.delegate("team-evil", key, "templates/*/*/*");
    signer = registry.signingKey("acme");
    token = registry.registry.token("acme", "team-acme", "team-loop", "team-evil");
    t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    registry.close();
  }

  @Test
  @Order(1)
  void testPublish_fullTemplateTag() throws Exception {
    Publication p = publish(1, template("dns", "1", Optional.empty()), DNS_1);
    assertThat(p)
        .isEqualTo(
            new Publication(
                Outcome.PUBLISHED, "templates/acme/dns/1.bundle", 200_000, sha256(DNS_1), 1));
    TargetFile signed =
        registry
            .updater(registry.publisherRoot)
            .roleMetadata("team-acme")
            .orElseThrow()
            .signed()
            .targets()
            .get("templates/acme/dns/1.bundle");
    assertThat(signed.length()).isEqualTo(200_000);
    assertThat(signed.hashes()).isEqualTo(Map.of("sha256", sha256(DNS_1)));
    assertThat(signed.custom().orElseThrow())
        .hasToString(
            "{\"chunks\":{\"sha256\":[\""
                + sha256(DNS_1)
                + "\"],\"size\":4194304},"
                + "\"format\":\"zfs\",\"kind\":\"template-bundle\",\"name\":\"dns\","
                + "\"published\":\""
                + t0.plusSeconds(1)
                + "\",\"release\":\"14.2-RELEASE\",\"tag\":\"1\",\"team\":\"acme\"}");
  }

  @Test
  @Order(2)
  void testPublish_incrementalTagsAndAJailKeepEveryTarget() throws Exception {
    assertThat(publish(2, template("dns", "2", Optional.of("1")), DNS_2))
        .isEqualTo(
            new Publication(
                Outcome.PUBLISHED, "templates/acme/dns/2.bundle", 5_000, sha256(DNS_2), 2));
    BundleSpec web =
        new BundleSpec(BundleKind.JAIL, "acme", "web", "1", REL, Format.TAR, Optional.empty());
    assertThat(publish(3, web, WEB_1))
        .isEqualTo(
            new Publication(
                Outcome.PUBLISHED, "jails/acme/web/1.bundle", 70_001, sha256(WEB_1), 3));
    // "10" sorts before "2" as text: the newest tag is the one published last
    assertThat(publish(4, template("dns", "10", Optional.of("2")), DNS_10))
        .isEqualTo(
            new Publication(
                Outcome.PUBLISHED, "templates/acme/dns/10.bundle", 3_000, sha256(DNS_10), 4));
    Map<String, TargetFile> targets =
        registry
            .updater(registry.publisherRoot)
            .roleMetadata("team-acme")
            .orElseThrow()
            .signed()
            .targets();
    assertThat(targets.keySet())
        .containsExactly(
            "jails/acme/web/1.bundle",
            "templates/acme/dns/1.bundle",
            "templates/acme/dns/10.bundle",
            "templates/acme/dns/2.bundle");
    assertThat(
            targets
                .get("templates/acme/dns/10.bundle")
                .custom()
                .orElseThrow()
                .get("base_tag")
                .asText())
        .isEqualTo("2");
  }

  @Test
  @Order(3)
  void testPublish_sameBytesUnderAPublishedTagIsANoOp() throws Exception {
    assertThat(publish(5, template("dns", "1", Optional.empty()), DNS_1))
        .isEqualTo(
            new Publication(
                Outcome.UNCHANGED, "templates/acme/dns/1.bundle", 200_000, sha256(DNS_1), 4));
    assertThat(registry.roleVersion("team-acme")).hasValue(4);
  }

  @Test
  @Order(4)
  void testPublish_otherBytesUnderAPublishedTagRefused() throws Exception {
    byte[] changed = bytes(99, 200_000);
    Path file = write("dns-1-changed", changed);
    assertThatThrownBy(
            () ->
                new BundlePublisher(clock(6))
                    .publish(template("dns", "1", Optional.empty()), file, destination(token)))
        .isInstanceOf(TagAlreadyPublishedException.class)
        .hasMessage(
            "expected tag 1 of template acme/dns to be new or to hold the same bytes, found it published as"
                + " templates/acme/dns/1.bundle with sha256 "
                + sha256(DNS_1)
                + " (200000 bytes) while "
                + file
                + " has sha256 "
                + sha256(changed)
                + " (200000 bytes); published tags never change, publish it with another --tag");
    assertThat(registry.roleVersion("team-acme")).hasValue(4);
    assertThat(new RegistryLayout(tmp.resolve("registry")).blob(sha256(changed)).orElseThrow())
        .doesNotExist();
  }

  @Test
  @Order(5)
  void testPublish_incrementalWithoutItsBaseRefused() throws Exception {
    byte[] orphan = bytes(5, 1_000);
    assertThatThrownBy(() -> publish(7, template("dns", "5", Optional.of("4")), orphan))
        .isInstanceOf(BaseBundleNotFoundException.class)
        .hasMessage(
            "expected tag 4 of template acme/dns to be published, as the base of incremental bundle acme/dns:5,"
                + " found no such tag; publish a full bundle, or the base tag first");
    assertThatThrownBy(
            () ->
                publish(
                    7,
                    new BundleSpec(
                        BundleKind.TEMPLATE, "acme", "dns", "6", REL, Format.TAR, Optional.of("1")),
                    orphan))
        .isInstanceOf(IncompatibleBaseException.class)
        .hasMessage(
            "expected the base tag 1 of incremental bundle acme/dns:6 in format tar, found it published in format"
                + " zfs; publish a full bundle");
    // a jail's tags are not a template's
    assertThatThrownBy(
            () ->
                publish(
                    7,
                    new BundleSpec(
                        BundleKind.JAIL, "acme", "dns", "2", REL, Format.ZFS, Optional.of("1")),
                    orphan))
        .isInstanceOf(BaseBundleNotFoundException.class)
        .hasMessageStartingWith("expected tag 1 of jail acme/dns ");
    assertThat(registry.roleVersion("team-acme")).hasValue(4);
    assertThat(new RegistryLayout(tmp.resolve("registry")).blob(sha256(orphan)).orElseThrow())
        .doesNotExist();
  }

  @Test
  @Order(6)
  void testPublish_undelegatedTeamRefusedWithTheAdminsCommand() throws Exception {
    String command =
        "warder-registry delegate team-nobody --key nobody.pub.json --paths 'templates/nobody/*/*'"
            + " --paths 'jails/nobody/*/*'";
    assertThatThrownBy(
            () ->
                publish(
                    8,
                    new BundleSpec(
                        BundleKind.TEMPLATE,
                        "nobody",
                        "dns",
                        "1",
                        REL,
                        Format.ZFS,
                        Optional.empty()),
                    DNS_1))
        .isInstanceOf(TeamNotDelegatedException.class)
        .hasMessage(
            "expected the registry to delegate role team-nobody (team nobody's templates and jails), found no"
                + " such delegation; ask its administrator to run: "
                + command
                + " (nobody.pub.json: the public key file of"
                + " your signing key, keyid "
                + signer.keyId()
                + ")")
        .extracting(e -> ((TeamNotDelegatedException) e).delegateCommand())
        .isEqualTo(command);
  }

  @Test
  @Order(7)
  void testPublish_tokenForAnotherRoleRefused() throws Exception {
    assertThatThrownBy(
            () ->
                publish(
                    9,
                    new BundleSpec(
                        BundleKind.TEMPLATE, "ops", "dns", "1", REL, Format.ZFS, Optional.empty()),
                    DNS_1))
        .isInstanceOf(RegistryApiException.class)
        .hasMessageContaining("HTTP 403 DENIED")
        .hasMessageContaining("not team-ops")
        .satisfies(e -> assertThat(((RegistryApiException) e).status()).isEqualTo(403));
    assertThat(registry.roleVersion("team-ops")).isEmpty();
  }

  @Test
  @Order(8)
  void testPublish_unsafeNamesRefusedBeforeAnythingIsSent() throws Exception {
    List<BundleSpec> bad =
        List.of(
            template("..", "1", Optional.empty()),
            template("a/b", "1", Optional.empty()),
            template("dns", "..", Optional.empty()),
            template("dns", "a/b", Optional.empty()),
            template("dns", "3", Optional.of("../1")),
            new BundleSpec(
                BundleKind.TEMPLATE, "ACME", "dns", "3", REL, Format.ZFS, Optional.empty()),
            new BundleSpec(
                BundleKind.TEMPLATE, "../acme", "dns", "3", REL, Format.ZFS, Optional.empty()));
    for (BundleSpec spec : bad) {
      assertThatThrownBy(() -> publish(10, spec, bytes(12, 10)))
          .as(spec.toString())
          .isInstanceOf(InvalidBundleNameException.class)
          .hasMessageStartingWith("expected a ");
    }
    assertThat(registry.roleVersion("team-acme")).hasValue(4);
  }

  @Test
  @Order(9)
  void testList_templatesAndJailsOfEveryTeam() throws Exception {
    RemoteBundles catalogue = catalogue("host-list");
    assertThat(catalogue.list(BundleKind.TEMPLATE))
        .extracting(
            b -> b.spec().team(),
            b -> b.spec().name(),
            b -> b.spec().tag(),
            RemoteBundle::published,
            b -> b.spec().release(),
            b -> b.spec().format(),
            b -> b.spec().baseTag(),
            RemoteBundle::length)
        .containsExactly(
            tuple(
                "acme", "dns", "1", t0.plusSeconds(1), REL, Format.ZFS, Optional.empty(), 200_000L),
            tuple("acme", "dns", "2", t0.plusSeconds(2), REL, Format.ZFS, Optional.of("1"), 5_000L),
            tuple(
                "acme", "dns", "10", t0.plusSeconds(4), REL, Format.ZFS, Optional.of("2"), 3_000L));
    assertThat(catalogue.list(BundleKind.JAIL))
        .extracting(RemoteBundle::path, RemoteBundle::sha256, RemoteBundle::published)
        .containsExactly(tuple("jails/acme/web/1.bundle", sha256(WEB_1), t0.plusSeconds(3)));
  }

  @Test
  @Order(10)
  void testResolve_withAndWithoutTag() throws Exception {
    RemoteBundles catalogue = catalogue("host-resolve");
    RemoteBundle newest = catalogue.resolve(BundleRef.parse("acme/dns"), BundleKind.TEMPLATE);
    assertThat(newest.path()).isEqualTo("templates/acme/dns/10.bundle");
    assertThat(newest.sha256()).isEqualTo(sha256(DNS_10));
    RemoteBundle first = catalogue.resolve(BundleRef.parse("main:acme/dns:1"), BundleKind.TEMPLATE);
    assertThat(first.path()).isEqualTo("templates/acme/dns/1.bundle");
    assertThat(first.length()).isEqualTo(200_000);
    assertThat(catalogue.resolve(BundleRef.parse("acme/web"), BundleKind.JAIL).path())
        .isEqualTo("jails/acme/web/1.bundle");

    assertThatThrownBy(() -> catalogue.resolve(BundleRef.parse("acme/dns:9"), BundleKind.TEMPLATE))
        .isInstanceOf(BundleNotFoundException.class)
        .hasMessage(
            "expected tag 9 of template acme/dns, found only tags 1, 2, 10; name one of them, or none for the newest");
    assertThatThrownBy(() -> catalogue.resolve(BundleRef.parse("acme/web"), BundleKind.TEMPLATE))
        .isInstanceOf(BundleNotFoundException.class)
        .hasMessage(
            "expected a template acme/web in the registry, found none of that name (templates of team acme: dns);"
                + " 'warder list -t --repo REPO' shows the published templates");
    assertThatThrownBy(() -> catalogue.resolve(BundleRef.parse("ops/dns"), BundleKind.TEMPLATE))
        .isInstanceOf(BundleNotFoundException.class)
        .hasMessageContaining("found no published team ops (published teams: acme)");
  }

  @Test
  @Order(11)
  void testChain_withAndWithoutTheBaseHeldLocally() throws Exception {
    RemoteBundles catalogue = catalogue("host-chain");
    BundleRef two = BundleRef.parse("acme/dns:2");
    assertThat(tags(catalogue.chain(two, BundleKind.TEMPLATE, Set.of()))).containsExactly("1", "2");
    assertThat(tags(catalogue.chain(two, BundleKind.TEMPLATE, Set.of("1")))).containsExactly("2");
    assertThat(catalogue.chain(two, BundleKind.TEMPLATE, Set.of("2"))).isEmpty();
    assertThat(catalogue.chain(BundleRef.parse("acme/dns:1"), BundleKind.TEMPLATE, Set.of("7")))
        .extracting(RemoteBundle::path, RemoteBundle::length, RemoteBundle::sha256)
        .containsExactly(tuple("templates/acme/dns/1.bundle", 200_000L, sha256(DNS_1)));
  }

  @Test
  @Order(12)
  void testChain_threeLinks() throws Exception {
    RemoteBundles catalogue = catalogue("host-chain3");
    BundleRef newest = BundleRef.parse("acme/dns");
    assertThat(catalogue.chain(newest, BundleKind.TEMPLATE, Set.of()))
        .extracting(RemoteBundle::path)
        .containsExactly(
            "templates/acme/dns/1.bundle",
            "templates/acme/dns/2.bundle",
            "templates/acme/dns/10.bundle");
    assertThat(tags(catalogue.chain(newest, BundleKind.TEMPLATE, Set.of("1"))))
        .containsExactly("2", "10");
    assertThat(tags(catalogue.chain(newest, BundleKind.TEMPLATE, Set.of("2"))))
        .containsExactly("10");
    assertThat(tags(catalogue.chain(newest, BundleKind.TEMPLATE, Set.of("1", "2"))))
        .containsExactly("10");
  }

  @Test
  @Order(13)
  void testDownload_givesTheSignedBytes() throws Exception {
    RemoteBundles catalogue = catalogue("host-download");
    Path dir = tmp.resolve("host-download/images");
    for (RemoteBundle b :
        catalogue.chain(BundleRef.parse("acme/dns:2"), BundleKind.TEMPLATE, Set.of())) {
      catalogue.download(b, dir.resolve(b.spec().tag() + ".bundle"));
    }
    assertThat(dir.resolve("1.bundle")).hasBinaryContent(DNS_1);
    assertThat(dir.resolve("2.bundle")).hasBinaryContent(DNS_2);
  }

  @Test
  @Order(14)
  void testChain_cycleAndMissingBaseRefused() throws Exception {
    // team-loop's own key signs what BundlePublisher never would: a -> b -> a, and y:2 on a base
    // never published
    Map<String, TargetFile> targets = new LinkedHashMap<>();
    for (BundleSpec spec : List.of(loop("x", "a", "b"), loop("x", "b", "a"), loop("y", "2", "1"))) {
      byte[] content = (spec.reference() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Path file = write("loop-" + spec.name() + "-" + spec.tag(), content);
      RegistryClient client =
          new RegistryClient(java.net.URI.create(registry.registry.url()), token);
      client.upload(file, sha256(content), content.length, ProgressListener.NONE);
      String path = TeamTargets.path(spec.kind(), spec.team(), spec.name(), spec.tag());
      targets.put(
          path,
          new TargetFile(
              path,
              content.length,
              Map.of("sha256", sha256(content)),
              Optional.of(TeamTargets.custom(spec, t0.plusSeconds(20)))));
    }
    DelegatedRoles.submitNextVersion(
        "team-loop",
        Optional.empty(),
        targets,
        Instant.now(),
        signer,
        new RegistryClient(java.net.URI.create(registry.registry.url()), token));

    RemoteBundles catalogue = catalogue("host-loop");
    assertThatThrownBy(
            () -> catalogue.chain(BundleRef.parse("loop/x:a"), BundleKind.TEMPLATE, Set.of()))
        .isInstanceOf(BundleChainCycleException.class)
        .hasMessage(
            "expected the base tags of loop/x:a to lead to a full bundle, found a cycle: a -> b -> a; ask team"
                + " loop to publish a full bundle");
    assertThat(tags(catalogue.chain(BundleRef.parse("loop/x:a"), BundleKind.TEMPLATE, Set.of("b"))))
        .containsExactly("a");
    assertThatThrownBy(
            () -> catalogue.chain(BundleRef.parse("loop/y:2"), BundleKind.TEMPLATE, Set.of()))
        .isInstanceOf(BaseBundleNotFoundException.class)
        .hasMessage(
            "expected tag 1 of template loop/y to be published, as the base of incremental bundle loop/y:2,"
                + " found only tags 2; ask team loop to publish a full bundle, or get a tag on this host that it builds on");
  }

  @Test
  @Order(15)
  void testDownload_tamperedBlobRefusedAndNoFileLeft() throws Exception {
    Path blob = new RegistryLayout(tmp.resolve("registry")).blob(sha256(DNS_2)).orElseThrow();
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 1;
    blob.toFile().setWritable(true);
    Files.write(blob, bytes);
    RemoteBundles catalogue = catalogue("host-tampered");
    RemoteBundle two = catalogue.resolve(BundleRef.parse("acme/dns:2"), BundleKind.TEMPLATE);
    Path dir = tmp.resolve("host-tampered/images");
    assertThatThrownBy(() -> catalogue.download(two, dir.resolve("2.bundle")))
        .isInstanceOf(DigestMismatchException.class)
        .hasMessageContaining("expected sha256 " + sha256(DNS_2));
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  @Order(16)
  void testList_targetTheDelegationsDoNotTrustRoleForRefused() throws Exception {
    // team-evil's earlier, terminating delegation of templates/*/*/* shadows team-late's templates
    assertThat(
            publish(
                    29,
                    new BundleSpec(
                        BundleKind.TEMPLATE, "evil", "x", "1", REL, Format.ZFS, Optional.empty()),
                    WEB_1)
                .roleVersion())
        .isEqualTo(1);
    registry.registry.delegate(
        "team-late", signer.publicKey(), TeamTargets.delegatedPaths("late").toArray(String[]::new));
    String lateToken = registry.registry.token("late", "team-late");
    BundleSpec spec =
        new BundleSpec(BundleKind.TEMPLATE, "late", "dns", "1", REL, Format.ZFS, Optional.empty());
    assertThat(
            new BundlePublisher(clock(30))
                .publish(spec, write("late", DNS_1), destination(lateToken))
                .roleVersion())
        .isEqualTo(1);
    StringWriter warnings = new StringWriter();
    List<RemoteBundle> listed = catalogue("host-late", warnings).list(BundleKind.TEMPLATE);
    assertThat(listed)
        .extracting(b -> b.spec().team())
        .contains("acme", "evil")
        .doesNotContain("late");
    assertThat(warnings.toString())
        .isEqualTo(
            "warning: left out the bundles of team late (role team-late): role"
                + " team-late signs target templates/late/dns/1.bundle: expected the registry's delegations to trust team-late"
                + " for that path, found that they do not; refusing it, tell the registry's administrator\n");
  }

  @Test
  @Order(17)
  void testList_roleNamingAnotherTeamsBundleRefused() throws Exception {
    BundleSpec stolen = template("dns", "9", Optional.empty());
    Path file = write("evil", DNS_1);
    String path = TeamTargets.path(stolen.kind(), stolen.team(), stolen.name(), stolen.tag());
    RegistryClient client = new RegistryClient(java.net.URI.create(registry.registry.url()), token);
    client.upload(file, sha256(DNS_1), DNS_1.length, ProgressListener.NONE);
    Destination to = destination(token);
    Map<String, TargetFile> targets =
        new LinkedHashMap<>(
            to.updater().roleMetadata("team-evil").orElseThrow().signed().targets());
    targets.put(
        path,
        new TargetFile(
            path,
            DNS_1.length,
            Map.of("sha256", sha256(DNS_1)),
            Optional.of(TeamTargets.custom(stolen, t0))));
    assertThat(
            DelegatedRoles.submitNextVersion(
                "team-evil",
                to.updater().roleMetadata("team-evil"),
                targets,
                Instant.now(),
                signer,
                client))
        .isEqualTo(2);
    StringWriter warnings = new StringWriter();
    RemoteBundles catalogue = catalogue("host-evil", warnings);
    assertThat(catalogue.list(BundleKind.TEMPLATE))
        .extracting(b -> b.spec().team())
        .contains("acme")
        .doesNotContain("evil");
    assertThat(catalogue.resolve(BundleRef.parse("acme/dns:1"), BundleKind.TEMPLATE).spec().tag())
        .isEqualTo("1");
    // (team-late, shadowed by team-evil's delegation since the test above, is left out too)
    assertThat(warnings.toString())
        .contains(
            "warning: left out the bundles of team evil (role team-evil): role team-evil"
                + " signs target \"templates/acme/dns/9.bundle\": expected a path templates/evil/NAME/TAG.bundle or"
                + " jails/evil/NAME/TAG.bundle with a valid name and tag; refusing a role that names bundles outside its team's"
                + " paths; tell the registry's administrator\n");
  }

  @Test
  @Order(18)
  void testPull_aTeamTargetWithoutCustomLeavesThatTeamOutOnly() throws Exception {
    // team-loop signs a bundle target without custom: other teams' templates still list, resolve
    // and download
    String path = TeamTargets.path(BundleKind.TEMPLATE, "loop", "bare", "1");
    RegistryClient client = new RegistryClient(java.net.URI.create(registry.registry.url()), token);
    Destination to = destination(token);
    Map<String, TargetFile> targets =
        new LinkedHashMap<>(
            to.updater().roleMetadata("team-loop").map(m -> m.signed().targets()).orElse(Map.of()));
    targets.put(
        path,
        new TargetFile(path, DNS_1.length, Map.of("sha256", sha256(DNS_1)), Optional.empty()));
    DelegatedRoles.submitNextVersion(
        "team-loop",
        to.updater().roleMetadata("team-loop"),
        targets,
        Instant.now(),
        signer,
        client);

    StringWriter warnings = new StringWriter();
    RemoteBundles catalogue = catalogue("host-bare", warnings);
    RemoteBundle dns = catalogue.resolve(BundleRef.parse("acme/dns:1"), BundleKind.TEMPLATE);
    Path file = tmp.resolve("host-bare/images/dns-1.bundle");
    Files.createDirectories(file.getParent());
    catalogue.download(dns, file);
    assertThat(file).hasBinaryContent(DNS_1);
    assertThat(warnings.toString())
        .contains(
            "warning: left out the bundles of team loop (role team-loop): role team-loop"
                + " signs target \"templates/loop/bare/1.bundle\": expected custom.kind template-bundle, found none");
    assertThatThrownBy(() -> catalogue.resolve(BundleRef.parse("loop/bare:1"), BundleKind.TEMPLATE))
        .isInstanceOf(BundleNotFoundException.class)
        .hasMessageContaining("no published team loop");

    // and through the CLI: the warning on stderr, the other teams' templates on stdout, exit 0
    CliRun list = registry.warder(tmp.resolve("host-bare"), "list", "-t", "--repo", "main", "-h");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.out()).contains("acme/dns\t1\t").doesNotContain("loop/");
    assertThat(list.err()).contains("warning: left out the bundles of team loop (role team-loop)");
  }

  static BundleSpec template(String name, String tag, Optional<String> base) {
    return new BundleSpec(BundleKind.TEMPLATE, "acme", name, tag, REL, Format.ZFS, base);
  }

  static BundleSpec loop(String name, String tag, String base) {
    return new BundleSpec(
        BundleKind.TEMPLATE, "loop", name, tag, REL, Format.ZFS, Optional.of(base));
  }

  /**
   * Publishes {@code content} as {@code spec} with the clock at t0 + {@code second} s and the token
   * of all teams but ops.
   */
  static Publication publish(int second, BundleSpec spec, byte[] content) throws Exception {
    Path file = write(spec.team() + "-" + spec.name() + "-" + spec.tag(), content);
    return new BundlePublisher(clock(second)).publish(spec, file, destination(token));
  }

  static Clock clock(int second) {
    return Clock.fixed(t0.plusSeconds(second), ZoneOffset.UTC);
  }

  static Destination destination(String publishToken) throws Exception {
    Repositories repos = registry.repositories(registry.publisherRoot);
    RepoConfig main = repos.get("main");
    return new Destination(
        repos.updater(main),
        main.targetUrls(),
        new RegistryClient(main.url(), publishToken),
        signer,
        ProgressListener.NONE);
  }

  /** The catalogue of repository {@code main} on a new host {@code <tmp>/<host>}. */
  static RemoteBundles catalogue(String host) throws Exception {
    return catalogue(host, new StringWriter());
  }

  /** The same, its warnings (teams left out) written to {@code warnings}. */
  static RemoteBundles catalogue(String host, StringWriter warnings) throws Exception {
    Path root = tmp.resolve(host);
    registry.addRepo(root);
    Repositories repos = registry.repositories(root);
    return new RemoteBundles(
        repos.updater(repos.get("main")),
        repos.get("main").targetUrls(),
        new ConsoleReporter(new PrintWriter(warnings)));
  }

  static List<String> tags(List<RemoteBundle> chain) {
    return chain.stream().map(b -> b.spec().tag()).toList();
  }

  static Path write(String name, byte[] content) throws Exception {
    Path file =
        tmp.resolve("bundles").resolve(name.replace("..", "dots").replace('/', '_') + ".bundle");
    Files.createDirectories(file.getParent());
    Files.write(file, content);
    return file;
  }

  static byte[] bytes(long seed, int length) {
    byte[] b = new byte[length];
    new Random(seed).nextBytes(b);
    return b;
  }

  static String sha256(byte[] content) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
  }
}
