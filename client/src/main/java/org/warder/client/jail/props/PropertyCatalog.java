package org.warder.client.jail.props;

import static org.warder.client.jail.props.NetworkTypes.addressList;
import static org.warder.client.jail.props.NetworkTypes.router;
import static org.warder.client.jail.props.PropertyTypes.bool;
import static org.warder.client.jail.props.PropertyTypes.choice;
import static org.warder.client.jail.props.PropertyTypes.command;
import static org.warder.client.jail.props.PropertyTypes.integer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.jail.props.Inet.Family;
import org.warder.client.jail.props.PropertySpec.Access;

/**
 * Every jail property warder knows, with iocage's names and defaults (iocage_lib
 * retrieve_default_props, config version 29). The subset covers what the iocage plugin manifests
 * and "FreeBSD Mastery: Jails" use; iocage keys left out (delegated ZFS, rctl limits, localhost
 * aliases, iocage's bookkeeping) are listed as {@link Access#UNSUPPORTED} so that they are refused
 * with the precise reason, not "unknown". Every settable key has an effect (PropertyEffectsTest
 * walks them all). Immutable and thread-safe.
 */
public final class PropertyCatalog {
  private static final String TRUE_CMD = "/usr/bin/true";
  private static final Map<String, PropertySpec> SPECS = build();

  private PropertyCatalog() {}

  /** The property named {@code key} (exact, lower-case iocage spelling). */
  public static Optional<PropertySpec> find(String key) {
    return Optional.ofNullable(SPECS.get(key));
  }

  /** All properties, grouped as documented (identity, network, start/stop, security, ...). */
  public static List<PropertySpec> all() {
    return List.copyOf(SPECS.values());
  }

  /** Up to three settable keys close to {@code key}, closest first. */
  public static List<String> suggest(String key) {
    List<String> settable =
        SPECS.values().stream().filter(PropertySpec::settable).map(PropertySpec::key).toList();
    return Suggestions.closest(key, settable);
  }

