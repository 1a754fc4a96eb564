package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.freebsd.DevfsRules;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.layout.HostLayout;
import org.warder.client.testing.RecordingReporter;
import org.warder.index.PluginManifest.DevfsRuleset;

/**
 * A jail's own devfs ruleset: numbers from 1000, kept across updates, rebuilt from devfs.json, bad
 * rules refused.
 */
class JailDevfsTest {
  @TempDir Path tmp;
  JailStore store;
  final RecordingReporter reporter = new RecordingReporter();

  @BeforeEach
  void setUp() {
    store = new JailStore(new HostLayout(tmp));
  }

  private Jail jail(String name, String... props) throws Exception {
    Jail jail =
        new Jail(
            JailName.of(name),
            JailProperties.parse(List.of(props)).withIdentity(Map.of("name", name)),
            false);
    Files.createDirectories(store.dir(name, false));
    store.save(jail);
    return jail;
  }

  private static DevfsRuleset rules(String path, String action) {
    Map<String, Optional<String>> paths = new LinkedHashMap<>();
    paths.put(path, Optional.ofNullable(action));
    return new DevfsRuleset(paths, List.of());
  }

  @Test
  void testAssign_numbersFrom1000KeptOnUpdateAndRebuiltBeforeStart() throws Exception {
    jail("other", "devfs_ruleset=1000");
    Jail a = JailDevfs.assign(store, jail("a"), rules("bpf*", null));
    assertThat(a.props().value("devfs_ruleset")).isEqualTo("1001");
    assertThat(store.get("a").props().value("devfs_ruleset")).isEqualTo("1001");
    Jail b = JailDevfs.assign(store, jail("b", "allow_tun=1"), rules("dri/*", "0660"));
    assertThat(b.props().value("devfs_ruleset")).isEqualTo("1002");

    Jail updated = JailDevfs.assign(store, store.get("a"), rules("cuau*", "mode 0600"));
    assertThat(updated.props().value("devfs_ruleset")).isEqualTo("1001");

    List<List<String>> rebuild = JailDevfs.commands(store.dir("b", false), store.get("b").props());
    assertThat(rebuild.get(0)).containsExactly("devfs", "rule", "-s", "1002", "delset");
    assertThat(rebuild.get(1)).containsExactly("devfs", "rule", "-s", "1002", "add", "hide");
    assertThat(rebuild)
        .contains(
            List.of("devfs", "rule", "-s", "1002", "add", "path", "tun*", "unhide"),
            List.of("devfs", "rule", "-s", "1002", "add", "path", "dri/*", "mode", "0660"));
    assertThat(JailDevfs.commands(store.dir("a", false), store.get("a").props()))
        .contains(List.of("devfs", "rule", "-s", "1001", "add", "path", "cuau*", "mode", "0600"))
        .noneMatch(argv -> argv.contains("bpf*"));
    assertThat(JailDevfs.commands(store.dir("other", false), store.get("other").props())).isEmpty();
  }

  @Test
  void testAssign_hostileRulesRefusedAndNothingWritten() throws Exception {
    Jail c = jail("c");
    String before = Files.readString(store.dir("c", false).resolve("config.json"));
    assertThatThrownBy(() -> JailDevfs.assign(store, c, rules("../../etc", null)))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("devfs path")
        .hasMessageContaining("../../etc");
    assertThatThrownBy(() -> JailDevfs.assign(store, c, rules("bpf*", "chmod 4777")))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("expected null (unhide), unhide, hide or an octal mode");
    assertThat(store.dir("c", false).resolve(JailDevfs.FILE)).doesNotExist();
    assertThat(store.dir("c", false).resolve("config.json")).hasContent(before);
  }

  @Test
  void testCommands_damagedOrInconsistentFileRefused() throws Exception {
    Jail d = JailDevfs.assign(store, jail("d"), rules("bpf*", null));
    Path file = store.dir("d", false).resolve(JailDevfs.FILE);
    // devfs_ruleset set back to 4: no rebuild now, and the next start gives a free number again
    // (1000 is still d's in its stored config.json)
    Jail shared = new Jail(d.name(), d.props().with(Map.of("devfs_ruleset", "4")), false);
    assertThat(JailDevfs.commands(store.dir("d", false), shared.props())).isEmpty();
    assertThat(JailDevfs.atStart(store, shared).jail().props().value("devfs_ruleset"))
        .isEqualTo("1001");
    Files.writeString(file, "{\"paths\": {\"x; rm -rf /\": null}, \"includes\": []}");
    assertThatThrownBy(() -> JailDevfs.commands(store.dir("d", false), d.props()))
        .isInstanceOf(JailException.class)
        .hasMessageContaining(file + " is damaged");
    Files.writeString(file, "{\"paths\": [");
    assertThatThrownBy(() -> JailDevfs.commands(store.dir("d", false), d.props()))
        .hasMessageContaining("state file " + file + " is damaged");
  }

