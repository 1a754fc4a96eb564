package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.layout.HostLayout;
import org.warder.index.PluginManifest.DevfsRuleset;

/**
 * A jail's own devfs ruleset: numbers from 1000, kept across updates, rebuilt from devfs.json, bad
 * rules refused.
 */
class JailDevfsTest {
  @TempDir Path tmp;
  JailStore store;

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
    assertThatThrownBy(
            () ->
                JailDevfs.commands(
                    store.dir("d", false), d.props().with(Map.of("devfs_ruleset", "4"))))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("devfs_ruleset is 4, a shared ruleset");
    Files.writeString(file, "{\"paths\": {\"x; rm -rf /\": null}, \"includes\": []}");
    assertThatThrownBy(() -> JailDevfs.commands(store.dir("d", false), d.props()))
        .isInstanceOf(JailException.class)
        .hasMessageContaining(file + " is damaged");
    Files.writeString(file, "{\"paths\": [");
    assertThatThrownBy(() -> JailDevfs.commands(store.dir("d", false), d.props()))
        .hasMessageContaining("state file " + file + " is damaged");
  }
}
