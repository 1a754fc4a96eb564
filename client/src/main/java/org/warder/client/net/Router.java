package org.warder.client.net;

import java.util.Optional;

/**
 * A vnet jail's default route for one address family, from {@code defaultrouter} or {@code
 * defaultrouter6}: {@code auto} (the host's own default gateway), {@code none}, or an address.
 */
public record Router(Kind kind, Optional<String> address) {
  /** How the route is chosen. */
  public enum Kind {
    AUTO,
    NONE,
    ADDRESS
  }

  public Router {
    if ((kind == Kind.ADDRESS) != address.isPresent()) {
      throw new IllegalArgumentException("an address router has an address, and only it");
    }
  }

  /** The router a validated property value means. */
  public static Router of(String value) {
    return switch (value) {
      case "auto" -> new Router(Kind.AUTO, Optional.empty());
      case "none" -> new Router(Kind.NONE, Optional.empty());
      default -> new Router(Kind.ADDRESS, Optional.of(value));
    };
  }
}
