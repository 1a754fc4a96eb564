package org.warder.registry.catalogue;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The catalogue as one static HTML page with inline CSS and no script. Everything in it comes from
 * publishers, so every string is escaped for HTML text and attributes, long strings are clipped
 * (with an ellipsis; the whole value in a {@code title} where it helps), and an icon is shown only
 * when it is an absolute {@code http} or {@code https} URL with a host, else left out. Thread-safe.
 */
public final class CataloguePage {
  /** Longest names, ids, tags and releases shown. */
  static final int SHORT = 80;

  /** Longest description shown. */
  static final int LONG = 600;

  /** Longest icon URL used. */
  static final int URL = 2048;

  private static final String CSS =
      """
      body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1d2733;background:#fafbfc}
      h1{font-size:1.6rem;margin-bottom:.2rem}
      h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d4dae0;padding-bottom:.3rem}
      p.meta{color:#5b6875;margin-top:0}
      table{border-collapse:collapse;width:100%}
      th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #e4e8ec;vertical-align:top}
      th{font-size:.85rem;color:#5b6875;font-weight:600}
      td.num{text-align:right;font-variant-numeric:tabular-nums}
      code{font-family:ui-monospace,monospace;font-size:.9em;overflow-wrap:anywhere}
      ul.plugins{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(20rem,1fr));gap:1rem}
      ul.plugins li{background:#fff;border:1px solid #d4dae0;border-radius:.4rem;padding:.8rem;overflow-wrap:anywhere}
      ul.plugins img{width:48px;height:48px;float:right;margin-left:.5rem}
      .plugin-name{font-weight:600;font-size:1.05rem}
      .empty{color:#5b6875;font-style:italic}
      """;

  private CataloguePage() {}

