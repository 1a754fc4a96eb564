package org.warder.client.net;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.warder.client.jail.props.IpAssignment;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.PropertyException;

/**
 * The private address pair of a NAT jail, as iocage's gen_nat_ip: the first /30 of {@code
 * nat_prefix}.0.0/16 whose two host addresses no other jail uses; the first is the gateway on the
 * host side, the second the jail's. Stored in the jail's properties as iocage does ({@code
 * ip4_addr=vnet0|172.16.0.2/30}, {@code defaultrouter=172.16.0.1}), so that listings show it and
 * the jail keeps it across restarts while no other jail took it. Stateless.
 */
public final class NatAddresses {
  private NatAddresses() {}

  /**
   * {@code props} of a nat=1 jail with its address pair: the one it has when it is still inside
   * nat_prefix and free, else the first free pair; {@code used} holds every address other jails
   * have. Refuses when the prefix is full.
   */
  public static JailProperties allocate(JailProperties props, Set<String> used)
      throws PropertyException, NatExhaustedException {
    String prefix = props.value("nat_prefix");
    Optional<String> current = current(props);
    if (current.isPresent()
        && current.get().startsWith(prefix + ".")
        && !used.contains(current.get())
        && !used.contains(props.value("defaultrouter"))) {
      return props;
    }
    for (int i = 0; i < 256; i++) {
      for (int l = 1; l < 256; l += 4) {
        String gateway = prefix + "." + i + "." + l;
        String jail = prefix + "." + i + "." + (l + 1);
        if (!used.contains(gateway) && !used.contains(jail)) {
          return props.with(
              Map.of("ip4_addr", "vnet0|" + jail + "/" + Nat.PREFIX, "defaultrouter", gateway));
        }
      }
    }
    throw new NatExhaustedException(prefix);
  }

  /** The addresses a NAT jail holds (its own and its gateway), for {@link #allocate}'s used set. */
  public static List<String> held(JailProperties props) {
    Optional<String> current = current(props);
    if (!props.isTrue("nat") || current.isEmpty()) {
      return List.of();
    }
    return List.of(current.get(), props.value("defaultrouter"));
  }

  private static Optional<String> current(JailProperties props) {
    List<IpAssignment> v4 = props.ip4Addresses();
    if (v4.size() != 1 || props.value("defaultrouter").equals("auto")) {
      return Optional.empty();
    }
    return Optional.of(v4.get(0).address());
  }
}
