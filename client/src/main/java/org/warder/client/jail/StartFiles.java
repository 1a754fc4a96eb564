package org.warder.client.jail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.warder.client.host.ConfinedDirectory;
import org.warder.client.host.ConfinementException;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.net.JailNetwork;
import org.warder.client.net.VnetInterface;
import org.warder.client.progress.Reporter;

/**
 * The files warder writes into a jail's root before every start, whatever the runtime, as iocage's
 * start does (start_generate_resolv, start_copy_localtime, __check_dhcp_or_accept_rtadv__,
 * __check_rtsold__):
 *
 * <ul>
 *   <li>{@code etc/resolv.conf} from {@code resolver}: an absolute host path (the default {@code
 *       /etc/resolv.conf}) is copied; {@code none} and {@code /dev/null} leave the jail's file
 *       alone; anything else is resolv.conf lines separated by {@code ;}, written one a line.
 *       Deliberate difference: iocage's {@code none} copies the host's file (a compatibility
 *       meaning); warder's {@code none} means what its catalogue says, leave it alone, as iocage's
 *       {@code /dev/null} does. A default resolver with no host /etc/resolv.conf is reported and
 *       skipped; another missing host file refuses the start.
 *   <li>{@code etc/localtime}, the host's copied when {@code host_time=1}.
 *   <li>In {@code etc/rc.conf}: {@code ifconfig_vnetN="SYNCDHCP"} for every interface with {@code
 *       dhcp=1}; with {@code rtsold=1}, {@code rtsold_enable="YES"} and {@code
 *       ifconfig_vnet0_ipv6="inet6 auto_linklocal accept_rtadv autoconf"}. An entry of these that
 *       the properties no longer ask for is removed when its value is exactly warder's, as iocage
 *       does with {@code sysrc -x} (iocage names the jail side epairNb; warder names it vnetN). An
 *       rc.conf that is not a regular file is left alone when there is nothing to add and refuses
 *       the start otherwise.
 * </ul>
 *
 * <p>Every write goes through a {@link ConfinedDirectory} of the root: no link inside the jail is
 * followed, a link at the file's own name is replaced atomically, an {@code etc} that is a link
 * refuses the start, and a root without {@code etc/} gets nothing (reported). Unlike iocage, the
 * rc.conf is edited here ({@link RcConf}) instead of by {@code sysrc -f} on the host, which would
 * follow a link the jail controls. Stateless apart from the host's localtime path.
 */
final class StartFiles {
  /** The host's time zone file {@code host_time=1} copies. */
  static final Path HOST_LOCALTIME = Path.of("/etc/localtime");

  /** The rc.conf value that makes an interface ask DHCP at boot. */
  static final String DHCP = "SYNCDHCP";

  /** The rc.conf value that makes an interface take router advertisements. */
  static final String RTADV = "inet6 auto_linklocal accept_rtadv autoconf";

  private static final String DEFAULT_RESOLVER = "/etc/resolv.conf";
  private static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");
  private static final int MAX_RC_CONF = 1 << 20;
  private static final int INTERFACES = 4;

  private final Path hostLocaltime;

  /** Start files that take the host's time zone from {@code hostLocaltime}. */
  StartFiles(Path hostLocaltime) {
    this.hostLocaltime = hostLocaltime;
  }

  /** What {@link #write} does to the jail at {@code root} with {@code props}, one line each. */
  List<String> describe(Path root, JailProperties props, JailNetwork network) {
    Path etc = root.resolve("etc");
    List<String> lines = new ArrayList<>();
    String resolver = props.value("resolver");
    if (leavesResolver(resolver)) {
      lines.add(
          "leave "
              + etc.resolve("resolv.conf")
              + " as the jail has it (resolver="
              + resolver
              + ")");
    } else if (resolver.startsWith("/")) {
      lines.add("copy " + resolver + " to " + etc.resolve("resolv.conf"));
    } else {
      lines.add(
          "write " + etc.resolve("resolv.conf") + ": " + String.join("; ", resolvLines(resolver)));
    }
    if (props.isTrue("host_time")) {
      lines.add("copy " + hostLocaltime + " to " + etc.resolve("localtime"));
    }
    Path rc = etc.resolve("rc.conf");
    rcEntries(network).forEach((k, v) -> lines.add("set " + k + "=\"" + v + "\" in " + rc));
    lines.add(
        "remove from "
            + rc
            + " the entries warder sets there that the properties no longer ask for"
            + " (ifconfig_vnetN=\""
            + DHCP
            + "\", ifconfig_vnetN_ipv6=\""
            + RTADV
            + "\", rtsold_enable=\"YES\"; exact values only)");
    return lines;
  }

