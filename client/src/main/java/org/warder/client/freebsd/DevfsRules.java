package org.warder.client.freebsd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.warder.client.jail.props.JailProperties;

/**
 * The devfs(8) commands that build a jail's own ruleset, iocage's generate_devfs_ruleset: hide
 * everything, include the manifest's rulesets, unhide the base list iocage uses (what
 * devfsrules_jail shows), then fuse, bpf*, tun* when the properties ask, then the plugin manifest's
 * paths. The caller picks an unused ruleset number (iocage: 1000 and up), deletes any old rules of
 * that number first ({@link FreeBsdCommands#devfsDeleteRuleset}), and passes the number as the
 * jail's devfs_ruleset parameter.
 *
 * <p>Unlike iocage, the hide rule comes first, so included rulesets are not hidden again. devfs(8)
 * takes ruleset numbers only: of the /etc/defaults/devfs.rules names, the three iocage skips
 * because the base list covers them are skipped; other names are refused.
 */
public final class DevfsRules {
  /** Device paths every jail ruleset unhides (iocage's list: null, zero, ptys, fd, std*, zfs). */
  public static final List<String> BASE_UNHIDE = base();

  private static final Set<String> COVERED =
      Set.of("$devfsrules_hide_all", "$devfsrules_unhide_basic", "$devfsrules_unhide_login");
  private static final Pattern PATTERN =
      Pattern.compile("[A-Za-z0-9_*?.\\[\\]+-][A-Za-z0-9_*?.\\[\\]/+-]{0,127}");
  private static final Pattern MODE = Pattern.compile("(?:mode\\s+)?([0-7]{3,4})");

  private DevfsRules() {}

  /**
   * The argv lists that fill ruleset {@code ruleset} for a jail with {@code props} and a plugin
   * manifest's devfs_ruleset ({@code paths}: pattern to action, empty for unhide; {@code includes}:
   * ruleset numbers). Paths are applied in sorted order.
   */
  public static List<List<String>> commands(
      int ruleset, JailProperties props, Map<String, Optional<String>> paths, List<String> includes)
      throws FreeBsdInputException {
    String n = number(ruleset);
    List<List<String>> argv = new ArrayList<>();
    argv.add(List.of("devfs", "rule", "-s", n, "add", "hide"));
    for (String inc : includes) {
      if (!COVERED.contains(inc)) {
        argv.add(List.of("devfs", "rule", "-s", n, "add", "include", included(inc)));
      }
    }
    Map<String, List<String>> rules = new LinkedHashMap<>();
    for (String p : BASE_UNHIDE) {
      rules.put(p, List.of("unhide"));
    }
    if (props.isTrue("allow_mount_fusefs")) {
      rules.put("fuse", List.of("unhide"));
    }
    if (props.isTrue("bpf") || props.isTrue("dhcp")) {
      rules.put("bpf*", List.of("unhide"));
    }
    if (props.isTrue("allow_tun")) {
      rules.put("tun*", List.of("unhide"));
    }
    for (Map.Entry<String, Optional<String>> e : new TreeMap<>(paths).entrySet()) {
      rules.put(pattern(e.getKey()), action(e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, List<String>> r : rules.entrySet()) {
      List<String> rule =
          new ArrayList<>(List.of("devfs", "rule", "-s", n, "add", "path", r.getKey()));
      rule.addAll(r.getValue());
      argv.add(List.copyOf(rule));
    }
    return List.copyOf(argv);
  }

  /** A ruleset number as devfs(8) and jail(8) take it: 1 to 65535 (0 means "no ruleset"). */
  static String number(int ruleset) {
    if (ruleset < 1 || ruleset > 65535) {
      throw new IllegalArgumentException("devfs ruleset number out of 1-65535: " + ruleset);
    }
    return Integer.toString(ruleset);
  }

  private static String included(String inc) throws FreeBsdInputException {
    if (!inc.matches("[1-9][0-9]{0,4}") || Integer.parseInt(inc) > 65535) {
      throw new FreeBsdInputException(
          "devfs include",
          "devfs include: expected a ruleset number 1-65535"
              + " (devfs(8) does not know devfs.rules names), found '"
              + Args.show(inc)
              + "'");
    }
    return inc;
  }

  private static String pattern(String p) throws FreeBsdInputException {
    if (p == null || !PATTERN.matcher(p).matches() || p.contains("..")) {
      throw new FreeBsdInputException(
          "devfs path",
          "devfs path: expected a device name or glob relative to /dev"
              + " such as bpf* or dri/*, found '"
              + Args.show(p)
              + "'");
    }
    return p;
  }

  private static List<String> action(String path, Optional<String> action)
      throws FreeBsdInputException {
    String a = action.map(String::trim).orElse("unhide");
    if (a.equals("unhide") || a.equals("hide")) {
      return List.of(a);
    }
    var m = MODE.matcher(a);
    if (m.matches()) {
      return List.of("mode", m.group(1));
    }
    throw new FreeBsdInputException(
        "devfs action",
        "devfs action for "
            + path
            + ": expected null (unhide), unhide, hide or an octal mode such as 0660, found '"
            + Args.show(a)
            + "'");
  }

  private static List<String> base() {
    List<String> b = new ArrayList<>(List.of("null", "zero", "crypto", "random", "urandom"));
    for (String kind : List.of("pty", "tty")) {
      for (char c : "pqrsPQRSlmnoLMNO".toCharArray()) {
        b.add(kind + c + "*");
      }
    }
    b.addAll(List.of("ptmx", "pts", "pts/*", "fd", "fd/*", "stdin", "stdout", "stderr", "zfs"));
    return List.copyOf(b);
  }
}
