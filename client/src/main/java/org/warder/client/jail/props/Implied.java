package org.warder.client.jail.props;

import java.util.List;

/**
 * Properties after {@link Implications}: the values, and what was turned on because other values
 * need it (for example {@code vnet=1 (dhcp=1 needs it: ...)}), to tell the user.
 *
 * @param props the properties, consistent
 * @param turnedOn each key=value turned on, with its cause; empty when nothing was
 */
public record Implied(JailProperties props, List<String> turnedOn) {
  public Implied {
    turnedOn = List.copyOf(turnedOn);
  }
}