  /**
   * The argv that rebuilds ruleset {@code n}: delset, hide all, ruleset 4's list, then {@code
   * extra}.
   */
  private static List<List<String>> rebuild(int n, String... extra) {
    String r = Integer.toString(n);
    List<List<String>> argv = new ArrayList<>();
    argv.add(List.of("devfs", "rule", "-s", r, "delset"));
    argv.add(List.of("devfs", "rule", "-s", r, "add", "hide"));
    for (String p : DevfsRules.BASE_UNHIDE) {
      argv.add(List.of("devfs", "rule", "-s", r, "add", "path", p, "unhide"));
    }
    for (String p : extra) {
      argv.add(List.of("devfs", "rule", "-s", r, "add", "path", p, "unhide"));
    }
    return argv;
  }

  @Test
  void testAtStart_dhcpGivesARulesetOfItsOwnKeptThenGivenBack() throws Exception {
    jail("other", "devfs_ruleset=1000");
    Jail e = jail("e", "vnet=1", "dhcp=1", "bpf=1");
    JailDevfs.AtStart first = JailDevfs.atStart(store, e);
    assertThat(first.note())
        .isEqualTo("e: devfs ruleset 1001 of its own, derived from ruleset 4 (bpf* for dhcp=1)");
    assertThat(store.get("e").props().value("devfs_ruleset")).isEqualTo("4"); // decided only
    Jail started = JailDevfs.apply(store, first, reporter);
    assertThat(reporter.lines()).containsExactly(first.note());
    assertThat(store.get("e").props().value("devfs_ruleset")).isEqualTo("1001");
    assertThat(JailDevfs.commands(store.dir("e", false), started.props()))
        .isEqualTo(rebuild(1001, "bpf*"));

    JailDevfs.AtStart again = JailDevfs.atStart(store, store.get("e"));
    assertThat(again.record()).isFalse();
    assertThat(again.note()).isEmpty();
    assertThat(again.commands()).isEqualTo(rebuild(1001, "bpf*"));

    Jail off =
        new Jail(
            e.name(),
            started.props().with(Map.of("dhcp", "0", "bpf", "0", "allow_tun", "1")),
            false);
    store.save(off);
    assertThat(JailDevfs.atStart(store, off).commands()).isEqualTo(rebuild(1001, "tun*"));
    Jail none = new Jail(e.name(), off.props().with(Map.of("allow_tun", "0")), false);
    store.save(none);
    JailDevfs.AtStart back = JailDevfs.atStart(store, none);
    assertThat(back.note())
        .isEqualTo(
            "e: devfs_ruleset back to 4 (devfsrules_jail): it needs no devices beyond it any more");
    JailDevfs.apply(store, back, reporter);
    assertThat(store.get("e").props().value("devfs_ruleset")).isEqualTo("4");
    assertThat(store.dir("e", false).resolve(JailDevfs.FILE)).doesNotExist();
    assertThat(JailDevfs.atStart(store, store.get("e")).record()).isFalse();
  }

  @Test
  void testAtStart_aPluginRulesetGainsBpfForDhcp() throws Exception {
    Jail p = JailDevfs.assign(store, jail("p", "vnet=1", "dhcp=1", "bpf=1"), rules("dri/*", null));
    assertThat(JailDevfs.atStart(store, p).commands()).isEqualTo(rebuild(1000, "bpf*", "dri/*"));
  }

  @Test
  void testAtStart_theAdministratorsRulesetIsKeptWithAWarning() throws Exception {
    Jail f = jail("f", "vnet=1", "dhcp=1", "bpf=1", "allow_tun=1", "devfs_ruleset=5");
    JailDevfs.AtStart start = JailDevfs.atStart(store, f);
    assertThat(start.commands()).isEmpty();
    assertThat(start.jail()).isEqualTo(f);
    JailDevfs.apply(store, start, reporter);
    assertThat(reporter.lines())
        .containsExactly(
            "warning: f: devfs_ruleset is 5, set by the administrator, so warder adds none of"
                + " bpf* for dhcp=1, tun* for allow_tun=1 to it and the jail may lack these devices"
                + " (iocage does the same); set devfs_ruleset=4 to let warder give the jail a"
                + " ruleset of its own derived from ruleset 4");
    assertThat(store.get("f").props().value("devfs_ruleset")).isEqualTo("5");
    assertThat(store.dir("f", false).resolve(JailDevfs.FILE)).doesNotExist();
  }
}
