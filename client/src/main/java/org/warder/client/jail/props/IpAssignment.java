package org.warder.client.jail.props;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One entry of ip4_addr or ip6_addr: an address, optionally the host interface jail(8) adds it to
 * as an alias, and a prefix length. {@link #toString()} is the {@code interface|address/prefix}
 * form that both iocage and jail(8)'s ip4.addr accept.
 */
public record IpAssignment(Optional<String> iface, String address, OptionalInt prefix) {
  @Override
  public String toString() {
    return iface.map(i -> i + "|").orElse("")
        + address
        + (prefix.isPresent() ? "/" + prefix.getAsInt() : "");
  }
}