  private static Map<String, PropertySpec> build() {
    Builder b = new Builder();
    // identity: set by warder, always stored in config.json
    b.identity("name", PropertyTypes.jailName(), "the jail's name");
    b.identity(
        "type",
        choice("jail", "template", "plugin"),
        "what the dataset is: jail, template or plugin jail");
    b.identity(
        "release",
        PropertyTypes.release(),
        "the FreeBSD userland version (freebsd-version), e.g. 14.2-RELEASE-p1");
    b.identity(
        "created", PropertyTypes.instant(), "when warder created or imported the jail (UTC)");
    b.identity(
        "origin",
        PropertyTypes.origin(),
        "what the root was built from and a base jail mounts: releases/<REL> or templates/<NAME> of this host");
    b.identity(
        "cloned_release", PropertyTypes.release(), "the release a thin jail's root is cloned from");
    b.identity(
        "source_template", PropertyTypes.jailName(), "the template the jail was created from");
    b.identity(
        "plugin_name", PropertyTypes.token(), "the plugin id a plugin jail was installed from");
    b.identity(
        "plugin_repository", PropertyTypes.text(1024), "the repository the plugin came from");
    b.identity(
        "remote",
        PropertyTypes.text(512),
        "the registry template or jail it was pulled from, REPO:TEAM/NAME");
    b.identity(
        "remote_tag",
        PropertyTypes.token(),
        "the tag of that template or jail it holds (its newest)");
    b.runtime("jid", "the jail id while running (jls)");
    b.runtime("state", "up or down (jls)");
    // network
    b.host(
        "interfaces",
        NetworkTypes.vnetInterfaces(),
        "vnet0:bridge0",
        "vnet interfaces and the host bridges they join");
    b.host(
        "vnet_default_interface",
        NetworkTypes.defaultInterface(),
        "auto",
        "host interface added to every vnet bridge (auto: the default route's; none)");
    b.user(
        "vnet_default_mtu",
        integer(576, 65535),
        "1500",
        "MTU of vnet interfaces on a bridge without members");
    b.user(
        "mac_prefix", NetworkTypes.macPrefix(), "02ff60", "first 6 hex digits of generated MACs");
    for (int n = 0; n < 4; n++) {
      b.user(
          "vnet" + n + "_mac",
          NetworkTypes.macPair(),
          "none",
          "MACs of vnet" + n + ", host side then jail side (none: generated at first start)");
      b.user(
          "vnet" + n + "_mtu",
          NetworkTypes.mtuOrAuto(),
          "auto",
          "MTU of vnet" + n + " (auto: its bridge member's)");
    }
    b.user(
        "vnet",
        bool(),
        "0",
        "own network stack (jail(8) vnet=new); addresses are then configured inside the jail");
    b.user(
        "ip4_addr",
        addressList(Family.V4),
        "none",
        "IPv4 addresses, [interface|]address[/prefix], comma-separated");
    b.user(
        "ip6_addr",
        addressList(Family.V6),
        "none",
        "IPv6 addresses, [interface|]address[/prefix] or [interface|]accept_rtadv, comma-separated");
    b.user(
        "ip4",
        choice("new", "inherit", "disable"),
        "new",
        "IPv4 access without vnet (jail(8) ip4)");
    b.user(
        "ip6",
        choice("new", "inherit", "disable"),
        "new",
        "IPv6 access without vnet (jail(8) ip6)");
    b.user("ip4_saddrsel", bool(), "1", "source address selection for IPv4 (jail(8) ip4.saddrsel)");
    b.user("ip6_saddrsel", bool(), "1", "source address selection for IPv6 (jail(8) ip6.saddrsel)");
    b.user("defaultrouter", router(Family.V4), "auto", "IPv4 default route of a vnet jail");
    b.user("defaultrouter6", router(Family.V6), "auto", "IPv6 default route of a vnet jail");
    b.user("dhcp", bool(), "0", "configure IPv4 by DHCP inside a vnet jail");
    b.user(
        "rtsold",
        bool(),
        "0",
        "start rtsold in the jail; needs an ip6_addr entry IFACE|accept_rtadv, which turns it on");
    b.user("bpf", bool(), "0", "show bpf devices to a vnet jail (needed by DHCP clients)");
    b.user("nat", bool(), "0", "NAT the jail's traffic through the host");
    b.user(
        "nat_forwards",
        NetworkTypes.natForwards(),
        "none",
        "ports forwarded from the host to a NAT jail");
    b.host(
        "nat_prefix", NetworkTypes.natPrefix(), "172.16", "first two octets of the NAT networks");
    b.host(
        "nat_interface",
        NetworkTypes.interfaceOrNone(),
        "none",
        "host interface NAT goes out of (none: default route's)");
    b.host("nat_backend", choice("ipfw", "pf"), "ipfw", "host firewall that does the NAT");
    b.host(
        "resolver",
        NetworkTypes.resolver(),
        "/etc/resolv.conf",
        "what becomes the jail's /etc/resolv.conf");
    b.user(
        "ip_hostname",
        bool(),
        "0",
        "add the addresses DNS gives host_hostname to ip4.addr/ip6.addr (jail(8) ip_hostname);"
            + " without vnet");
    b.user(
        "host_hostname",
        PropertyTypes.hostname(),
        "none",
        "host.hostname; none: the jail name with '_' as '-'");
    b.user("host_domainname", PropertyTypes.hostname(), "none", "host.domainname (NIS domain)");
    b.user("host_hostuuid", PropertyTypes.token(), "none", "host.hostuuid; none: the jail name");
    b.user("host_time", bool(), "1", "copy the host's /etc/localtime into the jail at start");
    // start and stop
    b.user("boot", bool(), "0", "start the jail when the host boots");
    b.user("priority", integer(0, 999), "99", "start order: lower starts first, stops last");
    b.user(
        "depends", PropertyTypes.jailNames(), "none", "jails that must be running before this one");
    b.host("exec_prestart", command(), TRUE_CMD, "host command run before the jail is created");
    b.host(
        "exec_created",
        command(),
        TRUE_CMD,
        "host command run once the jail exists, before exec_start (jail(8) exec.created)");
    b.user("exec_start", command(), "/bin/sh /etc/rc", "command run in the jail to start it");
    b.host("exec_poststart", command(), TRUE_CMD, "host command run after the jail started");
    b.host("exec_prestop", command(), TRUE_CMD, "host command run before the jail stops");
    b.user(
        "exec_stop", command(), "/bin/sh /etc/rc.shutdown", "command run in the jail to stop it");
    b.host("exec_poststop", command(), TRUE_CMD, "host command run after the jail was removed");
    b.user("exec_clean", bool(), "1", "run jail commands in a clean environment");
    b.user(
        "exec_timeout",
        integer(0, 86400),
        "60",
        "seconds a jail command may run (jail(8) exec.timeout)");
    b.user(
        "stop_timeout",
        integer(0, 86400),
        "30",
        "seconds processes get to exit at stop (jail(8) stop.timeout)");
    b.host("exec_fib", integer(0, 65535), "0", "routing table of jail commands (jail(8) exec.fib)");
    b.user(
        "exec_jail_user",
        PropertyTypes.userName(),
        "root",
        "jail user that runs exec_start and exec_stop");
    // security and features
    b.user("securelevel", integer(-1, 3), "2", "kern.securelevel inside the jail");
    b.user(
        "enforce_statfs",
        integer(0, 2),
        "2",
        "which mount points the jail sees (2: only its root)");
    b.user("children_max", integer(0, 65535), "0", "how many child jails the jail may create");
    b.host(
        "devfs_ruleset",
        integer(0, 65535),
        "4",
        "devfs ruleset of the jail's /dev (4: devfsrules_jail)");
    b.user("allow_set_hostname", bool(), "1", "the jail may change its hostname");
    for (String a : JailParameters.ALLOW.keySet()) {
      if (!a.equals("allow_set_hostname")) {
        b.user(a, bool(), "0", "jail(8) " + JailParameters.ALLOW.get(a));
      }
    }
    b.user("allow_tun", bool(), "0", "show tun devices in the jail's /dev");
    for (String ipc : List.of("sysvmsg", "sysvsem", "sysvshm")) {
      b.user(
          ipc,
          choice("new", "inherit", "disable"),
          "new",
          "System V IPC " + ipc.substring(4) + " namespace");
    }
    b.user("mount_devfs", bool(), "1", "mount devfs on the jail's /dev");
    b.user("mount_fdescfs", bool(), "1", "mount fdescfs on the jail's /dev/fd");
    b.user("mount_procfs", bool(), "0", "mount procfs on the jail's /proc");
    b.user(
        "mount_linprocfs",
        bool(),
        "0",
        "mount linprocfs on the jail's /compat/linux/proc (an fstab line)");
    b.user("cpuset", NetworkTypes.cpuset(), "off", "CPUs the jail may run on (cpuset(1))");
    // kind
    b.user(
        "basejail",
        bool(),
        "0",
        "system directories are nullfs read-only mounts of the release or template");
    b.user("template", bool(), "0", "the jail is a read-only template");
    b.user("notes", PropertyTypes.text(1024), "none", "free text for the administrator");
    for (String k : List.of("jail_zfs", "jail_zfs_dataset", "jail_zfs_mountpoint")) {
      b.unsupported(
          k,
          "delegated ZFS datasets are not implemented: warder never runs zfs jail to hand a"
              + " dataset to a jail");
    }
    b.unsupported(
        "rlimits",
        "iocage stores rlimits but never applies it at start, and warder has no resource"
            + " limits (the rctl keys are refused too)");
    for (String k :
        List.of(
            "memoryuse",
            "memorylocked",
            "vmemoryuse",
            "maxproc",
            "openfiles",
            "pcpu",
            "cputime",
            "datasize",
            "stacksize",
            "coredumpsize",
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
      b.unsupported(
          k,
          "rctl resource limits are not implemented: warder runs no rctl -a at start (iocage's"
              + " way); limit the jail with rctl(8) yourself once it runs");
    }
    for (String k : List.of("assign_localhost", "localhost_ip")) {
      b.unsupported(
          k,
          "iocage's localhost alias (127.0.0.N on the host's lo0 and the jail's /etc/hosts"
              + " rewritten) is not implemented; a vnet=1 jail has a loopback of its own");
    }
    for (String k : List.of("exec_system_user", "exec_system_jail_user")) {
      b.unsupported(
          k,
          "iocage stores it but never passes it to jail(8); warder runs the host hooks"
              + " (exec_prestart, exec_created, exec_poststart, ...) as root");
    }
    b.unsupported(
        "login_flags",
        "iocage uses it only for 'iocage console' (login(1) flags); warder has no console"
            + " command: run 'warder exec JAIL login -f root' instead");
    for (String k : List.of("hostid", "hostid_strict_check")) {
      b.unsupported(
          k,
          "iocage's check that a jail starts only on the host that made it; warder keeps jails"
              + " in each host's own store and does not check /etc/hostid");
    }
    b.unsupported(
        "min_dyn_devfs_ruleset",
        "warder numbers the jails' own devfs rulesets from 1000 itself (JailDevfs); it is not"
            + " configurable");
    for (String k : List.of("CONFIG_VERSION", "CONFIG_TYPE", "last_started")) {
      b.unsupported(
          k,
          "iocage's bookkeeping in its config.json; warder keeps its own (the running state is"
              + " the state and jid keys)");
    }
    b.unsupported(
        "count", "iocage's 'create -c N' bookkeeping; run warder create once per jail instead");
    for (String k : List.of("compression", "quota", "reservation")) {
      b.unsupported(
          k,
          "a ZFS property of the jail's dataset, which warder does not manage; set it with"
              + " zfs set on the dataset");
    }
    return Collections.unmodifiableMap(b.specs);
  }

  /** Collects specs in declaration order. */
  private static final class Builder {
    final Map<String, PropertySpec> specs = new LinkedHashMap<>();

    void user(String key, PropertyType type, String def, String doc) {
      add(new PropertySpec(key, type, Optional.of(def), Access.USER, doc));
    }

    void host(String key, PropertyType type, String def, String doc) {
      add(new PropertySpec(key, type, Optional.of(def), Access.HOST, doc));
    }

    void identity(String key, PropertyType type, String doc) {
      add(new PropertySpec(key, type, Optional.empty(), Access.IDENTITY, doc));
    }

    void runtime(String key, String doc) {
      add(new PropertySpec(key, PropertyTypes.text(64), Optional.empty(), Access.RUNTIME, doc));
    }

    void unsupported(String key, String why) {
      add(
          new PropertySpec(
              key, PropertyTypes.text(1024), Optional.empty(), Access.UNSUPPORTED, why));
    }

    private void add(PropertySpec spec) {
      if (specs.put(spec.key(), spec) != null) {
        throw new IllegalStateException("duplicate property " + spec.key());
      }
      if (spec.defaultValue().isPresent()) {
        String def = spec.defaultValue().get();
        try {
          if (!spec.type().normalize(spec.key(), def).equals(def)) {
            throw new IllegalStateException("default of " + spec.key() + " is not in normal form");
          }
        } catch (PropertyException e) {
          throw new IllegalStateException("default of " + spec.key() + " is invalid", e);
        }
      }
    }
  }
}
