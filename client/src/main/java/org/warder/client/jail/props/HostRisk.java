package org.warder.client.jail.props;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.warder.client.jail.props.PropertySpec.Access;

/**
 * What a property value risks for the host, the one classification behind every path that takes
 * properties from someone other than the local administrator (a bundle's config, a pulled jail or
 * template, an iocage zip, a plugin manifest): such values come only with the administrator's
 * consent, by key.
 *
 * <p>{@link #ACTS_ON_HOST}, for any value but the default: every {@link Access#HOST} key
 * (exec_prestart, exec_poststart, exec_prestop, exec_poststop, exec_fib, devfs_ruleset, interfaces,
 * resolver, nat_prefix, nat_interface, nat_backend, vnet_default_interface, exec_created) and the
 * host networking keys vnet, the MACs and MTUs of vnet interfaces (they appear on the host's
 * network), ip4_addr, ip6_addr, ip_hostname, dhcp, rtsold, nat, nat_forwards, and cpuset. {@link
 * #WEAKENS_JAIL}, for values looser than the default: securelevel below 2, enforce_statfs below 2,
 * children_max above 0, every allow_* permission that is off by default at 1 (allow_tun included),
 * bpf, mount_procfs and mount_linprocfs at 1, ip4, ip6, sysvmsg, sysvsem and sysvshm at inherit,
 * and exec_clean at 0. Values must be normalized (as {@link JailProperties} holds them).
 * Thread-safe.
 */
public enum HostRisk {
  ACTS_ON_HOST("acts on the host"),
  WEAKENS_JAIL("weakens the jail");

  /** Keys beyond {@link Access#HOST} whose non-default values set up networking on the host. */
  private static final Set<String> HOST_NETWORK =
      Set.of(
          "vnet",
          "vnet_default_mtu",
          "mac_prefix",
          "vnet0_mac",
          "vnet0_mtu",
          "vnet1_mac",
          "vnet1_mtu",
          "vnet2_mac",
          "vnet2_mtu",
          "vnet3_mac",
          "vnet3_mtu",
          "ip4_addr",
          "ip6_addr",
          "ip_hostname",
          "dhcp",
          "rtsold",
          "nat",
          "nat_forwards",
          "cpuset");

  private static final Predicate<String> ON = "1"::equals;
  private static final Predicate<String> INHERIT = "inherit"::equals;

  /** Keys whose values can loosen the jail, and which values do. */
  private static final Map<String, Predicate<String>> LOOSER =
      Map.ofEntries(
          Map.entry("securelevel", v -> Integer.parseInt(v) < 2),
          Map.entry("enforce_statfs", v -> Integer.parseInt(v) < 2),
          Map.entry("children_max", v -> Integer.parseInt(v) > 0),
          Map.entry("bpf", ON),
          Map.entry("mount_procfs", ON),
          Map.entry("mount_linprocfs", ON),
          Map.entry("ip4", INHERIT),
          Map.entry("ip6", INHERIT),
          Map.entry("sysvmsg", INHERIT),
          Map.entry("sysvsem", INHERIT),
          Map.entry("sysvshm", INHERIT),
          Map.entry("exec_clean", "0"::equals));

  private final String description;

  HostRisk(String description) {
    this.description = description;
  }

  /** How a message says it: "acts on the host", "weakens the jail". */
  public String description() {
    return description;
  }

  /**
   * What setting {@code spec} to the normalized {@code value} risks; empty when nothing (the
   * default, say).
   */
  public static Optional<HostRisk> of(PropertySpec spec, String value) {
    if (!spec.settable() || spec.defaultValue().map(value::equals).orElse(false)) {
      return Optional.empty();
    }
    if (actsOnHost(spec)) {
      return Optional.of(ACTS_ON_HOST);
    }
    return weakens(spec, value) ? Optional.of(WEAKENS_JAIL) : Optional.empty();
  }

  /** Whether any value but the default of {@code spec} acts on the host. */
  static boolean actsOnHost(PropertySpec spec) {
    return spec.access() == Access.HOST || HOST_NETWORK.contains(spec.key());
  }

  /**
   * Whether some value of {@code spec} acts on the host or weakens the jail: a key consent can
   * name.
   */
  static boolean canRisk(PropertySpec spec) {
    return spec.settable()
        && (actsOnHost(spec) || LOOSER.containsKey(spec.key()) || isPermission(spec));
  }

  private static boolean weakens(PropertySpec spec, String value) {
    if (isPermission(spec)) {
      return ON.test(value);
    }
    Predicate<String> looser = LOOSER.get(spec.key());
    return looser != null && looser.test(value);
  }

  /** An allow_* permission the jail lacks by default (allow_set_hostname it has). */
  private static boolean isPermission(PropertySpec spec) {
    return spec.key().startsWith("allow_") && spec.defaultValue().map("0"::equals).orElse(false);
  }
}
