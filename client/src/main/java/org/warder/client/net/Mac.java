package org.warder.client.net;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A MAC address, 12 lower-case hex digits. {@link #pair} generates the host-side and jail-side
 * addresses of a vnet interface as iocage does (the prefix, then the first digits of md5(jail name
 * + interface name); the jail side is the host side plus one), so that a jail moved between iocage
 * and warder keeps its addresses.
 */
public record Mac(String hex) {
  public Mac {
    if (!hex.matches("[0-9a-f]{12}")) {
      throw new IllegalArgumentException("expected 12 lower-case hex digits, found '" + hex + "'");
    }
  }

  /** The host-side and jail-side MACs of interface {@code nic} of jail {@code jail}. */
  public static Pair pair(String jail, String nic, String prefix) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update(jail.getBytes(StandardCharsets.UTF_8));
      md5.update(nic.getBytes(StandardCharsets.UTF_8));
      String digest = HexFormat.of().formatHex(md5.digest());
      String a = (prefix + digest).substring(0, 12).toLowerCase(Locale.ROOT);
      long b = (Long.parseLong(a, 16) + 1) & 0xffffffffffffL;
      return new Pair(new Mac(a), new Mac(String.format(Locale.ROOT, "%012x", b)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has MD5", e);
    }
  }

  /** The pair stored in a {@code vnetN_mac} property ({@code HOSTMAC JAILMAC}). */
  public static Pair parsePair(String stored) {
    String[] macs = stored.trim().split("[\\s,]+");
    if (macs.length != 2) {
      throw new IllegalArgumentException("expected two MAC addresses, found '" + stored + "'");
    }
    return new Pair(new Mac(macs[0]), new Mac(macs[1]));
  }

  /** The address with colons, as ifconfig(8) and ip(8) print it. */
  public String colons() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 12; i += 2) {
      s.append(i == 0 ? "" : ":").append(hex, i, i + 2);
    }
    return s.toString();
  }

  /** A vnet interface's two MACs: the host side's and the jail side's. */
  public record Pair(Mac host, Mac jail) {
    /** The {@code vnetN_mac} property value. */
    public String stored() {
      return host.hex() + " " + jail.hex();
    }
  }
}
