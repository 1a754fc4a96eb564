package org.warder.registry.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.Facility;
import org.warder.registry.testing.Publisher;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Signed;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;

/**
 * The catalogue page at {@code /} of a real registry in-process, with a release, a plugin whose
 * publisher wrote hostile text, and a team template published the way clients publish them: served
 * with its headers, built again when a publication changes the snapshot, and rendered by headless
 * Chromium (Debian's {@code chromium}), whose DOM shows the publishers' text as text and which
 * stores a screenshot as {@code target/catalogue.png}.
 */
class CatalogueServerTest {
  static final String HOSTILE =
      "<script>document.title='pwned'</script> Serves \"static\" <b>pages</b> & more";
  static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  @TempDir Path tmp;
  TestRegistry registry;
  Ed25519SigningKey key;
  Publisher publisher;

  @BeforeEach
  void publish() throws Exception {
    registry = TestRegistry.create(tmp).start();
    key = Ed25519SigningKey.generate();
    registry.delegate("releases", List.of(key), 1, "releases/*/*/*");
    registry.delegate("plugins-acme", List.of(key), 1, "plugins/acme/*", "plugins/acme/*/*/*");
    registry.delegate("team-acme", List.of(key), 1, "templates/acme/*/*", "jails/acme/*/*");
    publisher = registry.publisher(registry.token("acme", "releases", "plugins-acme", "team-acme"));

    byte[] base = new byte[300_000];
    byte[] lib32 = new byte[100_000];
    lib32[0] = 1;
    submit(
        "releases",
        1,
        List.of(
            target("releases/14.2-RELEASE/amd64/base.txz", base, Optional.empty()),
            target("releases/14.2-RELEASE/amd64/lib32.txz", lib32, Optional.empty()),
            target("releases/14.2-RELEASE/arm64/base.txz", lib32, Optional.empty())));

    ObjectNode index = JsonNodeFactory.instance.objectNode();
    ObjectNode web = index.putObject("web");
    web.put("MANIFEST", "web.json");
    web.put("name", "Web <em>Server</em>");
    web.put("icon", "javascript:alert(1)");
    web.put("description", HOSTILE);
    web.put("official", false);
    web.put("manifest_target", "plugins/acme/web/3/manifest.json");
    ObjectNode dns = index.putObject("dns");
    dns.put("MANIFEST", "dns.json");
    dns.put("name", "DNS");
    dns.put("icon", "https://icons.example.org/dns.png");
    dns.put("description", "D".repeat(2000));
    dns.put("official", true);
    ObjectNode custom = JsonNodeFactory.instance.objectNode();
    custom.put("kind", "plugin-manifest");
    custom.put("publisher", "acme");
    custom.put("id", "web");
    custom.put("revision", 3);
    custom.put("commit", COMMIT);
    submit(
        "plugins-acme",
        1,
        List.of(
            target(
                "plugins/acme/INDEX",
                index.toString().getBytes(StandardCharsets.UTF_8),
                Optional.empty()),
            target(
                "plugins/acme/web/3/manifest.json",
                "{\"name\":\"web\"}".getBytes(StandardCharsets.UTF_8),
                Optional.of(custom))));

    submit("team-acme", 1, List.of(template("base", "1", "bundle one", Optional.empty())));
  }

  @AfterEach
  void close() throws Exception {
    registry.close();
  }

  TargetFile target(String path, byte[] content, Optional<JsonNode> custom) throws IOException {
    assertThat(publisher.upload(content)).isEqualTo(Digests.sha256Hex(content));
    return new TargetFile(
        path, content.length, Map.of("sha256", Digests.sha256Hex(content)), custom);
  }

  TargetFile template(String name, String tag, String content, Optional<String> base)
      throws IOException {
    ObjectNode custom = JsonNodeFactory.instance.objectNode();
    custom.put("kind", "template-bundle");
    custom.put("team", "acme");
    custom.put("name", name);
    custom.put("tag", tag);
    custom.put("published", "2026-11-0" + tag + "T10:00:00Z");
    custom.put("release", "14.2-RELEASE");
    custom.put("format", "zfs");
    base.ifPresent(b -> custom.put("base_tag", b));
    return target(
        "templates/acme/" + name + "/" + tag + ".bundle",
        content.getBytes(StandardCharsets.UTF_8),
        Optional.of(custom));
  }

