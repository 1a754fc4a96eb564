package org.warder.registry.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The page escapes, clips and filters what publishers wrote. */
class CataloguePageTest {
  static Catalogue.Plugin plugin(String name, String description, String icon) {
    return new Catalogue.Plugin(
        "acme", "web", name, description, icon, Optional.of("3"), Optional.of("ab".repeat(20)));
  }

  static String page(Catalogue.Plugin p) {
    return CataloguePage.render(new Catalogue(7, List.of(), List.of(p), List.of()));
  }

  @Test
  void testRender_escapesMarkupAndQuotesInText() {
    String html =
        page(
            plugin(
                "<b>Bold</b>",
                "<script>alert('x')</script> & \"quoted\" <img src=x onerror=y>",
                ""));
    assertThat(html)
        .doesNotContain("<script>")
        .doesNotContain("<b>Bold")
        .doesNotContain("<img src=x")
        .contains("&lt;b&gt;Bold&lt;/b&gt;")
        .contains(
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot; &lt;img src=x onerror=y&gt;");
  }

  @Test
  void testRender_iconOnlyAsHttpUrl() {
    assertThat(page(plugin("n", "d", "https://example.org/i.png")))
        .contains("<img src=\"https://example.org/i.png\"");
    assertThat(page(plugin("n", "d", "http://example.org/a\"b.png"))).doesNotContain("<img");
    for (String bad :
        List.of(
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "//example.org/i.png",
            "file:///etc/passwd",
            "https:///nohost",
            "")) {
      assertThat(page(plugin("n", "d", bad))).as(bad).doesNotContain("<img");
    }
  }

  @Test
  void testRender_clipsLongStrings() {
    String html = page(plugin("N".repeat(500), "D".repeat(5000), ""));
    assertThat(html).contains("N".repeat(CataloguePage.SHORT - 1) + "\u2026");
    assertThat(html).doesNotContain("N".repeat(CataloguePage.SHORT));
    assertThat(html).contains("D".repeat(CataloguePage.LONG - 1) + "\u2026");
    assertThat(html).doesNotContain("D".repeat(CataloguePage.LONG));
  }

  @Test
  void testRender_releasesAndTemplatesWithSizes() {
    String html =
        CataloguePage.render(
            new Catalogue(
                3,
                List.of(
                    new Catalogue.Release(
                        "14.2-RELEASE",
                        "amd64",
                        List.of(
                            new Catalogue.File("base.txz", 3 << 20),
                            new Catalogue.File("lib32.txz", 1 << 20)))),
                List.of(),
                List.of(
                    new Catalogue.Template(
                        "acme",
                        "base",
                        List.of(
                            new Catalogue.Tag(
                                "1",
                                "14.2-RELEASE",
                                Optional.of(Instant.parse("2026-01-02T03:04:05Z")),
                                2048,
                                Optional.empty()))))));
    assertThat(html)
        .contains("<td>14.2-RELEASE</td><td>amd64</td>")
        .contains("<code>base.txz</code>, <code>lib32.txz</code>")
        .contains("4.0 MiB")
        .contains(
            "<code>acme/base</code></td><td>1</td><td>14.2-RELEASE</td><td>2026-01-02T03:04:05Z")
        .contains("2.0 KiB")
        .contains("No plugin is published.")
        .contains("snapshot version 3")
        .doesNotContain("<script");
  }
}
