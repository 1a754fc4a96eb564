package org.warder.signing.tuf;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/** URL helpers: percent-quoting of names, and credentials removed before URLs reach messages. */
public final class Urls {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Urls() {}

  /**
   * Percent-encodes every byte of the UTF-8 form of {@code name} except letters, digits and {@code
   * -._~}, as Python's {@code urllib.parse.quote(name, safe="")} does; the result never contains
   * {@code /} and is safe as one URL path segment or file name.
   */
  public static String quote(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  /** {@code base} with exactly one trailing slash, so names resolve below it. */
  public static URI directory(URI base) {
    String s = base.toString();
    return URI.create(s.endsWith("/") ? s : s + "/");
  }

  /** The URL without user information, for messages. */
  public static String redact(URI url) {
    if (url.getUserInfo() == null) {
      return url.toString();
    }
    try {
      return new URI(
              url.getScheme(),
              null,
              url.getHost(),
              url.getPort(),
              url.getPath(),
              url.getQuery(),
              null)
          .toString();
    } catch (URISyntaxException e) {
      return url.getScheme() + "://" + url.getHost();
    }
  }
}
