package org.warder.client.jail.props;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Translates properties to jail(8) parameters, in a fixed order. Booleans are {@code true} or
 * {@code false}, which jail(8) accepts for kernel and pseudo-parameters alike.
 *
 * <p>Module-dependent {@code allow.*} parameters (allow.vmm needs vmm.ko, allow.mount.fusefs
 * fusefs.ko, ...) are written only when true, as iocage does, because naming a parameter the kernel
 * does not have makes jail(8) fail; off is the kernel's default for all of them. {@code
 * allow.set_hostname} (default on) is always written; {@code ip_hostname} when on, without vnet.
 * The exec hooks ({@code exec.prestart}, {@code exec.created}, {@code exec.poststart}, {@code
 * exec.prestop}, {@code exec.poststop}) are left out at their {@code /usr/bin/true} default.
 *
 * <p>Properties that are not jail(8) parameters are not here, each used elsewhere: the vnet network
 * (interfaces, vnet_default_*, mac_prefix, vnetN_mac, vnetN_mtu, defaultrouter*, dhcp, rtsold,
 * nat*: {@code net.JailNetwork}), the devices shown (bpf, allow_tun: {@code freebsd.DevfsRules}),
 * files written into the jail at start (resolver, host_time), start order (boot, priority, depends:
 * {@code jail.JailLifecycle}), cpuset (the runtime), mounts (mount_linprocfs, basejail: {@code
 * jail.JailMounts}), template (a read-only template), notes (shown by get).
 */
final class JailParameters {
  /** allow_* property to jail(8) parameter, in output order. */
  static final Map<String, String> ALLOW = allow();

  private JailParameters() {}

  static Map<String, String> of(JailProperties p) {
    Map<String, String> m = new LinkedHashMap<>();
    String derived = p.name().map(n -> n.value()).orElse(null);
    String hostname = p.value("host_hostname");
    if (!hostname.equals("none")) {
      m.put("host.hostname", hostname);
    } else if (derived != null) {
      m.put("host.hostname", derived.replace('_', '-'));
    }
    putUnlessNone(m, "host.domainname", p.value("host_domainname"));
    String uuid = p.value("host_hostuuid");
    if (!uuid.equals("none")) {
      m.put("host.hostuuid", uuid);
    } else if (derived != null) {
      m.put("host.hostuuid", derived);
    }
    if (p.isTrue("vnet")) {
      m.put(
          "vnet",
          "new"); // addresses are set inside the jail; vnet.interface comes from the lifecycle
    } else {
      for (String v : new String[] {"4", "6"}) {
        m.put("ip" + v, p.value("ip" + v));
        putUnlessNone(m, "ip" + v + ".addr", p.value("ip" + v + "_addr"));
        m.put("ip" + v + ".saddrsel", bool(p, "ip" + v + "_saddrsel"));
      }
      if (p.isTrue("ip_hostname")) {
        m.put("ip_hostname", "true");
      }
    }
    m.put("securelevel", p.value("securelevel"));
    m.put("enforce_statfs", p.value("enforce_statfs"));
    m.put("children.max", p.value("children_max"));
    m.put("devfs_ruleset", p.value("devfs_ruleset"));
    m.put("allow.set_hostname", bool(p, "allow_set_hostname"));
    for (Map.Entry<String, String> a : ALLOW.entrySet()) {
      if (!a.getKey().equals("allow_set_hostname") && p.isTrue(a.getKey())) {
        m.put(a.getValue(), "true");
      }
    }
    for (String ipc : new String[] {"sysvmsg", "sysvsem", "sysvshm"}) {
      m.put(ipc, p.value(ipc));
    }
    m.put("mount.devfs", bool(p, "mount_devfs"));
    m.put("mount.fdescfs", bool(p, "mount_fdescfs"));
    if (p.isTrue("mount_procfs")) {
      m.put("mount.procfs", "true");
    }
    m.put("exec.clean", bool(p, "exec_clean"));
    if (p.intValue("exec_fib") != 0) {
      m.put("exec.fib", p.value("exec_fib"));
    }
    if (!p.value("exec_jail_user").equals("root")) {
      m.put("exec.jail_user", p.value("exec_jail_user"));
    }
    for (String stage :
        new String[] {"prestart", "created", "start", "poststart", "prestop", "stop", "poststop"}) {
      String cmd = p.value("exec_" + stage);
      // the /usr/bin/true hook defaults are iocage's way of saying "nothing"; leave them out
      if (stage.equals("start") || stage.equals("stop") || !cmd.equals("/usr/bin/true")) {
        m.put("exec." + stage, cmd);
      }
    }
    m.put("exec.timeout", p.value("exec_timeout"));
    m.put("stop.timeout", p.value("stop_timeout"));
    // the jail lives until jail -r, whatever its processes do, so warder's view of it stays true
    m.put("persist", "true");
    return Collections.unmodifiableMap(m);
  }

  private static void putUnlessNone(Map<String, String> m, String param, String value) {
    if (!value.equals("none")) {
      m.put(param, value);
    }
  }

  private static String bool(JailProperties p, String key) {
    return p.isTrue(key) ? "true" : "false";
  }

  private static Map<String, String> allow() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("allow_set_hostname", "allow.set_hostname");
    m.put("allow_sysvipc", "allow.sysvipc");
    m.put("allow_raw_sockets", "allow.raw_sockets");
    m.put("allow_chflags", "allow.chflags");
    m.put("allow_mlock", "allow.mlock");
    m.put("allow_mount", "allow.mount");
    m.put("allow_mount_devfs", "allow.mount.devfs");
    m.put("allow_mount_fdescfs", "allow.mount.fdescfs");
    m.put("allow_mount_fusefs", "allow.mount.fusefs");
    m.put("allow_mount_nullfs", "allow.mount.nullfs");
    m.put("allow_mount_procfs", "allow.mount.procfs");
    m.put("allow_mount_linprocfs", "allow.mount.linprocfs");
    m.put("allow_mount_tmpfs", "allow.mount.tmpfs");
    m.put("allow_mount_zfs", "allow.mount.zfs");
    m.put("allow_quotas", "allow.quotas");
    m.put("allow_read_msgbuf", "allow.read_msgbuf");
    m.put("allow_socket_af", "allow.socket_af");
    m.put("allow_vmm", "allow.vmm");
    return Collections.unmodifiableMap(m);
  }
}
