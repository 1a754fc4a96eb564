package org.warder.client.jail.props;

/** Shows untrusted text in a one-line message: control characters become escapes. */
final class Printable {
  private static final int MAX = 200;

  private Printable() {}

  static String of(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length() && out.length() < MAX; i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.length() >= MAX ? out + "..." : out.toString();
  }
}