  /**
   * Writes the start files of jail {@code name} into {@code root}; refuses (before anything runs)
   * when the root has links where warder must write.
   */
  void write(JailName name, Path root, JailProperties props, JailNetwork network, Reporter reporter)
      throws JailException, IOException {
    try (ConfinedDirectory dir = ConfinedDirectory.open(root)) {
      if (dir.attributes("etc").isEmpty()) {
        reporter.warning(
            name
                + ": "
                + root.resolve("etc")
                + " does not exist; resolv.conf, localtime and rc.conf entries were not written");
        return;
      }
      resolver(dir, name, props.value("resolver"), reporter);
      if (props.isTrue("host_time")) {
        if (Files.isRegularFile(hostLocaltime)) {
          dir.copyIn(hostLocaltime, "etc/localtime", MODE);
        } else {
          reporter.warning(
              name
                  + ": the host has no "
                  + hostLocaltime
                  + "; the jail's localtime is left as it is");
        }
      }
      rcConf(dir, rcEntries(network));
    } catch (ConfinementException e) {
      throw new JailException(
          "cannot start "
              + name
              + ": "
              + e.getMessage()
              + "; warder writes resolv.conf, localtime and rc.conf entries into the jail's etc/"
              + " at every start",
          e);
    }
  }

  private static boolean leavesResolver(String resolver) {
    return resolver.equals("none") || resolver.equals("/dev/null");
  }

  private static List<String> resolvLines(String resolver) {
    return Arrays.stream(resolver.split(";", -1)).map(String::trim).toList();
  }

  private static void resolver(
      ConfinedDirectory dir, JailName name, String resolver, Reporter reporter)
      throws JailException, IOException {
    if (leavesResolver(resolver)) {
      return;
    }
    if (!resolver.startsWith("/")) {
      String text = String.join("\n", resolvLines(resolver)) + "\n";
      dir.write("etc/resolv.conf", text.getBytes(StandardCharsets.UTF_8), MODE);
      return;
    }
    Path source = Path.of(resolver);
    if (Files.isRegularFile(source)) {
      dir.copyIn(source, "etc/resolv.conf", MODE);
    } else if (resolver.equals(DEFAULT_RESOLVER)) {
      reporter.warning(
          name
              + ": the host has no "
              + DEFAULT_RESOLVER
              + "; the jail's resolv.conf is left as it is (set resolver to lines such as"
              + " 'nameserver 192.0.2.53' to give it one)");
    } else {
      throw new JailException(
          "cannot start "
              + name
              + ": its resolver is "
              + resolver
              + ", which is not a regular file on the host; expected a resolv.conf to copy into the"
              + " jail: create it, or set resolver=none or resolver='nameserver ADDRESS'");
    }
  }

  /** The rc.conf entries {@code network} asks for, in order. */
  static Map<String, String> rcEntries(JailNetwork network) {
    Map<String, String> entries = new LinkedHashMap<>();
    boolean rtadv = false;
    for (VnetInterface i : network.interfaces()) {
      if (network.dhcp()) {
        entries.put("ifconfig_" + i.name(), DHCP);
      }
      if (i.acceptRtadv()) {
        entries.put("ifconfig_" + i.name() + "_ipv6", RTADV);
        rtadv = true;
      }
    }
    if (rtadv) {
      entries.put("rtsold_enable", "YES");
    }
    return entries;
  }

  /** Every entry warder may have set, with its value. */
  private static Map<String, String> managed() {
    Map<String, String> all = new LinkedHashMap<>();
    for (int n = 0; n < INTERFACES; n++) {
      all.put("ifconfig_vnet" + n, DHCP);
      all.put("ifconfig_vnet" + n + "_ipv6", RTADV);
    }
    all.put("rtsold_enable", "YES");
    return all;
  }

  private static void rcConf(ConfinedDirectory dir, Map<String, String> wanted)
      throws JailException, IOException {
    String file = "etc/rc.conf";
    var attrs = dir.attributes(file);
    if (wanted.isEmpty()
        && !attrs.map(a -> a.isRegularFile() && a.size() <= MAX_RC_CONF).orElse(false)) {
      return; // warder never wrote into what is missing, too large or not a file
    }
    byte[] before = attrs.isPresent() ? dir.read(file, MAX_RC_CONF) : new byte[0];
    RcConf conf = RcConf.parse(before);
    for (Map.Entry<String, String> e : managed().entrySet()) {
      String wantedValue = wanted.get(e.getKey());
      conf =
          wantedValue != null
              ? conf.with(e.getKey(), wantedValue)
              : conf.without(e.getKey(), e.getValue());
    }
    byte[] after = conf.bytes();
    if (!Arrays.equals(before, after) || attrs.isEmpty()) {
      dir.write(file, after, MODE);
    }
  }
}
