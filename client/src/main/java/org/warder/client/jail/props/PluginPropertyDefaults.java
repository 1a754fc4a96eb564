package org.warder.client.jail.props;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The jail properties a plugin manifest may set without the administrator's consent: what the real
 * iocage plugins ask for (of the 79 real manifests of the ix-plugin-hub index and the iocage
 * samples: nat 37, dhcp 32, nat_forwards 32, allow_raw_sockets 12, allow_mlock 7, boot 7, vnet 5,
 * allow_sysvipc 4, mount_devfs, mount_fdescfs, mount_procfs 3 each, allow_set_hostname, allow_tun,
 * ip6, sysvmsg, sysvsem, sysvshm 2 each, bpf, jail_zfs, jail_zfs_mountpoint 1 each), plus ip4, with
 * the values that do not weaken the jail: System V IPC only in a namespace of the jail's own
 * ({@code new}) or none, securelevel only 1 to 3, enforce_statfs only 1 or 2. Every other value
 * that acts on the host or weakens the jail ({@link HostRisk}: {@code securelevel=-1}, {@code
 * enforce_statfs=0}, {@code sysvshm=inherit}, {@code allow_vmm=1}, ...) needs {@code
 * --allow-property KEY}; a value {@link HostRisk} finds harmless needs nothing; a key only the
 * administrator may set ({@link PropertySpec.Access#HOST}: host commands, host networking) never
 * comes from a manifest, whatever the flags. Stateless.
 */
public final class PluginPropertyDefaults {
  private static final Map<String, Predicate<String>> ALLOWED = build();

  private PluginPropertyDefaults() {}

  /**
   * Whether a plugin manifest may set {@code key} to {@code value} without the administrator's
   * consent.
   */
  public static boolean allowed(String key, String value) {
    Predicate<String> p = ALLOWED.get(key);
    if (p != null && p.test(value)) {
      return true;
    }
    Optional<PropertySpec> spec = PropertyCatalog.find(key);
    if (spec.isEmpty() || spec.get().access() != PropertySpec.Access.USER) {
      return false;
    }
    try {
      return spec.get().risk(spec.get().type().normalize(key, value)).isEmpty();
    } catch (PropertyException e) {
      return false; // the jail's own validation names what is wrong with the value
    }
  }

  /**
   * Why {@code --allow-property key} cannot let a manifest set {@code key}, if it cannot: an
   * unknown key, or one only the administrator may set.
   */
  public static Optional<String> neverGranted(String key) {
    Optional<PropertySpec> spec = PropertyCatalog.find(key);
    if (spec.isEmpty()) {
      List<String> close = PropertyCatalog.suggest(key);
      return Optional.of(
          "expected a jail property key, found unknown '"
              + key
              + "'"
              + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?"));
    }
    if (spec.get().access() == PropertySpec.Access.HOST) {
      return Optional.of(
          key
              + " acts on the host ("
              + spec.get().description()
              + "), so a plugin manifest may never"
              + " set it; give it yourself on the command line as "
              + key
              + "=VALUE");
    }
    return Optional.empty();
  }

  /** The keys a manifest may set by default, in the order above (for messages and help). */
  public static Set<String> keys() {
    return ALLOWED.keySet();
  }

  private static Map<String, Predicate<String>> build() {
    Map<String, Predicate<String>> m = new LinkedHashMap<>();
    for (String key :
        new String[] {
          "nat",
          "dhcp",
          "nat_forwards",
          "allow_raw_sockets",
          "allow_mlock",
          "boot",
          "vnet",
          "allow_sysvipc",
          "ip4",
          "ip6",
          "mount_devfs",
          "mount_fdescfs",
          "mount_procfs",
          "allow_set_hostname",
          "allow_tun",
          "bpf",
          "jail_zfs",
          "jail_zfs_mountpoint"
        }) {
      m.put(key, value -> true);
    }
    Predicate<String> ownIpc = Set.of("new", "disable")::contains;
    m.put("sysvmsg", ownIpc);
    m.put("sysvsem", ownIpc);
    m.put("sysvshm", ownIpc);
    m.put("securelevel", Set.of("1", "2", "3")::contains);
    m.put("enforce_statfs", Set.of("1", "2")::contains);
    return Collections.unmodifiableMap(m);
  }
}