  void submit(String role, long version, List<TargetFile> targets) throws Exception {
    Map<String, TargetFile> byPath = new LinkedHashMap<>();
    targets.forEach(t -> byPath.put(t.path(), t));
    Metadata<Targets> md =
        Metadata.of(
                new Targets(
                    Signed.SPEC_VERSION,
                    version,
                    Instant.now().plus(30, ChronoUnit.DAYS),
                    byPath,
                    Optional.empty()))
            .signedBy(List.of(key));
    HttpResponse<byte[]> r = publisher.submit(role, md.toBytes());
    assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
  }

  HttpResponse<byte[]> get() throws IOException {
    return registry.http().send("GET", "/", null);
  }

  @Test
  void testCatalogue_servedAsHtmlFromTheSignedMetadata() throws Exception {
    HttpResponse<byte[]> page = get();
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("default-src 'none'");
    String html = new String(page.body(), StandardCharsets.UTF_8);
    assertThat(html)
        .contains("<td>14.2-RELEASE</td><td>amd64</td>")
        .contains("<td>14.2-RELEASE</td><td>arm64</td>")
        .contains("390.6 KiB") // base.txz + lib32.txz of amd64
        .contains("<code>acme/web</code> revision 3")
        .contains("title=\"" + COMMIT + "\">" + COMMIT.substring(0, 11) + "\u2026</code>")
        .contains("Web &lt;em&gt;Server&lt;/em&gt;")
        .contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;")
        .contains("<img src=\"https://icons.example.org/dns.png\"")
        .doesNotContain("javascript:")
        .doesNotContain("<script")
        .doesNotContain("D".repeat(1000))
        .contains("<code>acme/base</code></td><td>1</td><td>14.2-RELEASE</td>");
    // the other paths are as they were
    assertThat(registry.http().send("GET", "/healthz", null).statusCode()).isEqualTo(200);
    assertThat(registry.http().send("GET", "/metadata/timestamp.json", null).statusCode())
        .isEqualTo(200);
  }

  @Test
  void testCatalogue_builtAgainWhenAPublicationChangesTheSnapshot() throws Exception {
    String before = new String(get().body(), StandardCharsets.UTF_8);
    assertThat(before).doesNotContain("<td>2</td>");
    assertThat(new String(get().body(), StandardCharsets.UTF_8)).isEqualTo(before);
    submit(
        "team-acme",
        2,
        List.of(
            template("base", "1", "bundle one", Optional.empty()),
            template("base", "2", "bundle two", Optional.of("1"))));
    String after = new String(get().body(), StandardCharsets.UTF_8);
    assertThat(after)
        .isNotEqualTo(before)
        .contains("<code>acme/base</code></td><td>2</td><td>14.2-RELEASE</td>");
  }

  @Test
  void testCatalogue_renderedByHeadlessChromium() throws Exception {
    Optional<Path> chromium =
        List.of("/usr/bin/chromium", "/usr/bin/chromium-browser").stream()
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst();
    if (chromium.isEmpty()) {
      Facility.missing("CHROMIUM", "no chromium in /usr/bin (Debian package chromium)");
      return;
    }
    Path screenshot = Path.of("target", "catalogue.png").toAbsolutePath();
    Files.createDirectories(screenshot.getParent());
    Files.deleteIfExists(screenshot);
    String url = registry.url().toString();

    String dom = chromium(chromium.get(), "--dump-dom", url);
    assertThat(dom)
        .contains("<title>warder registry catalogue</title>")
        .contains("14.2-RELEASE")
        .contains("acme/web")
        .contains("acme/base")
        // the publisher's script is text in the page, it never ran (the title is unchanged)
        .contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;")
        .doesNotContain("pwned</title>")
        .doesNotContain("<script");

    chromium(chromium.get(), "--screenshot=" + screenshot, "--window-size=1280,1400", url);
    assertThat(screenshot).exists();
    byte[] png = Files.readAllBytes(screenshot);
    assertThat(png.length).isGreaterThan(10_000);
    assertThat(List.of(png[1], png[2], png[3])).containsExactly((byte) 'P', (byte) 'N', (byte) 'G');
  }

  /** Runs headless Chromium on {@code args}; returns its stdout, failing unless it exits 0. */
  String chromium(Path chromium, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--user-data-dir=" + tmp.resolve("chromium-profile")));
    command.addAll(List.of(args));
    Path out = tmp.resolve("chromium.out");
    Path err = tmp.resolve("chromium.err");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(err));
    }
    assertThat(p.exitValue()).as(Files.readString(err)).isZero();
    return Files.readString(out);
  }
}