  /** The page of {@code catalogue}, UTF-8 HTML. */
  public static String render(Catalogue catalogue) {
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>warder registry catalogue</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<h1>warder registry</h1>\n")
        .append("<p class=\"meta\">What this registry publishes, from its signed metadata")
        .append(" (snapshot version ")
        .append(catalogue.snapshotVersion())
        .append("). Add it with <code>warder repo add NAME URL --root-sha256 PIN</code>.</p>\n");
    releases(h, catalogue);
    plugins(h, catalogue);
    templates(h, catalogue);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void releases(StringBuilder h, Catalogue catalogue) {
    h.append("<section id=\"releases\">\n<h2>Releases</h2>\n");
    if (catalogue.releases().isEmpty()) {
      h.append("<p class=\"empty\">No release is published.</p>\n</section>\n");
      return;
    }
    h.append("<table>\n<thead><tr><th>Release</th><th>Architecture</th><th>Files</th>")
        .append("<th>Size</th></tr></thead>\n<tbody>\n");
    for (Catalogue.Release r : catalogue.releases()) {
      h.append("<tr><td>")
          .append(text(r.release(), SHORT))
          .append("</td><td>")
          .append(text(r.arch(), SHORT))
          .append("</td><td>");
      for (int i = 0; i < r.files().size(); i++) {
        h.append(i == 0 ? "" : ", ")
            .append("<code>")
            .append(text(r.files().get(i).name(), SHORT))
            .append("</code>");
      }
      h.append("</td><td class=\"num\" title=\"")
          .append(r.size())
          .append(" bytes\">")
          .append(size(r.size()))
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n<p class=\"meta\">Fetch one with ")
        .append("<code>warder fetch -r RELEASE --arch ARCH</code>.</p>\n</section>\n");
  }

  private static void plugins(StringBuilder h, Catalogue catalogue) {
    h.append("<section id=\"plugins\">\n<h2>Plugins</h2>\n");
    if (catalogue.plugins().isEmpty()) {
      h.append("<p class=\"empty\">No plugin is published.</p>\n</section>\n");
      return;
    }
    h.append("<ul class=\"plugins\">\n");
    for (Catalogue.Plugin p : catalogue.plugins()) {
      h.append("<li class=\"plugin\">");
      icon(p.icon())
          .ifPresent(
              url ->
                  h.append("<img src=\"")
                      .append(escape(url))
                      .append("\" alt=\"\" loading=\"lazy\" referrerpolicy=\"no-referrer\">"));
      h.append("<div class=\"plugin-name\">")
          .append(text(p.name(), SHORT))
          .append("</div>\n<div><code>")
          .append(text(p.publisher(), SHORT))
          .append("/")
          .append(text(p.id(), SHORT))
          .append("</code>");
      p.revision().ifPresent(r -> h.append(" revision ").append(text(r, SHORT)));
      h.append("</div>\n");
      p.commit()
          .ifPresent(
              c ->
                  h.append("<div>commit <code title=\"")
                      .append(escape(clip(c, SHORT)))
                      .append("\">")
                      .append(text(c, 12))
                      .append("</code></div>\n"));
      h.append("<p class=\"description\">").append(text(p.description(), LONG)).append("</p>");
      h.append("</li>\n");
    }
    h.append(
            "</ul>\n<p class=\"meta\">Install one with <code>warder fetch -P PUBLISHER/ID</code>.</p>\n")
        .append("</section>\n");
  }

  private static void templates(StringBuilder h, Catalogue catalogue) {
    h.append("<section id=\"templates\">\n<h2>Team templates</h2>\n");
    if (catalogue.templates().isEmpty()) {
      h.append("<p class=\"empty\">No team template is published.</p>\n</section>\n");
      return;
    }
    h.append("<table>\n<thead><tr><th>Template</th><th>Tag</th><th>Release</th>")
        .append("<th>Published</th><th>Base</th><th>Size</th></tr></thead>\n<tbody>\n");
    for (Catalogue.Template t : catalogue.templates()) {
      for (Catalogue.Tag tag : t.tags()) {
        h.append("<tr><td><code>")
            .append(text(t.team(), SHORT))
            .append("/")
            .append(text(t.name(), SHORT))
            .append("</code></td><td>")
            .append(text(tag.tag(), SHORT))
            .append("</td><td>")
            .append(text(tag.release(), SHORT))
            .append("</td><td>")
            .append(tag.published().map(Object::toString).orElse("-"))
            .append("</td><td>")
            .append(text(tag.base().orElse("-"), SHORT))
            .append("</td><td class=\"num\">")
            .append(size(tag.length()))
            .append("</td></tr>\n");
      }
    }
    h.append("</tbody>\n</table>\n<p class=\"meta\">Create a jail from one with ")
        .append("<code>warder create -t REPO:TEAM/NAME[:TAG] -n NAME</code>.</p>\n</section>\n");
  }

  /** {@code raw} clipped to {@code max} characters and escaped for HTML text. */
  static String text(String raw, int max) {
    return escape(clip(raw, max));
  }

  /** {@code raw}, or its first {@code max - 1} code points and an ellipsis when longer. */
  static String clip(String raw, int max) {
    if (raw.codePointCount(0, raw.length()) <= max) {
      return raw;
    }
    return raw.substring(0, raw.offsetByCodePoints(0, max - 1)) + "\u2026";
  }

  /** {@code raw} safe in HTML text and in double- or single-quoted attributes. */
  static String escape(String raw) {
    StringBuilder out = new StringBuilder(raw.length() + 16);
    raw.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                  if (Character.isISOControl(c) && c != '\n' && c != '\t') {
                    out.append('\uFFFD');
                  } else {
                    out.appendCodePoint(c);
                  }
                }
              }
            });
    return out.toString();
  }

  /** {@code raw} when it is an absolute http(s) URL with a host and not too long. */
  static Optional<String> icon(String raw) {
    if (raw.isEmpty() || raw.length() > URL) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(raw);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return Optional.of(uri.toASCIIString());
      }
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** {@code bytes} for people: B, KiB, MiB, GiB with one decimal. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int unit = -1;
    while (v >= 1024 && unit < units.length - 1) {
      v /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[unit]);
  }
}
