package org.warder.signing.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.Key;
import org.warder.signing.SigningException;
import org.warder.signing.testing.RepositorySimulator;

/**
 * The repository-side judgement of submitted delegated metadata ({@link
 * Repository#checkDelegated}).
 */
class RepositoryCheckDelegatedTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final String SHA = Digests.sha256Hex("x".getBytes(StandardCharsets.UTF_8));

  private RepositorySimulator repo;

  @BeforeEach
  void setUp() throws SigningException {
    repo = new RepositorySimulator(NOW);
    repo.delegate(
        "targets",
        DelegatedRole.withPaths(
            "acme", List.of(), 1, true, List.of("plugins/acme-*", "releases/*/acme")));
  }

  private Metadata<Targets> signed(
      String role, long version, Instant expires, Map<String, TargetFile> files)
      throws SigningException {
    return Metadata.of(new Targets(Signed.SPEC_VERSION, version, expires, files, Optional.empty()))
        .signedBy(repo.signers(role));
  }

  private static Map<String, TargetFile> files(String... paths) {
    Map<String, TargetFile> out = new LinkedHashMap<>();
    for (String p : paths) {
      out.put(p, TargetFile.of(p, 1, SHA));
    }
    return out;
  }

  private Instant later() {
    return NOW.plus(Duration.ofDays(30));
  }

  @Test
  void testCheckDelegated_accepted() throws Exception {
    Metadata<Targets> md =
        signed("acme", 2, later(), files("plugins/acme-web", "releases/14.1/acme"));
    assertThatCode(() -> repo.repository().checkDelegated("acme", md, NOW))
        .doesNotThrowAnyException();
  }

  @Test
  void testCheckDelegated_unknownRole() throws Exception {
    Metadata<Targets> md = signed("acme", 2, later(), files());
    assertThatThrownBy(() -> repo.repository().checkDelegated("ghost", md, NOW))
        .isInstanceOf(RoleNotDelegatedException.class)
        .hasMessageContaining("\"ghost\"")
        .hasMessageContaining("warder-registry delegate ghost");
  }

  @Test
  void testCheckDelegated_topLevelRole() throws Exception {
    Metadata<Targets> md = signed("targets", 5, later(), files());
    assertThatThrownBy(() -> repo.repository().checkDelegated("targets", md, NOW))
        .isInstanceOf(RoleNotDelegatedException.class)
        .hasMessageContaining("top-level");
  }

  @Test
  void testCheckDelegated_wrongKey() throws Exception {
    Metadata<Targets> md =
        Metadata.of(
                new Targets(
                    Signed.SPEC_VERSION, 2, later(), files("plugins/acme-web"), Optional.empty()))
            .signedBy(List.of(Ed25519SigningKey.generate()));
    UnsignedMetadataException e =
        (UnsignedMetadataException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> repo.repository().checkDelegated("acme", md, NOW));
    assertThat(e.threshold()).isEqualTo(1);
    assertThat(e.validSignatures()).isZero();
    assertThat(e).hasMessageContaining("targets's delegated acme");
  }

  @Test
  void testCheckDelegated_unsigned() throws Exception {
    Metadata<Targets> md = signed("acme", 2, later(), files()).withSignatures(List.of());
    assertThatThrownBy(() -> repo.repository().checkDelegated("acme", md, NOW))
        .isInstanceOf(UnsignedMetadataException.class);
  }

  @Test
  void testCheckDelegated_thresholdOfTwo() throws Exception {
    Ed25519SigningKey second = Ed25519SigningKey.generate();
    repo.signers("team").add(Ed25519SigningKey.generate());
    repo.signers("team").add(second);
    repo.delegate(
        "targets", DelegatedRole.withPaths("team", List.of(), 2, true, List.of("templates/*")));
    Metadata<Targets> one =
        Metadata.of(
                new Targets(
                    Signed.SPEC_VERSION, 2, later(), files("templates/dns"), Optional.empty()))
            .signedBy(List.of(second));
    assertThatThrownBy(() -> repo.repository().checkDelegated("team", one, NOW))
        .isInstanceOf(UnsignedMetadataException.class)
        .hasMessageContaining("expected 2 valid signatures, found 1");
    Metadata<Targets> both = signed("team", 2, later(), files("templates/dns"));
    assertThatCode(() -> repo.repository().checkDelegated("team", both, NOW))
        .doesNotThrowAnyException();
  }

  @Test
  void testCheckDelegated_pathOutsidePatterns() throws Exception {
    Metadata<Targets> md = signed("acme", 2, later(), files("plugins/acme-web", "plugins/other"));
    PathNotDelegatedException e =
        (PathNotDelegatedException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> repo.repository().checkDelegated("acme", md, NOW));
    assertThat(e.path()).isEqualTo("plugins/other");
    assertThat(e.delegatedRole()).isEqualTo("acme");
    assertThat(e.patterns()).containsExactly("plugins/acme-*", "releases/*/acme");
    // a wildcard never crosses '/'
    Metadata<Targets> deep = signed("acme", 2, later(), files("plugins/acme-x/y"));
    assertThatThrownBy(() -> repo.repository().checkDelegated("acme", deep, NOW))
        .isInstanceOf(PathNotDelegatedException.class);
  }

  @Test
  void testCheckDelegated_pathOutsideTheChain() throws Exception {
    // acme delegates acme-beta more widely than acme itself is trusted for
    repo.delegate(
        "acme", DelegatedRole.withPaths("acme-beta", List.of(), 1, true, List.of("plugins/*")));
    repo.publish();
    Metadata<Targets> inside = signed("acme-beta", 2, later(), files("plugins/acme-beta"));
    assertThatCode(() -> repo.repository().checkDelegated("acme-beta", inside, NOW))
        .doesNotThrowAnyException();
    Metadata<Targets> outside = signed("acme-beta", 2, later(), files("plugins/nextcloud"));
    PathNotDelegatedException e =
        (PathNotDelegatedException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> repo.repository().checkDelegated("acme-beta", outside, NOW));
    assertThat(e.delegatedRole()).isEqualTo("acme");
    assertThat(e).hasMessageContaining("targets delegates to acme");
    assertThat(repo.repository().delegationChains("acme-beta"))
        .singleElement()
        .satisfies(
            chain ->
                assertThat(chain)
                    .extracting(l -> l.role().name())
                    .containsExactly("acme", "acme-beta"));
  }

  @Test
  void testCheckDelegated_unsafePath() throws Exception {
    repo.delegate("targets", DelegatedRole.withPaths("any", List.of(), 1, true, List.of("*/*")));
    for (String path : List.of("plugins/..", "./x", "a//b", "/abs")) {
      Metadata<Targets> md = signed("any", 2, later(), files(path));
      assertThatThrownBy(() -> repo.repository().checkDelegated("any", md, NOW))
          .as(path)
          .isInstanceOf(UnsafeNameException.class);
    }
  }

  @Test
  void testCheckDelegated_hashes() throws Exception {
    Map<String, TargetFile> md5 =
        Map.of(
            "plugins/acme-web",
            new TargetFile("plugins/acme-web", 1, Map.of("md5", "00"), Optional.empty()));
    Metadata<Targets> a = signed("acme", 2, later(), md5);
    assertThatThrownBy(() -> repo.repository().checkDelegated("acme", a, NOW))
        .isInstanceOf(UnsupportedHashException.class);
    Map<String, TargetFile> shortHash =
        Map.of("plugins/acme-web", TargetFile.of("plugins/acme-web", 1, "abc"));
    Metadata<Targets> b = signed("acme", 2, later(), shortHash);
    assertThatThrownBy(() -> repo.repository().checkDelegated("acme", b, NOW))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("sha256");
  }

  @Test
  void testCheckDelegated_versionNotIncreased() throws Exception {
    long current = repo.targets("acme").version();
    Metadata<Targets> md = signed("acme", current, later(), files());
    VersionNotIncreasedException e =
        (VersionNotIncreasedException)
            org.assertj.core.api.Assertions.catchThrowable(
                () -> repo.repository().checkDelegated("acme", md, NOW));
    assertThat(e.currentVersion()).isEqualTo(current);
    assertThat(e).hasMessageContaining("version " + (current + 1));
  }

  @Test
  void testCheckDelegated_firstVersionMayBeAnyPositive() throws Exception {
    Ed25519SigningKey key = Ed25519SigningKey.generate();
    repo.signers("fresh").add(key);
    // delegated, but no metadata of the role exists yet
    repo.updateTargets(
        "targets",
        t -> {
          Delegations d = t.delegations().orElseThrow();
          Map<String, Key> keys = new LinkedHashMap<>(d.keys());
          keys.put(key.keyId(), key.publicKey());
          List<DelegatedRole> roles = new java.util.ArrayList<>(d.roles());
          roles.add(
              DelegatedRole.withPaths("fresh", List.of(key.keyId()), 1, true, List.of("fresh/*")));
          return new Targets(
              t.specVersion(),
              t.version(),
              t.expires(),
              t.targets(),
              Optional.of(new Delegations(keys, roles)));
        });
    Metadata<Targets> md = signed("fresh", 7, later(), files("fresh/a"));
    assertThatCode(() -> repo.repository().checkDelegated("fresh", md, NOW))
        .doesNotThrowAnyException();
  }

  @Test
  void testCheckDelegated_expired() throws Exception {
    Metadata<Targets> md = signed("acme", 2, NOW, files());
    assertThatThrownBy(() -> repo.repository().checkDelegated("acme", md, NOW))
        .isInstanceOf(ExpiredMetadataException.class)
        .hasMessageContaining("sign it again with a later expiry");
  }

  @Test
  void testCheckTargetsSigned() throws Exception {
    Metadata<Targets> top = repo.repository().targets("targets").orElseThrow();
    assertThatCode(() -> repo.repository().checkTargetsSigned(top)).doesNotThrowAnyException();
    Metadata<Targets> forged =
        top.withSignatures(List.of()).signedBy(List.of(Ed25519SigningKey.generate()));
    assertThatThrownBy(() -> repo.repository().checkTargetsSigned(forged))
        .isInstanceOf(UnsignedMetadataException.class);
  }

  @Test
  void testPublicKeyFiles_bothForms(@TempDir Path tmp) throws Exception {
    Key key = Ed25519SigningKey.generate().publicKey();
    Path wrapped = tmp.resolve("wrapped.pub");
    PublicKeyFiles.write(key, wrapped);
    assertThat(Files.readString(wrapped))
        .startsWith("{\"key\":{\"keytype\":\"ed25519\"")
        .contains("\"keyid\":\"" + key.keyId() + "\"");
    assertThat(PublicKeyFiles.read(wrapped).keyId()).isEqualTo(key.keyId());
    Path bare = tmp.resolve("bare.json");
    Files.write(bare, org.warder.signing.CanonicalJson.encode(key.json()));
    assertThat(PublicKeyFiles.read(bare).keyId()).isEqualTo(key.keyId());
  }

  @Test
  void testPublicKeyFiles_refused(@TempDir Path tmp) throws Exception {
    Key key = Ed25519SigningKey.generate().publicKey();
    Path wrongId = tmp.resolve("wrong-id.pub");
    Files.writeString(wrongId, "{\"keyid\":\"" + "0".repeat(64) + "\",\"key\":" + key.json() + "}");
    assertThatThrownBy(() -> PublicKeyFiles.read(wrongId))
        .isInstanceOf(KeyIdMismatchException.class);
    Path rsaLike = tmp.resolve("weird.pub");
    Files.writeString(
        rsaLike, "{\"keytype\":\"dsa\",\"scheme\":\"dsa\",\"keyval\":{\"public\":\"00\"}}");
    assertThatThrownBy(() -> PublicKeyFiles.read(rsaLike))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("expected keytype and scheme ed25519");
    Path shortKey = tmp.resolve("short.pub");
    Files.writeString(
        shortKey,
        "{\"keytype\":\"ed25519\",\"scheme\":\"ed25519\",\"keyval\":{\"public\":\"abcd\"}}");
    assertThatThrownBy(() -> PublicKeyFiles.read(shortKey))
        .hasMessageContaining("64 lower-case hex digits");
    Path notJson = tmp.resolve("private.pem");
    Files.writeString(notJson, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n");
    assertThatThrownBy(() -> PublicKeyFiles.read(notJson)).hasMessageContaining("not valid JSON");
  }
}
