package org.warder.client.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.warder.client.jail.props.PluginPropertyDefaults;
import org.warder.index.PluginManifest;

/**
 * What a plugin manifest may ask of the host without the administrator's consent: the devices,
 * devfs rulesets, kernel modules and jail properties real iocage plugins need (counted over the 80
 * real manifests of the ix-plugin-hub index and the iocage samples). Anything else is refused
 * before anything is made, naming the manifest key and the flag that allows it ({@link
 * PluginAllowances}). Stateless.
 *
 * <p>Devices: a manifest's devfs path is allowed when an allowed pattern covers it: the same
 * pattern, a device name it matches (devfs globbing: {@code *} and {@code ?} stop at {@code /}), or
 * a narrower pattern with the same literal prefix ({@code cuaU*} under {@code cua*}).
 */
public final class ManifestPolicy {
  /**
   * devfs paths by default: bpf* (DHCP, 2 manifests), tun* (VPNs, through allow_tun), cua* and usb
   * (home automation: serial and USB sticks), dri/drm (GPU transcoding, 1), zfs (2; also in every
   * jail's base ruleset).
   */
  public static final List<String> DEFAULT_DEVICES =
      List.of("bpf*", "tun*", "cua*", "usb*", "usb/*", "dri*", "dri/*", "drm*", "drm/*", "zfs");

  /**
   * devfs rulesets a manifest may include: the standard ones of /etc/defaults/devfs.rules (1
   * manifest includes 1, 2, 3).
   */
  public static final List<String> DEFAULT_INCLUDES =
      List.of(
          "1",
          "2",
          "3",
          "4",
          "5",
          "$devfsrules_hide_all",
          "$devfsrules_unhide_basic",
          "$devfsrules_unhide_login",
          "$devfsrules_jail",
          "$devfsrules_jail_vnet");

  /** Kernel modules by default: FreeBSD's Linux ABI (1 manifest loads linux and linux64). */
  public static final List<String> DEFAULT_KMODS =
      List.of("linux", "linux64", "linux_common", "linprocfs", "linsysfs");

  private ManifestPolicy() {}

  /** What kind of host resource an {@link Ask} is. */
  public enum Kind {
    DEVICE,
    INCLUDE,
    KMOD,
    PROPERTY
  }

  /**
   * One thing a manifest asks of the host beyond a plain jail.
   *
   * @param kind what it is
   * @param name the devfs path pattern, ruleset, module name or property key
   * @param value the property's value; empty otherwise
   */
  public record Ask(Kind kind, String name, String value) {
    /** Where it is in the manifest and what it is, for messages. */
    public String describe() {
      return switch (kind) {
        case DEVICE -> "devfs_ruleset.paths '" + name + "' (host devices made visible in the jail)";
        case INCLUDE -> "devfs_ruleset.includes " + name + " (a host devfs ruleset)";
        case KMOD -> "kmods " + name + " (a kernel module loaded on the host)";
        case PROPERTY -> "properties." + name + "=" + value;
      };
    }

    /** What the administrator can do about it: the flag that allows it, or why no flag can. */
    public String remedy() {
      Optional<String> never =
          kind == Kind.PROPERTY ? PluginPropertyDefaults.neverGranted(name) : Optional.empty();
      return never.map(why -> "cannot be allowed: " + why).orElse("needs " + flag());
    }

    /** The command-line flag that allows it. */
    public String flag() {
      return switch (kind) {
        case DEVICE -> "--allow-device '" + name + "'";
        case INCLUDE -> "--allow-device " + PluginAllowances.INCLUDE + name;
        case KMOD -> "--allow-kmod " + name;
        case PROPERTY -> "--allow-property " + name;
      };
    }
  }

  /**
   * What may go ahead: the asks beyond the defaults that the allowances grant, each described with
   * the flag that grants it (printed as "will allow: ..." before anything runs), and allowances the
   * manifest does not need.
   */
  public record Decision(List<String> granted, List<String> unused) {
    public Decision {
      granted = List.copyOf(granted);
      unused = List.copyOf(unused);
    }

    /** The lines to show before anything runs. */
    public List<String> lines() {
      List<String> lines = new ArrayList<>();
      granted.forEach(g -> lines.add("will allow: " + g));
      unused.forEach(
          u -> lines.add("note: " + u + " is not needed: the manifest does not ask for it"));
      return lines;
    }
  }

  /**
   * Everything {@code m} asks of the host: devfs paths and includes, kernel modules, and the
   * properties the user does not set on the command line (properties in {@code userKeyValues},
   * KEY=VALUE, are the user's own choice and win over the manifest's).
   */
  public static List<Ask> asks(PluginManifest m, List<String> userKeyValues) {
    List<String> userKeys =
        userKeyValues.stream()
            .map(kv -> kv.contains("=") ? kv.substring(0, kv.indexOf('=')) : kv)
            .toList();
    List<Ask> asks = new ArrayList<>();
    Optional<PluginManifest.DevfsRuleset> devfs = m.devfsRuleset();
    if (devfs.isPresent()) {
      for (Map.Entry<String, Optional<String>> p : devfs.get().paths().entrySet()) {
        if (!p.getValue().map(a -> a.strip().equals("hide")).orElse(false)) {
          asks.add(new Ask(Kind.DEVICE, p.getKey(), ""));
        }
      }
      devfs.get().includes().forEach(i -> asks.add(new Ask(Kind.INCLUDE, i, "")));
    }
    m.kmods().forEach(k -> asks.add(new Ask(Kind.KMOD, k, "")));
    m.properties()
        .forEach(
            (k, v) -> {
              if (!userKeys.contains(k)) {
                asks.add(new Ask(Kind.PROPERTY, k, v));
              }
            });
    return List.copyOf(asks);
  }

