package org.warder.client.bundle.iocage;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.warder.client.jail.props.IocageBoolean;

/**
 * iocage's stock defaults (iocage_lib retrieve_default_props, config version 29) of the keys warder
 * does not carry: a thick config.json lists every key, and one at its default loses nothing when it
 * is left out. Keys warder does carry have the same defaults in warder's own property catalog. Also
 * the keys that are iocage's bookkeeping on its host (config version, host id, MAC prefix, last
 * start), whatever their value. Immutable.
 */
final class IocageDefaults {
  /** Keys that only describe the exporting host or iocage's own state. */
  static final Set<String> BOOKKEEPING =
      Set.of("CONFIG_VERSION", "CONFIG_TYPE", "hostid", "mac_prefix", "last_started");

  private static final Map<String, Set<String>> DEFAULTS = build();

  private IocageDefaults() {}

  /**
   * Whether {@code value} is iocage's default of {@code key} (booleans in any of iocage's
   * spellings).
   */
  static boolean isDefault(String key, String value) {
    Set<String> defaults = DEFAULTS.getOrDefault(key, Set.of());
    return defaults.contains(value.trim().toLowerCase(Locale.ROOT))
        || IocageBoolean.parse(value).map(b -> defaults.contains(b ? "1" : "0")).orElse(false);
  }

  private static Map<String, Set<String>> build() {
    Map<String, Set<String>> m = new HashMap<>();
    for (String rctl :
        List.of(
            "rlimits",
            "memoryuse",
            "memorylocked",
            "vmemoryuse",
            "maxproc",
            "cputime",
            "pcpu",
            "datasize",
            "stacksize",
            "coredumpsize",
            "openfiles",
            "pseudoterminals",
            "swapuse",
            "nthr",
            "msgqqueued",
            "msgqsize",
            "nmsgq",
            "nsem",
            "nsemop",
            "nshm",
            "shmsize",
            "wallclock",
            "readbps",
            "writebps",
            "readiops",
            "writeiops")) {
      m.put(rctl, Set.of("off"));
    }
    for (String n : List.of("0", "1", "2", "3")) {
      m.put("vnet" + n + "_mac", Set.of("none"));
      m.put("vnet" + n + "_mtu", Set.of("auto"));
    }
    for (String zero :
        List.of(
            "jail_zfs",
            "ip_hostname",
            "assign_localhost",
            "rtsold",
            "hostid_strict_check",
            "exec_system_jail_user")) {
      m.put(zero, Set.of("0", "off"));
    }
    for (String none :
        List.of(
            "jail_zfs_mountpoint",
            "localhost_ip",
            "vnet_interfaces",
            "quota",
            "reservation",
            "comment",
            "sync_state",
            "sync_target",
            "sync_tgt_zpool")) {
      m.put(none, Set.of("none"));
    }
    m.put("vnet_default_interface", Set.of("auto", "none"));
    m.put("vnet_default_mtu", Set.of("1500"));
    m.put("exec_created", Set.of("/usr/bin/true"));
    m.put("exec_system_user", Set.of("root"));
    m.put("login_flags", Set.of("-f root"));
    m.put("min_dyn_devfs_ruleset", Set.of("1000"));
    m.put("count", Set.of("1"));
    m.put("compression", Set.of("lz4"));
    m.put("dedup", Set.of("off"));
    m.put("owner", Set.of("root"));
    return Map.copyOf(m);
  }
}
