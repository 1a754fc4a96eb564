package org.warder.client.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of a NAT jail's {@code nat_forwards}: traffic to {@code hostPort} of the host's NAT interface
 * goes to {@code jailPort} of the jail. {@code tcp(80:8282)} forwards host port 8282 to jail port
 * 80; {@code tcp(80)} and a bare {@code 80} forward the same port number.
 */
public record PortForward(String protocol, int jailPort, int hostPort) {
  private static final Pattern RULE =
      Pattern.compile("(tcp|udp)\\(([0-9]{1,5})(?::([0-9]{1,5}))?\\)|([0-9]{1,5})");

  public PortForward {
    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
      throw new IllegalArgumentException("expected tcp or udp, found " + protocol);
    }
    if (jailPort < 1 || jailPort > 65535 || hostPort < 1 || hostPort > 65535) {
      throw new IllegalArgumentException("ports are 1-65535: " + jailPort + ", " + hostPort);
    }
  }

  /** The forwards of a validated {@code nat_forwards} value; {@code none} is empty. */
  public static List<PortForward> parse(String natForwards) {
    List<PortForward> out = new ArrayList<>();
    String v = natForwards.trim().toLowerCase(Locale.ROOT);
    if (v.equals("none")) {
      return out;
    }
    for (String rule : v.split(",")) {
      Matcher m = RULE.matcher(rule.trim());
      if (!m.matches()) {
        throw new IllegalArgumentException("'" + rule + "' is not a forward rule");
      }
      if (m.group(4) != null) {
        int port = Integer.parseInt(m.group(4));
        out.add(new PortForward("tcp", port, port));
      } else {
        int jail = Integer.parseInt(m.group(2));
        out.add(
            new PortForward(
                m.group(1), jail, m.group(3) == null ? jail : Integer.parseInt(m.group(3))));
      }
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return protocol + "(" + jailPort + ":" + hostPort + ")";
  }
}
