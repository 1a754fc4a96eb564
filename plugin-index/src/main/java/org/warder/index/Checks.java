package org.warder.index;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The value rules shared by the catalogue documents, each failing with an {@link
 * InvalidFieldException} that names the JSON path. Names that end up as file names, argv elements
 * or pkg(8) configuration are restricted to characters that are safe there. Thread-safe.
 */
final class Checks {
  /** A FreeBSD release as {@code freebsd-version} and the release mirrors spell it. */
  static final Pattern RELEASE =
      Pattern.compile(
          "[0-9]{1,2}\\.[0-9]{1,2}-(RELEASE|RC[0-9]|BETA[0-9]|ALPHA[0-9]|STABLE|CURRENT|PRERELEASE)(-p[0-9]{1,3})?");

  /**
   * A package name ({@code nginx}, {@code py39-certbot}) or origin ({@code
   * sysutils/linux-crashplan}, flavour {@code @py39}).
   */
  static final Pattern PKG =
      Pattern.compile(
          "[A-Za-z0-9][A-Za-z0-9._+-]{0,127}(/[A-Za-z0-9][A-Za-z0-9._+-]{0,127})?(@[A-Za-z0-9_]{1,32})?");

  /** A plugin id or pkg repository name: becomes a file name. */
  static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** The INDEX's MANIFEST: a plain file name next to the INDEX. */
  static final Pattern MANIFEST_FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

  static final Pattern PROPERTY_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
  static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  static final Pattern COMMIT_ID = Pattern.compile("[0-9a-f]{40}");
  static final Pattern KMOD = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

  /** A devfs(8) path pattern such as {@code bpf*} or {@code dri/*}. */
  static final Pattern DEVFS_PATH =
      Pattern.compile("[A-Za-z0-9*?_+\\[\\]-][A-Za-z0-9*?_.+\\[\\]/-]{0,127}");

  /** A devfs(8) rule action word list such as {@code unhide} or {@code mode 0660}. */
  static final Pattern DEVFS_ACTION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}");

  /** A devfs ruleset to include: a number or a {@code $devfsrules_*} name. */
  static final Pattern DEVFS_INCLUDE = Pattern.compile("[0-9]{1,5}|\\$[A-Za-z_][A-Za-z0-9_]{0,63}");

  /**
   * An integer as the canonical writer prints it as a JSON number (no sign on zero, no leading
   * zeros, fits a long).
   */
  static final Pattern CANONICAL_INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,17}");

  private static final String URL_CHARS = "[A-Za-z0-9._~:/?#@!&'()*+,;=%\\[\\]-]";
  private static final String VARIABLE = "\\$\\{[A-Z_][A-Z0-9_]*\\}";

  /** pkg(8) repository URL; {@code ${ABI}}-style variables are expanded by pkg. */
  static final Pattern PACKAGESITE =
      Pattern.compile(
          "(?:https?|pkg\\+https?)://(?:[A-Za-z0-9\\[]|"
              + VARIABLE
              + ")(?:"
              + URL_CHARS
              + "|"
              + VARIABLE
              + ")*");

  static final Pattern GIT_URL =
      Pattern.compile("(?:https?|git|ssh)://[A-Za-z0-9\\[]" + URL_CHARS + "*");
  private static final Pattern TARGET_SEGMENT =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+@-]{0,127}");

  static final int MAX_URL = 2048;
  static final int MAX_TEXT = 8192;
  static final int MAX_NAME = 128;
  static final int MAX_TARGET_PATH = 512;

  private Checks() {}

  static void matches(
      Pattern pattern, String value, String document, String path, String expected, String hint)
      throws InvalidFieldException {
    if (!pattern.matcher(value).matches()) {
      throw new InvalidFieldException(document, path, expected, quote(value), hint);
    }
  }

  /**
   * Free text for people: no control characters (tab and line breaks only where {@code multiline})
   * and no bidirectional overrides, which make text display as something else.
   */
  static void text(
      String value, int max, boolean multiline, String document, String path, String hint)
      throws InvalidFieldException {
    if (value.length() > max) {
      throw new InvalidFieldException(
          document, path, "at most " + max + " characters", value.length() + " characters", hint);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = multiline && (c == '\n' || c == '\t' || c == '\r');
      boolean bidi = (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
      if ((Character.isISOControl(c) && !allowed) || bidi) {
        throw new InvalidFieldException(
            document,
            path,
            "text without control characters or bidirectional overrides",
            String.format(Locale.ROOT, "U+%04X at offset %d of %s", (int) c, i, quote(value)),
            hint);
      }
    }
  }

  /** A TUF target path in the registry: relative, '/'-separated, no empty, '.' or '..' segment. */
  static void targetPath(String value, String document, String path, String hint)
      throws InvalidFieldException {
    String expected =
        "a relative registry target path of segments made of letters, digits, '.', '_', '+', '@', '-'"
            + " (not starting with '.' or '-'), such as plugins/acme/nextcloud/manifest.json";
    if (value.isEmpty() || value.length() > MAX_TARGET_PATH) {
      throw new InvalidFieldException(document, path, expected, quote(value), hint);
    }
    for (String segment : value.split("/", -1)) {
      if (!TARGET_SEGMENT.matcher(segment).matches()) {
        throw new InvalidFieldException(
            document,
            path,
            expected,
            quote(value)
                + (value.startsWith("/") ? " (absolute)" : "")
                + (segment.equals("..") ? " (a '..' segment)" : ""),
            hint);
      }
    }
  }

  /** The known key closest to {@code key}, if it looks like a misspelling of one. */
  static Optional<String> typoOf(String key, Collection<String> known) {
    String lower = key.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = EditDistance.between(lower, k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = k;
      }
    }
    int allowed = key.length() < 6 ? 1 : 2;
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** A JSON value for a message: its type and (shortened) text. */
  static String describe(JsonNode node) {
    String type =
        switch (node.getNodeType()) {
          case STRING -> "string";
          case NUMBER -> "number";
          case BOOLEAN -> "boolean";
          case NULL -> "null";
          case ARRAY -> "array";
          case OBJECT -> "object";
          default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    if (node.isNull()) {
      return "null";
    }
    String text = node.toString();
    return type + " " + (text.length() > 80 ? text.substring(0, 77) + "..." : text);
  }

  /** {@code s} as a JSON string literal (control characters escaped), shortened if long. */
  static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    StringBuilder out = new StringBuilder(shown.length() + 2).append('"');
    for (int i = 0; i < shown.length(); i++) {
      char c = shown.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
