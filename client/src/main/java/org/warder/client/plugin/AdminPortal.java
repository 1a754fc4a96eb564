package org.warder.client.plugin;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin portal URL of a plugin jail, from the artifact's {@code ui.json} ({@code
 * {"adminportal": "http://%%IP%%"}}): {@code %%IP%%} replaced by the jail's address and, for a NAT
 * jail, the jail port mapped to the host port its {@code nat_forwards} names ({@code
 * tcp(80:8282)}). Stateless.
 */
public final class AdminPortal {
  private static final Pattern FORWARD = Pattern.compile("(tcp|udp)\\((\\d+)(?::(\\d+))?\\)");

  private AdminPortal() {}

  /** The portal, when {@code template} is non-empty. */
  public static Optional<String> render(
      String template, String ip, boolean nat, String natForwards) {
    if (template.isBlank()) {
      return Optional.empty();
    }
    String url = template.replace("%%IP%%", ip);
    if (!nat) {
      return Optional.of(url);
    }
    Map<Integer, Integer> tcp = new LinkedHashMap<>();
    Matcher m = FORWARD.matcher(natForwards);
    while (m.find()) {
      if (m.group(1).equals("tcp")) {
        int jailPort = Integer.parseInt(m.group(2));
        tcp.put(jailPort, m.group(3) == null ? jailPort : Integer.parseInt(m.group(3)));
      }
    }
    try {
      URI uri = URI.create(url);
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      Integer hostPort = tcp.get(port);
      if (hostPort == null || (hostPort == port && uri.getPort() < 0)) {
        return Optional.of(url);
      }
      return Optional.of(
          new URI(
                  uri.getScheme(),
                  uri.getUserInfo(),
                  uri.getHost(),
                  hostPort,
                  uri.getPath(),
                  uri.getQuery(),
                  uri.getFragment())
              .toString());
    } catch (IllegalArgumentException | java.net.URISyntaxException e) {
      return Optional.of(url);
    }
  }
}
