package org.warder.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PluginManifestTest {
  private static final String FREEBSD_FP =
      "b0170035af3acc5f3f3ae1859dc717101b4e6c1d0a794ad554928ca0cbb2f438";
  private static final String IX_FP =
      "226efd3a126fb86e71d60a37353d17f57af816d1c7ecad0623c21f0bf73eb0c7";
  private static final String COMMIT = "8b6f37c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String NEXTCLOUD =
      "freenas__iocage-ix-plugins__13.1-RELEASE__nextcloud.json";
  private static final String JELLYFIN =
      "ix-plugin-hub__iocage-plugin-index__master__jellyfin.json";
  private static final String TRANSMISSION =
      "ix-plugin-hub__iocage-plugin-index__master__transmission.json";
  private static final String HOMEBRIDGE =
      "ix-plugin-hub__iocage-plugin-index__a46f8049eff04570e50e82e67449cca59311eb8a__homebridge.json";
  private static final String HOMEASSISTANT =
      "ix-plugin-hub__iocage-plugin-index__595b913856101474f30ebe4cb2d5a99c9ba27ce5__homeassistant.json";
  private static final String ARCHIWARE =
      "ix-plugin-hub__iocage-plugin-index__86dc76a9b08fbf368c341f4cc6bf99a1bfd4ebdf__archiwarep5.json";
  private static final String PLEX =
      "freenas__iocage-ix-plugins__89ca8ed6302a38d5928545a8ed25cf03587a6ae9__plexmediaserver.json";
  private static final String ASIGRA =
      "freenas__iocage-ix-plugins__eb3024e52d18b429f9d241a64906b67d7e53608a__asigra.json";
  private static final String CRASHPLAN =
      "freenas__iocage-ix-plugins__019d64201ab2348725b6fb4084a0b50df4760559__crashplan.json";

  private static final String PLUGIN_SCHEMA =
      "$.plugin_schema: unknown key (iocage dropped it from its schema and never reads it) ignored";

  /**
   * Every warning each real sample must produce, in document order; a new sample needs an entry.
   */
  private static final Map<String, List<String>> EXPECTED_WARNINGS =
      Map.of(
          NEXTCLOUD,
          List.of(PLUGIN_SCHEMA, "$.revision: string \"1\" read as number 1"),
          JELLYFIN,
          List.of(
              "$.properties.allow_raw_sockets: string \"1\" read as number 1",
              "$.devfs_ruleset: asks for host devices bpf*, dri*, dri/*, drm*, drm/* to be visible in the jail;"
                  + " review before installing"),
          TRANSMISSION,
          List.of(),
          HOMEBRIDGE,
          List.of(
              "$.offical: unknown key (typo of \"official\"?) ignored",
              "$.revision: string \"0\" read as number 0"),
          HOMEASSISTANT,
          List.of(
              "$.official: string \"false\" read as boolean false",
              "$.devfs_ruleset: asks for host devices zfs, bpf*, cua* to be visible in the jail and includes"
                  + " devfs rulesets 1, 2, 3; review before installing",
              "$.properties.allow_raw_sockets: string \"1\" read as number 1",
              "$.properties.dhcp: string \"1\" read as number 1",
              PLUGIN_SCHEMA,
              "$.revision: string \"1\" read as number 1"),
          ARCHIWARE,
          List.of(
              "$.devfs_ruleset: asks for host devices ch0, nsa0, pass0, pass1, pass2, pass3, pass4, pass5, pass6,"
                  + " pass7, sa0, xpt0, zfs to be visible in the jail; review before installing",
              "$.properties.mount_devfs: string \"1\" read as number 1",
              "$.properties.mount_procfs: string \"1\" read as number 1",
              "$.properties.mount_fdescfs: string \"1\" read as number 1",
              "$.properties.allow_mount: string \"1\" read as number 1",
              "$.properties.allow_mount_devfs: string \"1\" read as number 1",
              "$.properties.allow_mount_procfs: string \"1\" read as number 1",
              "$.properties.allow_raw_sockets: string \"1\" read as number 1",
              "$.properties.dhcp: string \"1\" read as number 1",
              "$.properties.securelevel: string \"0\" read as number 0",
              "$.properties.enforce_statfs: string \"0\" read as number 0"),
          PLEX,
          List.of(
              "$.official: string \"false\" read as boolean false",
              "$.revision: string \"0\" read as number 0"),
          ASIGRA,
          List.of("$.revision: string \"0\" read as number 0"),
          CRASHPLAN,
          List.of(
              PLUGIN_SCHEMA,
              "$.kmods: asks to load kernel modules linux64, linux on the host; review before installing"));

  static List<String> samples() {
    return Samples.manifests();
  }

  private static Parsed<PluginManifest> parse(String json) throws CatalogException {
    return PluginManifest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> warnings(Parsed<?> parsed) {
    return parsed.warnings().stream().map(CatalogWarning::toString).toList();
  }

  @Test
  void testSamples_allPresent() {
    assertThat(Samples.manifests()).containsExactlyInAnyOrderElementsOf(EXPECTED_WARNINGS.keySet());
  }

  @ParameterizedTest
  @MethodSource("samples")
  void testParse_realManifestAcceptedWithExpectedWarnings(String file) throws CatalogException {
    Parsed<PluginManifest> parsed = PluginManifest.parse(Samples.read(file));

    assertThat(EXPECTED_WARNINGS).as("expected warnings of %s", file).containsKey(file);
    assertThat(warnings(parsed)).containsExactlyElementsOf(EXPECTED_WARNINGS.get(file));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void testToJson_realManifestRoundTripsAndIsStable(String file) throws CatalogException {
    PluginManifest manifest = PluginManifest.parse(Samples.read(file)).value();

    byte[] canonical = manifest.toJson();
    Parsed<PluginManifest> again = PluginManifest.parse(canonical);

    assertThat(again.value()).isEqualTo(manifest);
    assertThat(again.value().toJson()).isEqualTo(canonical);
    assertThat(warnings(again)).noneMatch(w -> w.contains(" read as "));
  }

  @Test
  void testToJson_canonicalIocageManifestUnchanged() throws CatalogException {
    byte[] original = Samples.read(TRANSMISSION);

    assertThat(new String(PluginManifest.parse(original).value().toJson(), StandardCharsets.UTF_8))
        .isEqualTo(new String(original, StandardCharsets.UTF_8));
  }

  @Test
  void testParse_nextcloud() throws CatalogException {
    PluginManifest m = PluginManifest.parse(Samples.read(NEXTCLOUD)).value();

    assertThat(m.name()).isEqualTo("Nextcloud");
    assertThat(m.release()).isEqualTo("13.2-RELEASE");
    assertThat(m.artifact()).isEqualTo("https://github.com/freenas/iocage-plugin-nextcloud.git");
    assertThat(m.artifactRef()).isEmpty();
    assertThat(m.artifactBundle()).isEmpty();
    assertThat(m.official()).isFalse();
    assertThat(m.revision()).isEqualTo(1);
    assertThat(m.properties())
        .containsExactly(
            Map.entry("nat", "1"), Map.entry("nat_forwards", "tcp(80:8282),tcp(443:8283)"));
    assertThat(m.pkgs())
        .hasSize(12)
        .startsWith("ffmpeg", "nextcloud-php82")
        .endsWith("py39-certbot");
    assertThat(m.packagesite()).isEqualTo("http://pkg.FreeBSD.org/${ABI}/latest");
    assertThat(m.fingerprints()).containsOnlyKeys("iocage-plugins");
    assertThat(m.fingerprints().get("iocage-plugins"))
        .containsExactly(PluginManifest.Fingerprint.sha256(FREEBSD_FP));
    assertThat(m.devfsRuleset()).isEmpty();
    assertThat(m.kmods()).isEmpty();
    assertThat(m.extra()).containsOnlyKeys("plugin_schema");
    assertThat(m.extra().get("plugin_schema").textValue()).isEqualTo("2");
  }

  @Test
  void testParse_jellyfinDevfsRuleset() throws CatalogException {
    PluginManifest m = PluginManifest.parse(Samples.read(JELLYFIN)).value();

    PluginManifest.DevfsRuleset devfs = m.devfsRuleset().orElseThrow();
    assertThat(devfs.paths()).containsOnlyKeys("bpf*", "dri*", "dri/*", "drm*", "drm/*");
    assertThat(devfs.paths().values()).containsOnly(Optional.empty());
    assertThat(devfs.includes()).isEmpty();
    assertThat(m.properties())
        .containsExactly(
            Map.entry("dhcp", "1"),
            Map.entry("allow_raw_sockets", "1"),
            Map.entry("allow_mlock", "1"),
            Map.entry("ip6", "inherit"));
    assertThat(m.revision()).isEqualTo(3);
  }

  @Test
  void testParse_otherQuirks() throws CatalogException {
    PluginManifest crashplan = PluginManifest.parse(Samples.read(CRASHPLAN)).value();
    assertThat(crashplan.kmods()).containsExactly("linux64", "linux");
    assertThat(crashplan.pkgs()).containsExactly("sysutils/linux-crashplan");
    assertThat(crashplan.official()).isTrue();
    assertThat(crashplan.revision()).isZero();
    assertThat(crashplan.fingerprints().get("iocage-plugins"))
        .containsExactly(PluginManifest.Fingerprint.sha256(IX_FP));

    PluginManifest homebridge = PluginManifest.parse(Samples.read(HOMEBRIDGE)).value();
    assertThat(homebridge.official()).as("iocage ignores the typo \"offical\"").isFalse();
    assertThat(homebridge.extra()).containsOnlyKeys("offical");
    assertThat(homebridge.fingerprints()).containsOnlyKeys("plugin-default");

    assertThat(PluginManifest.parse(Samples.read(PLEX)).value().official()).isFalse();
    assertThat(
            PluginManifest.parse(Samples.read(HOMEASSISTANT))
                .value()
                .devfsRuleset()
                .orElseThrow()
                .includes())
        .containsExactly("1", "2", "3");
    assertThat(PluginManifest.parse(Samples.read(ARCHIWARE)).value().pkgs()).isEmpty();
  }

  @Test
  void testParse_twoFingerprintsInOneRepositoryBothKept() throws CatalogException {
    String second = "0123456789abcdef".repeat(4);
    String json =
        "{\"name\":\"x\",\"release\":\"13.2-RELEASE\",\"artifact\":\"\",\"pkgs\":[\"nginx\"],"
            + "\"packagesite\":\"http://pkg.FreeBSD.org/${ABI}/latest\",\"fingerprints\":{"
            + "\"iocage-plugins\":[{\"function\":\"sha256\",\"fingerprint\":\""
            + FREEBSD_FP
            + "\"},"
            + "{\"function\":\"sha256\",\"fingerprint\":\""
            + second
            + "\"}],"
            + "\"ix\":[{\"function\":\"sha256\",\"fingerprint\":\""
            + IX_FP
            + "\"}]}}";

    PluginManifest m = parse(json).value();

    assertThat(m.fingerprints().get("iocage-plugins"))
        .containsExactly(
            PluginManifest.Fingerprint.sha256(FREEBSD_FP),
            PluginManifest.Fingerprint.sha256(second));
    assertThat(m.fingerprints().get("ix"))
        .containsExactly(PluginManifest.Fingerprint.sha256(IX_FP));
    assertThat(PluginManifest.parse(m.toJson()).value()).isEqualTo(m);
    assertThat(new String(m.toJson(), StandardCharsets.UTF_8)).contains(FREEBSD_FP, second, IX_FP);
  }

  @Test
  void testParse_normalisationsWarnedWithPath() throws CatalogException {
    String json =
        "{\"name\":\"x\",\"release\":\"13.2-RELEASE\",\"artifact\":\"https://example.org/x.git\","
            + "\"artifact_ref\":\""
            + COMMIT.toUpperCase(java.util.Locale.ROOT)
            + "\",\"pkgs\":[],"
            + "\"packagesite\":\"https://pkg.example.org/${ABI}\",\"fingerprints\":{\"r\":[{\"function\":\"sha256\","
            + "\"fingerprint\":\""
            + FREEBSD_FP.toUpperCase(java.util.Locale.ROOT)
            + "\",\"comment\":\"x\"}]},"
            + "\"properties\":{\"vnet\":true,\"boot\":false,\"nat_prefix\":172.16,\"big\":12345678901234567890,"
            + "\"nat\":1},\"official\":\"true\",\"revision\":2.0}";

    Parsed<PluginManifest> parsed = parse(json);

    assertThat(warnings(parsed))
        .containsExactly(
            "$.artifact_ref: upper-case hex read as lower-case",
            "$.fingerprints.r[0].fingerprint: upper-case hex read as lower-case",
            "$.fingerprints.r[0].comment: unknown key ignored",
            "$.properties.vnet: boolean true read as number 1",
            "$.properties.boot: boolean false read as number 0",
            "$.properties.nat_prefix: number 172.16 read as string \"172.16\"",
            "$.properties.big: number 12345678901234567890 read as string \"12345678901234567890\"",
            "$.official: string \"true\" read as boolean true",
            "$.revision: number 2.0 read as 2");
    PluginManifest m = parsed.value();
    assertThat(m.artifactRef()).contains(COMMIT);
    assertThat(m.fingerprints().get("r"))
        .containsExactly(PluginManifest.Fingerprint.sha256(FREEBSD_FP));
    assertThat(m.properties())
        .containsExactly(
            Map.entry("vnet", "1"),
            Map.entry("boot", "0"),
            Map.entry("nat_prefix", "172.16"),
            Map.entry("big", "12345678901234567890"),
            Map.entry("nat", "1"));
    assertThat(m.official()).isTrue();
    assertThat(m.revision()).isEqualTo(2);
    assertThat(parse(new String(m.toJson(), StandardCharsets.UTF_8)).warnings()).isEmpty();
  }

  @Test
  void testToJson_everyFieldRoundTrips() throws Exception {
    ObjectNode nested =
        (ObjectNode) JSON.readTree("{\"a\":[1,2.50,null,true],\"b\":{\"c\":\"d\"}}");
    PluginManifest m =
        new PluginManifest(
            "Jellyfin Server",
            "13.2-RELEASE",
            "https://github.com/spz2k9/iocage-plugin-jellyfin.git",
            Optional.of(COMMIT),
            Optional.of("plugins/acme/jellyfin/artifact.bundle"),
            List.of(
                "jellyfin", "multimedia/libva-utils", "py39-certbot", "gtk+", "www/py-foo@py39"),
            "pkg+https://pkg.example.org/${ABI}/latest",
            Map.of("iocage-plugins", List.of(PluginManifest.Fingerprint.sha256(FREEBSD_FP))),
            Map.of(
                "nat",
                "1",
                "nat_forwards",
                "tcp(80:8282)",
                "securelevel",
                "-1",
                "id",
                "007",
                "empty",
                ""),
            true,
            7,
            Optional.of(
                new PluginManifest.DevfsRuleset(
                    Map.of("bpf*", Optional.empty(), "dri/*", Optional.of("mode 0660")),
                    List.of("1", "$devfsrules_jail"))),
            List.of("linux64"),
            Map.of("plugin_schema", JSON.getNodeFactory().textNode("2"), "x_vendor", nested));

    byte[] json = m.toJson();

    assertThat(PluginManifest.parse(json).value()).isEqualTo(m);
    assertThat(PluginManifest.parse(json).value().toJson()).isEqualTo(json);
  }

  @Test
  void testExtra_isCopiedInAndOut() throws Exception {
    ObjectNode vendor = (ObjectNode) JSON.readTree("{\"a\":1}");
    PluginManifest m = PluginManifest.parse(Samples.read(TRANSMISSION)).value();
    PluginManifest withExtra =
        new PluginManifest(
            m.name(),
            m.release(),
            m.artifact(),
            m.artifactRef(),
            m.artifactBundle(),
            m.pkgs(),
            m.packagesite(),
            m.fingerprints(),
            m.properties(),
            m.official(),
            m.revision(),
            m.devfsRuleset(),
            m.kmods(),
            Map.of("x_vendor", vendor));
    byte[] before = withExtra.toJson();

    vendor.put("a", 2);
    ((ObjectNode) withExtra.extra().get("x_vendor")).put("a", 3);

    assertThat(withExtra.toJson()).isEqualTo(before);
    assertThat(withExtra.extra().get("x_vendor").get("a").intValue()).isEqualTo(1);
  }

  @Test
  void testWithArtifactPin() throws CatalogException {
    PluginManifest m = PluginManifest.parse(Samples.read(NEXTCLOUD)).value();

    PluginManifest pinned =
        m.withArtifactPin(
            COMMIT, Optional.of("plugins/ix/nextcloud/artifact-" + COMMIT + ".bundle"));

    assertThat(pinned.artifactRef()).contains(COMMIT);
    assertThat(PluginManifest.parse(pinned.toJson()).value()).isEqualTo(pinned);
    assertThatThrownBy(() -> m.withArtifactPin("master", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$.artifact_ref")
        .hasMessageContaining("found \"master\"");
    assertThatThrownBy(() -> m.withArtifactPin(COMMIT, Optional.of("../../etc/passwd")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("$.artifact_bundle");
  }

  @Test
  void testConstructor_refusesWhatParseRefuses() throws CatalogException {
    PluginManifest m = PluginManifest.parse(Samples.read(TRANSMISSION)).value();

    assertThatThrownBy(
            () ->
                new PluginManifest(
                    m.name(),
                    m.release(),
                    m.artifact(),
                    m.artifactRef(),
                    m.artifactBundle(),
                    List.of("nginx", "curl; reboot"),
                    m.packagesite(),
                    m.fingerprints(),
                    m.properties(),
                    m.official(),
                    m.revision(),
                    m.devfsRuleset(),
                    m.kmods(),
                    m.extra()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("plugin manifest $.pkgs[1]: expected a package name")
        .hasCauseInstanceOf(InvalidFieldException.class);
  }

  /** A valid manifest to break one key at a time. */
  private static ObjectNode base() throws Exception {
    return (ObjectNode) JSON.readTree(Samples.read(TRANSMISSION));
  }

  private static String with(String key, String rawJson) throws Exception {
    ObjectNode o = base();
    o.set(key, JSON.readTree(rawJson));
    return o.toString();
  }

  private static String without(String key) throws Exception {
    ObjectNode o = base();
    o.remove(key);
    return o.toString();
  }

  private static String fingerprints(String repo, String function, String hex) {
    return "{"
        + JSON.getNodeFactory().textNode(repo)
        + ":[{\"function\":\""
        + function
        + "\",\"fingerprint\":\""
        + hex
        + "\"}]}";
  }

  static Stream<Arguments> refused() throws Exception {
    String fp = FREEBSD_FP;
    return Stream.of(
        Arguments.of(without("name"), "$", "expected key \"name\""),
        Arguments.of(without("release"), "$", "expected key \"release\""),
        Arguments.of(without("pkgs"), "$", "expected key \"pkgs\""),
        Arguments.of(without("packagesite"), "$", "expected key \"packagesite\""),
        Arguments.of(without("fingerprints"), "$", "expected key \"fingerprints\""),
        Arguments.of(without("artifact"), "$", "expected key \"artifact\""),
        Arguments.of(
            without("pkgs").replaceFirst("\\{", "{\"pkg\":[\"nginx\"],"),
            "$",
            "found none (but \"pkg\", a typo?)"),
        Arguments.of(with("name", "5"), "$.name", "expected a string, found number 5"),
        Arguments.of(with("name", "\"\""), "$.name", "expected a non-empty name"),
        Arguments.of(with("name", "\"evil\\u001b[2J\""), "$.name", "control characters"),
        Arguments.of(with("release", "\"13.2\""), "$.release", "expected a FreeBSD release name"),
        Arguments.of(with("release", "\"../../etc\""), "$.release", "found \"../../etc\""),
        Arguments.of(
            with("release", "\"13.2-RELEASE; reboot\""),
            "$.release",
            "use one such as 13.2-RELEASE"),
        Arguments.of(with("artifact", "null"), "$.artifact", "expected a string, found null"),
        Arguments.of(
            with("artifact", "\"file:///root/.ssh\""),
            "$.artifact",
            "would copy the installing host's files"),
        Arguments.of(with("artifact", "\"--upload-pack=touch /tmp/x\""), "$.artifact", "git URL"),
        Arguments.of(with("artifact", "\"https://x.org/a b.git\""), "$.artifact", "without spaces"),
        Arguments.of(
            with("artifact_ref", "\"abc123\""),
            "$.artifact_ref",
            "a full commit id of 40 hex digits"),
        Arguments.of(with("artifact_ref", "\"master\""), "$.artifact_ref", "never a branch or tag"),
        Arguments.of(
            with("artifact_ref", "\"" + "g".repeat(40) + "\""), "$.artifact_ref", "40 hex"),
        Arguments.of(
            with("artifact_bundle", "\"plugins/x.bundle\""), "$.artifact_bundle", "artifact_ref"),
        Arguments.of(
            with("artifact_bundle", "\"../x.bundle\""), "$.artifact_bundle", "(a '..' segment)"),
        Arguments.of(
            with("artifact_bundle", "\"/srv/x.bundle\""), "$.artifact_bundle", "(absolute)"),
        Arguments.of(
            with("artifact_bundle", "\"plugins//x\""),
            "$.artifact_bundle",
            "relative registry target path"),
        Arguments.of(with("artifact_bundle", "\"plugins/a/../../b\""), "$.artifact_bundle", "'..'"),
        Arguments.of(with("pkgs", "\"nginx\""), "$.pkgs", "expected an array of strings"),
        Arguments.of(
            with("pkgs", "[\"nginx\", 5]"), "$.pkgs[1]", "expected a string, found number 5"),
        Arguments.of(
            with("pkgs", "[\"nginx; rm -rf /\"]"),
            "$.pkgs[0]",
            "without spaces, options or shell syntax"),
        Arguments.of(
            with("pkgs", "[\"a\", \"$(reboot)\"]"), "$.pkgs[1]", "expected a package name"),
        Arguments.of(with("pkgs", "[\"-y\"]"), "$.pkgs[0]", "expected a package name"),
        Arguments.of(with("pkgs", "[\"nginx`id`\"]"), "$.pkgs[0]", "expected a package name"),
        Arguments.of(with("pkgs", "[\"www/../../x\"]"), "$.pkgs[0]", "expected a package name"),
        Arguments.of(with("pkgs", "[\"a\\nb\"]"), "$.pkgs[0]", "found \"a\\nb\""),
        Arguments.of(
            with("packagesite", "\"file:///var/db/pkg\""),
            "$.packagesite",
            "would read the installing host's files"),
        Arguments.of(
            with("packagesite", "\"http://x.org/\\\"\\nsignature_type: none\""),
            "$.packagesite",
            "pkg repository configuration"),
        Arguments.of(with("packagesite", "\"ftp://pkg.FreeBSD.org/\""), "$.packagesite", "http(s)"),
        Arguments.of(
            with("packagesite", "\"http://pkg.FreeBSD.org/$ABI/latest\""),
            "$.packagesite",
            "${ABI} allowed"),
        Arguments.of(
            with("fingerprints", "[]"), "$.fingerprints", "expected an object, found array []"),
        Arguments.of(
            with("fingerprints", "{}"), "$.fingerprints", "expected at least one pkg repository"),
        Arguments.of(
            with("fingerprints", "{\"r\":{}}"),
            "$.fingerprints.r",
            "an array of {\"function\", \"fingerprint\"}"),
        Arguments.of(
            with("fingerprints", "{\"r\":[]}"), "$.fingerprints.r", "at least one fingerprint"),
        Arguments.of(
            with("fingerprints", "{\"r\":[\"" + fp + "\"]}"),
            "$.fingerprints.r[0]",
            "expected an object"),
        Arguments.of(
            with("fingerprints", "{\"r\":[{\"function\":\"sha256\"}]}"),
            "$.fingerprints.r[0]",
            "expected key \"fingerprint\""),
        Arguments.of(
            with("fingerprints", fingerprints("r", "sha1", fp)),
            "$.fingerprints.r[0].function",
            "expected \"sha256\", found \"sha1\""),
        Arguments.of(
            with("fingerprints", fingerprints("r", "sha256", fp.substring(1))),
            "$.fingerprints.r[0].fingerprint",
            "64 hex digits"),
        Arguments.of(
            with("fingerprints", fingerprints("r", "sha256", "z".repeat(64))),
            "$.fingerprints.r[0].fingerprint",
            "64 hex digits"),
        Arguments.of(
            with("fingerprints", fingerprints("../../../etc/rc", "sha256", fp)),
            "$.fingerprints[\"../../../etc/rc\"]",
            "becomes a file name"),
        Arguments.of(
            with("fingerprints", fingerprints("a/b", "sha256", fp)),
            "$.fingerprints[\"a/b\"]",
            "repository name"),
        Arguments.of(
            with("fingerprints", fingerprints("..", "sha256", fp)),
            "$.fingerprints[\"..\"]",
            "repository name"),
        Arguments.of(
            with("fingerprints", fingerprints(".hidden", "sha256", fp)),
            "$.fingerprints[\".hidden\"]",
            "repository name"),
        Arguments.of(with("properties", "[]"), "$.properties", "expected an object"),
        Arguments.of(
            with("properties", "{\"nat forwards\":\"x\"}"),
            "$.properties[\"nat forwards\"]",
            "property name"),
        Arguments.of(with("properties", "{\"../x\":1}"), "$.properties[\"../x\"]", "property name"),
        Arguments.of(
            with("properties", "{\"nat\":{\"a\":1}}"),
            "$.properties.nat",
            "a string, number or boolean"),
        Arguments.of(with("properties", "{\"nat\":null}"), "$.properties.nat", "found null"),
        Arguments.of(
            with("properties", "{\"exec_start\":\"/bin/sh\\n/etc/rc\"}"),
            "$.properties.exec_start",
            "without control characters"),
        Arguments.of(
            with("official", "\"yes\""),
            "$.official",
            "expected true or false, found string \"yes\""),
        Arguments.of(with("official", "1"), "$.official", "expected true or false"),
        Arguments.of(with("revision", "\"one\""), "$.revision", "expected an integer from 0"),
        Arguments.of(with("revision", "-1"), "$.revision", "found number -1"),
        Arguments.of(with("revision", "1.5"), "$.revision", "found number 1.5"),
        Arguments.of(
            with("revision", "99999999999"), "$.revision", "an integer from 0 to 2147483647"),
        Arguments.of(
            with("devfs_ruleset", "{\"includes\":[]}"),
            "$.devfs_ruleset",
            "expected key \"paths\""),
        Arguments.of(with("devfs_ruleset", "[]"), "$.devfs_ruleset", "expected an object"),
        Arguments.of(
            with("devfs_ruleset", "{\"paths\":{\"bpf*\":438}}"),
            "$.devfs_ruleset.paths[\"bpf*\"]",
            "null (unhide) or a devfs rule action string"),
        Arguments.of(
            with("devfs_ruleset", "{\"paths\":{\"../mem\":null}}"),
            "$.devfs_ruleset.paths[\"../mem\"]",
            "no '..'"),
        Arguments.of(
            with("devfs_ruleset", "{\"paths\":{\"/dev/mem\":null}}"),
            "$.devfs_ruleset.paths[\"/dev/mem\"]",
            "devfs path pattern"),
        Arguments.of(
            with("devfs_ruleset", "{\"paths\":{\"mem\":\"unhide; reboot\"}}"),
            "$.devfs_ruleset.paths.mem",
            "devfs rule action"),
        Arguments.of(
            with("devfs_ruleset", "{\"paths\":{},\"includes\":[\"1 ; reboot\"]}"),
            "$.devfs_ruleset.includes[0]",
            "devfs ruleset number or $name"),
        Arguments.of(
            with("kmods", "[\"/tmp/evil.ko\"]"),
            "$.kmods[0]",
            "kldload(8) would load a file by path"),
        Arguments.of(
            with("kmods", "[\"linux\", \"../../tmp/evil\"]"), "$.kmods[1]", "kernel module name"),
        Arguments.of(with("kmods", "\"linux\""), "$.kmods", "expected an array of strings"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void testParse_brokenOrHostileRefusedWithPath(String json, String path, String fragment) {
    Refusals.assertRefusedAt(() -> parse(json), json, "plugin manifest", path, fragment);
  }

  @Test
  void testParse_malformedDocumentsRefused() {
    String good = new String(Samples.read(TRANSMISSION), StandardCharsets.UTF_8);
    Object[][] cases = {
      {"", "$", "found empty input"},
      {"not json", "$", "invalid JSON at line 1"},
      {"[1]", "$", "expected a JSON object, found array [1]"},
      {good + "{}", "$", "Trailing token"},
      {
        good.replace("\"revision\": 0", "\"revision\": 0, \"revision\": 1"),
        "$.revision",
        "Duplicate field 'revision'; a key given twice is ambiguous"
      },
      {
        good.replace("\"nat\": 1", "\"nat\": 1, \"nat\": 0"),
        "$.properties.nat",
        "Duplicate field 'nat'"
      },
      {good.replace("\"revision\": 0", "\"revision\": NaN"), "$.revision", "invalid JSON"},
      {good.replace("\"revision\": 0", "\"revision\": 0 // comment"), "$.revision", "invalid JSON"},
      {"{\"x\":" + "[".repeat(40) + "]".repeat(40) + "}", "$", "nested at most 32 deep"},
      // found by PluginIndexPropertyTest: a lone surrogate became "?" in the canonical form
      {
        good.replace("\"nat\": 1", "\"nat\": 1, \"notes\": [\"x\\ud800\"]"),
        "$.properties.notes[0]",
        "expected Unicode text, found the unpaired surrogate \\ud800"
      },
    };
    for (Object[] c : cases) {
      assertThatThrownBy(() -> parse((String) c[0]))
          .as("refusal of %s", c[0])
          .isInstanceOf(MalformedDocumentException.class)
          .hasMessageContaining((String) c[2])
          .extracting(e -> ((MalformedDocumentException) e).path())
          .isEqualTo(c[1]);
    }
    byte[] invalidUtf8 =
        good.replace("Transmission", "Trans\u00ffmission").getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> PluginManifest.parse(invalidUtf8))
        .isInstanceOf(MalformedDocumentException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void testParse_oversizedRefusedUnread() {
    byte[] big = new byte[PluginManifest.MAX_BYTES + 1];

    assertThatThrownBy(() -> PluginManifest.parse(big))
        .isInstanceOf(DocumentTooLargeException.class)
        .hasMessageStartingWith(
            "expected a plugin manifest of at most 1048576 bytes, found 1048577 bytes");
  }
}
