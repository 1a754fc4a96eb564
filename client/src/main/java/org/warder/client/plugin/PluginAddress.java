package org.warder.client.plugin;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.warder.client.jail.props.IpAssignment;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.runtime.JailRuntime;

/**
 * The address a plugin jail is known by, its scripts' {@code IOCAGE_PLUGIN_IP} (and {@code
 * WARDER_PLUGIN_IP}) and its admin portal's {@code %%IP%%}: once the jail runs, the first IPv4
 * address it really has ({@link JailRuntime#addresses}: a DHCP lease, a NAT address, static ones),
 * else its first IPv6; where it does not run (a plan), has no network of its own or no address, the
 * first one ip4_addr, else ip6_addr, configures, else loopback. Stateless.
 */
final class PluginAddress {
  /** What a plan shows for an address that only a running jail has (a DHCP lease, NAT). */
  static final String AFTER_START = "<address of the running jail>";

  private final JailRuntime runtime;
  private final JailName jail;
  private final JailProperties props;

  /** The address of plugin jail {@code jail} with {@code props}, asked of {@code runtime}. */
  PluginAddress(JailRuntime runtime, JailName jail, JailProperties props) {
    this.runtime = runtime;
    this.jail = jail;
    this.props = props;
  }

  /**
   * The address as a plan can know it: the configured one, or {@link #AFTER_START} for a jail whose
   * address comes at start (dhcp=1, nat=1).
   */
  String planned() {
    List<IpAssignment> v4 = props.ip4Addresses();
    if (v4.isEmpty() && (props.isTrue("dhcp") || props.isTrue("nat"))) {
      return AFTER_START;
    }
    return configured();
  }

  /**
   * The running jail's address, or the configured one when it does not run or has no network of its
   * own (without vnet, jail(8) gives it exactly the configured addresses).
   */
  String resolve() throws IOException, InterruptedException {
    if (props.isTrue("vnet") && runtime.jid(jail).isPresent()) {
      List<String> real = runtime.addresses(jail);
      return real.stream()
          .filter(a -> !a.contains(":"))
          .findFirst()
          .or(() -> real.stream().findFirst())
          .orElseGet(this::configured);
    }
    return configured();
  }

  /** The environment of plugin scripts: {@code ip} under iocage's name and warder's. */
  static Map<String, String> scriptEnv(String ip) {
    return new TreeMap<>(Map.of("IOCAGE_PLUGIN_IP", ip, "WARDER_PLUGIN_IP", ip));
  }

  /** The first configured IPv4 address, else IPv6, else loopback. */
  private String configured() {
    List<IpAssignment> v4 = props.ip4Addresses();
    if (!v4.isEmpty()) {
      return v4.get(0).address();
    }
    List<IpAssignment> v6 = props.ip6Addresses();
    return v6.isEmpty() ? "127.0.0.1" : v6.get(0).address();
  }
}
