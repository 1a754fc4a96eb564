package org.warder.client.jail.props;

import java.util.Locale;
import java.util.regex.Pattern;

/** Strict parsing of IPv4 and IPv6 literals and interface names, without any name lookup. */
final class Inet {
  /** An address family. */
  enum Family {
    V4(32),
    V6(128);

    final int maxPrefix;

    Family(int maxPrefix) {
      this.maxPrefix = maxPrefix;
    }
  }

  // IFNAMSIZ is 16 with the NUL; FreeBSD interfaces can be renamed (the book's "jailether").
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,14}");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

  private Inet() {}

  static boolean isInterfaceName(String s) {
    return IFNAME.matcher(s).matches();
  }

  static String address(Family family, String s) throws PropertyType.Invalid {
    return family == Family.V4 ? ipv4(s) : ipv6(s);
  }

  /** A dotted quad, each part 0-255 without leading zeros (which inet_aton reads as octal). */
  static String ipv4(String s) throws PropertyType.Invalid {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      throw new PropertyType.Invalid(
          s + " is not an IPv4 address (four numbers 0-255 separated by dots)");
    }
    for (String p : parts) {
      if (!p.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(p) > 255) {
        throw new PropertyType.Invalid(
            s + " is not an IPv4 address (each part 0-255, no leading zeros)");
      }
    }
    return s;
  }

  /**
   * An IPv6 literal (groups, at most one "::", optional dotted IPv4 tail), lower-cased; no zone.
   */
  static String ipv6(String s) throws PropertyType.Invalid {
    String bad = s + " is not an IPv6 address";
    int doubleColon = s.indexOf("::");
    if (s.isEmpty() || doubleColon != s.lastIndexOf("::") || s.contains(":::")) {
      throw new PropertyType.Invalid(bad);
    }
    int groups = 0;
    String[] halves =
        doubleColon < 0
            ? new String[] {s}
            : new String[] {s.substring(0, doubleColon), s.substring(doubleColon + 2)};
    for (int h = 0; h < halves.length; h++) {
      if (halves[h].isEmpty()) {
        continue;
      }
      String[] parts = halves[h].split(":", -1);
      for (int i = 0; i < parts.length; i++) {
        boolean last = h == halves.length - 1 && i == parts.length - 1;
        if (last && parts[i].contains(".")) {
          ipv4(parts[i]);
          groups += 2;
        } else if (HEX_GROUP.matcher(parts[i]).matches()) {
          groups++;
        } else {
          throw new PropertyType.Invalid(bad);
        }
      }
    }
    if (doubleColon < 0 ? groups != 8 : groups > 7) {
      throw new PropertyType.Invalid(bad + " (it needs 8 groups, or fewer with one '::')");
    }
    return s.toLowerCase(Locale.ROOT);
  }
}