  /**
   * Decides {@code asks} of plugin {@code plugin}: each is allowed by default or by {@code
   * allowances}, or the whole is refused with one message naming every refused key and its flag.
   */
  public static Decision decide(String plugin, List<Ask> asks, PluginAllowances allowances)
      throws ManifestNotAllowedException {
    List<Ask> granted = new ArrayList<>();
    List<String> grants = new ArrayList<>();
    List<Ask> refused = new ArrayList<>();
    for (Ask a : asks) {
      if (byDefault(a)) {
        continue;
      }
      Optional<String> flag = grantedBy(a, allowances);
      if (flag.isPresent()) {
        granted.add(a);
        grants.add(a.describe() + ", granted by " + flag.get());
      } else {
        refused.add(a);
      }
    }
    if (!refused.isEmpty()) {
      StringBuilder msg =
          new StringBuilder(
              "plugin "
                  + plugin
                  + " asks for more than a plugin gets by default, so nothing"
                  + " was made: ");
      for (int i = 0; i < refused.size(); i++) {
        msg.append(i == 0 ? "" : "; ")
            .append(refused.get(i).describe())
            .append(' ')
            .append(refused.get(i).remedy());
      }
      msg.append(". Defaults: devices ")
          .append(String.join(" ", DEFAULT_DEVICES))
          .append(", kernel modules ")
          .append(String.join(" ", DEFAULT_KMODS))
          .append(", properties ")
          .append(String.join(" ", PluginPropertyDefaults.keys()))
          .append(
              " (securelevel 1-3, enforce_statfs 1-2, sysv* new). Review the manifest; to grant what it asks,"
                  + " repeat the command with those flags");
      throw new ManifestNotAllowedException(msg.toString());
    }
    List<String> unused = new ArrayList<>();
    for (String d : allowances.devices()) {
      if (granted.stream()
          .noneMatch(a -> allowedBy(a, new PluginAllowances(List.of(d), List.of(), List.of())))) {
        unused.add("--allow-device " + d);
      }
    }
    for (String k : allowances.kmods()) {
      if (granted.stream()
          .noneMatch(a -> allowedBy(a, new PluginAllowances(List.of(), List.of(k), List.of())))) {
        unused.add("--allow-kmod " + k);
      }
    }
    for (String p : allowances.properties()) {
      if (granted.stream()
          .noneMatch(a -> allowedBy(a, new PluginAllowances(List.of(), List.of(), List.of(p))))) {
        unused.add("--allow-property " + p);
      }
    }
    return new Decision(grants, unused);
  }

  private static boolean byDefault(Ask a) {
    return switch (a.kind()) {
      case DEVICE -> DEFAULT_DEVICES.stream().anyMatch(d -> covers(d, a.name()));
      case INCLUDE -> DEFAULT_INCLUDES.contains(a.name());
      case KMOD -> DEFAULT_KMODS.contains(a.name());
      case PROPERTY -> PluginPropertyDefaults.allowed(a.name(), a.value());
    };
  }

  private static boolean allowedBy(Ask a, PluginAllowances allowances) {
    return grantedBy(a, allowances).isPresent();
  }

  /** The flag among {@code allowances} that allows {@code a}, as the administrator wrote it. */
  private static Optional<String> grantedBy(Ask a, PluginAllowances allowances) {
    return switch (a.kind()) {
      case DEVICE ->
          allowances.devices().stream()
              .filter(d -> !d.startsWith(PluginAllowances.INCLUDE) && covers(d, a.name()))
              .findFirst()
              .map(d -> "--allow-device '" + d + "'");
      case INCLUDE ->
          allowances.devices().contains(PluginAllowances.INCLUDE + a.name())
              ? Optional.of(a.flag())
              : Optional.empty();
      case KMOD, PROPERTY ->
          (a.kind() == Kind.KMOD ? allowances.kmods() : allowances.properties()).contains(a.name())
              ? Optional.of(a.flag())
              : Optional.empty();
    };
  }

  /** Whether the devfs pattern {@code allowed} covers every device {@code asked} can match. */
  static boolean covers(String allowed, String asked) {
    if (allowed.equals(asked)) {
      return true;
    }
    if (!glob(asked)) {
      return toRegex(allowed).matcher(asked).matches();
    }
    String prefix = allowed.substring(0, allowed.length() - 1);
    return allowed.endsWith("*")
        && !glob(prefix)
        && asked.startsWith(prefix)
        && !asked.substring(prefix.length()).contains("/");
  }

  private static boolean glob(String pattern) {
    return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
  }

  /**
   * devfs(8) globbing (fnmatch with FNM_PATHNAME): {@code *} and {@code ?} do not match {@code /}.
   */
  private static Pattern toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int close = glob.indexOf(']', i + 1);
        if (close < 0) {
          re.append("\\[");
        } else {
          String set = glob.substring(i + 1, close).replace("\\", "\\\\");
          re.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
          i = close;
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  /**
   * The kinds of asks in {@code asks} that {@code kinds} names, in order (an update re-applies
   * devfs only).
   */
  static List<Ask> only(List<Ask> asks, Set<Kind> kinds) {
    return asks.stream().filter(a -> kinds.contains(a.kind())).toList();
  }
}
