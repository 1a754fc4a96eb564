package org.warder.client.freebsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.warder.client.jail.props.JailProperties;

/** The devfs(8) commands of a plugin's dynamic ruleset. */
class DevfsRulesTest {
  private static List<String> rule(String... tail) {
    List<String> r = new ArrayList<>(List.of("devfs", "rule", "-s", "1000", "add"));
    r.addAll(List.of(tail));
    return r;
  }

  @Test
  void testCommands_jellyfinManifest() throws Exception {
    // ix-plugin-hub jellyfin.json: "devfs_ruleset": {"paths": {"bpf*": null, "dri*": null, "dri/*":
    // null,
    // "drm*": null, "drm/*": null}, "includes": []}, with "dhcp": 1
    Map<String, Optional<String>> paths = new LinkedHashMap<>();
    for (String p : List.of("bpf*", "dri*", "dri/*", "drm*", "drm/*")) {
      paths.put(p, Optional.empty());
    }
    JailProperties props = JailProperties.parse(List.of("vnet=1", "dhcp=1"));
    List<List<String>> expected = new ArrayList<>();
    expected.add(rule("hide"));
    for (String p : DevfsRules.BASE_UNHIDE) {
      expected.add(rule("path", p, "unhide"));
    }
    expected.add(rule("path", "bpf*", "unhide"));
    for (String p : List.of("dri*", "dri/*", "drm*", "drm/*")) {
      expected.add(rule("path", p, "unhide"));
    }
    assertThat(DevfsRules.commands(1000, props, paths, List.of())).isEqualTo(expected);
    assertThat(DevfsRules.BASE_UNHIDE)
        .hasSize(46)
        .startsWith("null", "zero", "crypto", "random", "urandom", "ptyp*")
        .endsWith("ptmx", "pts", "pts/*", "fd", "fd/*", "stdin", "stdout", "stderr", "zfs");
  }

  @Test
  void testCommands_includesModesAndPropertyDevices() throws Exception {
    // homeassistant (12.2-RELEASE branch) has "includes": ["1","2","3"]
    JailProperties props = JailProperties.parse(List.of("allow_tun=1", "allow_mount_fusefs=1"));
    List<List<String>> argv =
        DevfsRules.commands(
            1000,
            props,
            Map.of(
                "usb/*",
                Optional.of("0660"),
                "ttyU*",
                Optional.of("mode 0600"),
                "mem",
                Optional.of("hide")),
            List.of("$devfsrules_unhide_basic", "1", "2", "3"));
    assertThat(argv.subList(0, 4))
        .containsExactly(
            rule("hide"), rule("include", "1"), rule("include", "2"), rule("include", "3"));
    assertThat(argv.subList(argv.size() - 5, argv.size()))
        .containsExactly(
            rule("path", "fuse", "unhide"),
            rule("path", "tun*", "unhide"),
            rule("path", "mem", "hide"),
            rule("path", "ttyU*", "mode", "0600"),
            rule("path", "usb/*", "mode", "0660"));
  }

  @Test
  void testCommands_refusesWhatDevfsWouldMisread() {
    JailProperties d = JailProperties.defaults();
    assertThatThrownBy(
            () -> DevfsRules.commands(1000, d, Map.of("../../etc", Optional.empty()), List.of()))
        .isInstanceOf(FreeBsdInputException.class)
        .hasMessage(
            "devfs path: expected a device name or glob relative to"
                + " /dev such as bpf* or dri/*, found '../../etc'");
    assertThatThrownBy(
            () -> DevfsRules.commands(1000, d, Map.of("/dev/mem", Optional.empty()), List.of()))
        .isInstanceOf(FreeBsdInputException.class);
    assertThatThrownBy(
            () -> DevfsRules.commands(1000, d, Map.of("mem", Optional.of("unhide; rm")), List.of()))
        .hasMessage(
            "devfs action for mem: expected null (unhide), unhide, hide or an octal mode such as 0660, found"
                + " 'unhide; rm'");
    assertThatThrownBy(() -> DevfsRules.commands(1000, d, Map.of(), List.of("$devfsrules_jail")))
        .hasMessage(
            "devfs include: expected a ruleset number 1-65535 (devfs(8) does not know devfs.rules names),"
                + " found '$devfsrules_jail'");
    assertThatThrownBy(() -> DevfsRules.commands(0, d, Map.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
