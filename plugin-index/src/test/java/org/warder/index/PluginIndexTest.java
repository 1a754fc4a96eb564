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

class PluginIndexTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ENTRY =
      "{\"MANIFEST\":\"x.json\",\"name\":\"X\",\"icon\":\"https://icons.example.org/x.png\","
          + "\"description\":\"An x.\",\"official\":false,\"primary_pkg\":\"x\"}";

  private static Parsed<PluginIndex> parse(String json) throws CatalogException {
    return PluginIndex.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> warnings(Parsed<?> parsed) {
    return parsed.warnings().stream().map(CatalogWarning::toString).toList();
  }

  @Test
  void testParse_realIndex() throws CatalogException {
    Parsed<PluginIndex> parsed = PluginIndex.parse(Samples.read(Samples.INDEX));
    PluginIndex index = parsed.value();

    assertThat(index.entries()).hasSize(74);
    assertThat(index.entries().keySet()).startsWith("adguardhome", "archiwarep5", "backuppc");
    // 25 entries say null and 5 say "": iocage treats both as "use the plugin id".
    assertThat(index.entries().values().stream().filter(e -> e.primaryPkg().isEmpty())).hasSize(30);
    assertThat(warnings(parsed))
        .containsExactly(
            "$[\"channels-dvr\"].primary_pkg: empty string read as null",
            "$.chia.primary_pkg: empty string read as null",
            "$[\"deluge-pip\"].primary_pkg: empty string read as null",
            "$.duplicati.primary_pkg: empty string read as null",
            "$[\"torr-server\"].primary_pkg: empty string read as null");
    assertThat(index.entries().values().stream().filter(e -> e.homepage().isPresent())).hasSize(30);
    assertThat(index.entries().values().stream().filter(e -> e.category().isPresent())).hasSize(27);
    assertThat(index.entries().values().stream().filter(e -> e.maintainer().isPresent()))
        .hasSize(2);
    assertThat(index.entries().values())
        .allSatisfy(
            e -> {
              assertThat(e.manifestTarget()).isEmpty();
              assertThat(e.license()).isEmpty();
              assertThat(e.extra()).isEmpty();
            });
  }

  @Test
  void testEntry_lookUp() throws CatalogException {
    PluginIndex index = PluginIndex.parse(Samples.read(Samples.INDEX)).value();

    PluginIndex.Entry adguard = index.entry("adguardhome").orElseThrow();
    assertThat(adguard.manifest()).isEqualTo("adguardhome.json");
    assertThat(adguard.name()).isEqualTo("AdGuardHome");
    assertThat(adguard.icon())
        .isEqualTo("https://icons.freenas.org/community-icons/adguardhome.png");
    assertThat(adguard.description())
        .isEqualTo("AdGuard Home is a network-wide software for blocking ads & tracking.");
    assertThat(adguard.official()).isFalse();
    assertThat(adguard.primaryPkg()).contains("adguardhome");
    assertThat(adguard.category()).contains("networking");
    assertThat(adguard.homepage()).contains("https://github.com/AdguardTeam/AdGuardHome");
    assertThat(index.entry("jellyfin").orElseThrow().primaryPkg()).isEmpty();
    assertThat(index.entry("FlareSolverr").orElseThrow().manifest()).isEqualTo("flaresolverr.json");
    assertThat(index.entry("flaresolverr")).as("ids match exactly").isEmpty();
    assertThat(index.entry("no-such-plugin")).isEmpty();
  }

  @Test
  void testToJson_realIndexRoundTripsAndIsStable() throws CatalogException {
    PluginIndex index = PluginIndex.parse(Samples.read(Samples.INDEX)).value();

    byte[] canonical = index.toJson();
    Parsed<PluginIndex> again = PluginIndex.parse(canonical);

    assertThat(again.value()).isEqualTo(index);
    assertThat(again.warnings()).isEmpty();
    assertThat(again.value().toJson()).isEqualTo(canonical);
  }

  @Test
  void testParse_extensionsAndQuirks() throws Exception {
    String json =
        "{\"nextcloud\":{\"MANIFEST\":\"nextcloud.json\",\"name\":\"Nextcloud\",\"icon\":\"https://i/n.png\","
            + "\"description\":\"Files.\\nAnd more.\",\"official\":\"true\",\"category\":\"collaboration\","
            + "\"maintainer\":\"iXsystems <dev@ixsystems.com>\",\"homepage\":\"https://nextcloud.com/\","
            + "\"license\":\"https://example.org/license\",\"manifest_target\":\"plugins/ix/nextcloud/3/manifest.json\","
            + "\"maintaner\":\"typo\",\"x_vendor\":{\"a\":[1,2.5]}}}";

    Parsed<PluginIndex> parsed = parse(json);

    assertThat(warnings(parsed))
        .containsExactly(
            "$.nextcloud.official: string \"true\" read as boolean true",
            "$.nextcloud.maintaner: unknown key (typo of \"maintainer\"?) ignored",
            "$.nextcloud.x_vendor: unknown key ignored",
            "$.nextcloud.primary_pkg: missing, read as null");
    PluginIndex.Entry e = parsed.value().entry("nextcloud").orElseThrow();
    assertThat(e.official()).isTrue();
    assertThat(e.primaryPkg()).isEmpty();
    assertThat(e.maintainer()).contains("iXsystems <dev@ixsystems.com>");
    assertThat(e.license()).contains("https://example.org/license");
    assertThat(e.manifestTarget()).contains("plugins/ix/nextcloud/3/manifest.json");
    assertThat(e.extra()).containsOnlyKeys("maintaner", "x_vendor");
    byte[] canonical = parsed.value().toJson();
    assertThat(PluginIndex.parse(canonical).value()).isEqualTo(parsed.value());
    assertThat(new String(canonical, StandardCharsets.UTF_8)).contains("\"primary_pkg\": null");
  }

  @Test
  void testConstructor_builtEntryRoundTrips() throws Exception {
    PluginIndex.Entry e =
        new PluginIndex.Entry(
            "gitea.json",
            "Gitea",
            "https://i/g.png",
            "A forge.",
            false,
            Optional.of("www/gitea"),
            Optional.of("development"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("plugins/acme/gitea/manifest.json"),
            Map.of("x", (ObjectNode) JSON.readTree("{\"ratio\":0.50}")));
    PluginIndex index = new PluginIndex(Map.of("gitea", e));

    assertThat(PluginIndex.parse(index.toJson()).value()).isEqualTo(index);
    assertThatThrownBy(() -> new PluginIndex(Map.of("../gitea", e)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("plugin INDEX $[\"../gitea\"]: expected a plugin id");
  }

  private static String index(String id, String entryJson) {
    return "{" + JSON.getNodeFactory().textNode(id) + ":" + entryJson + "}";
  }

  private static String entryWith(String key, String rawJson) throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(ENTRY);
    o.set(key, JSON.readTree(rawJson));
    return index("x", o.toString());
  }

  private static String entryWithout(String key) throws Exception {
    ObjectNode o = (ObjectNode) JSON.readTree(ENTRY);
    o.remove(key);
    return index("x", o.toString());
  }

  static Stream<Arguments> refused() throws Exception {
    return Stream.of(
        Arguments.of(index("../x", ENTRY), "$[\"../x\"]", "the id becomes a file name"),
        Arguments.of(index("a/b", ENTRY), "$[\"a/b\"]", "expected a plugin id"),
        Arguments.of(index(".x", ENTRY), "$[\".x\"]", "expected a plugin id"),
        Arguments.of(index("", ENTRY), "$[\"\"]", "expected a plugin id"),
        Arguments.of(index("x y", ENTRY), "$[\"x y\"]", "expected a plugin id"),
        Arguments.of(index("x".repeat(65), ENTRY), "$." + "x".repeat(65), "at most 64"),
        Arguments.of(
            "{\"Gitea\":" + ENTRY + ",\"gitea\":" + ENTRY + "}", "$.gitea", "case-insensitive"),
        Arguments.of(index("x", "[]"), "$.x", "expected an object, found array []"),
        Arguments.of(index("x", "\"x.json\""), "$.x", "expected an object"),
        Arguments.of(entryWithout("MANIFEST"), "$.x", "expected key \"MANIFEST\""),
        Arguments.of(entryWithout("name"), "$.x", "expected key \"name\""),
        Arguments.of(entryWithout("icon"), "$.x", "expected key \"icon\""),
        Arguments.of(entryWithout("description"), "$.x", "expected key \"description\""),
        Arguments.of(entryWithout("official"), "$.x", "expected key \"official\""),
        Arguments.of(
            entryWith("MANIFEST", "\"../../etc/passwd\""), "$.x.MANIFEST", "a plain file name"),
        Arguments.of(entryWith("MANIFEST", "\"/etc/passwd\""), "$.x.MANIFEST", "a plain file name"),
        Arguments.of(
            entryWith("MANIFEST", "\"sub/x.json\""),
            "$.x.MANIFEST",
            "MANIFEST names a file beside the INDEX"),
        Arguments.of(entryWith("MANIFEST", "\".x.json\""), "$.x.MANIFEST", "not starting with '.'"),
        Arguments.of(
            entryWith("MANIFEST", "null"), "$.x.MANIFEST", "expected a string, found null"),
        Arguments.of(entryWith("name", "\"\""), "$.x.name", "a non-empty name"),
        Arguments.of(entryWith("name", "\"X\\u0007\""), "$.x.name", "control characters"),
        Arguments.of(
            entryWith("name", "\"Nextcloud\\u202egpj.exe\""),
            "$.x.name",
            "bidirectional overrides"),
        Arguments.of(entryWith("official", "\"yes\""), "$.x.official", "expected true or false"),
        Arguments.of(
            entryWith("primary_pkg", "5"),
            "$.x.primary_pkg",
            "a package name or null, found number 5"),
        Arguments.of(
            entryWith("primary_pkg", "\"x; reboot\""), "$.x.primary_pkg", "a package name"),
        Arguments.of(
            entryWith("manifest_target", "\"/srv/x.json\""), "$.x.manifest_target", "(absolute)"),
        Arguments.of(
            entryWith("manifest_target", "\"plugins/../../x.json\""),
            "$.x.manifest_target",
            "'..'"),
        Arguments.of(
            entryWith("manifest_target", "\"plugins\\\\x.json\""),
            "$.x.manifest_target",
            "registry target path"),
        Arguments.of(entryWith("homepage", "[]"), "$.x.homepage", "expected a string"),
        Arguments.of(entryWith("description", "\"x\\u0000y\""), "$.x.description", "U+0000"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void testParse_brokenOrHostileRefusedWithPath(String json, String path, String fragment) {
    Refusals.assertRefusedAt(() -> parse(json), json, "plugin INDEX", path, fragment);
  }

  @Test
  void testParse_malformedAndOversizedRefused() {
    assertThatThrownBy(() -> parse("[" + ENTRY + "]"))
        .isInstanceOf(MalformedDocumentException.class)
        .hasMessageStartingWith("plugin INDEX $: expected a JSON object, found array");
    assertThatThrownBy(() -> parse(index("x", ENTRY).replace("\"X\"", "\"X\",\"name\":\"Y\"")))
        .isInstanceOf(MalformedDocumentException.class)
        .hasMessageContaining("Duplicate field 'name'")
        .extracting(e -> ((MalformedDocumentException) e).path())
        .isEqualTo("$.x.name");
    assertThatThrownBy(() -> PluginIndex.parse(new byte[PluginIndex.MAX_BYTES + 1]))
        .isInstanceOf(DocumentTooLargeException.class);
  }

  @Test
  void testParse_emptyIndex() throws CatalogException {
    Parsed<PluginIndex> parsed = parse("{}");

    assertThat(parsed.value().entries()).isEmpty();
    assertThat(parsed.warnings()).isEmpty();
  }
}
