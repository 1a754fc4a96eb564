package org.warder.client.jail;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.warder.client.freebsd.DevfsRules;
import org.warder.client.freebsd.FreeBsdCommands;
import org.warder.client.freebsd.FreeBsdInputException;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.state.StateFiles;
import org.warder.index.PluginManifest.DevfsRuleset;

/**
 * A jail's own devfs ruleset, for a plugin manifest's {@code devfs_ruleset} (iocage's
 * generate_devfs_ruleset). The manifest's rules are kept in {@code jails/NAME/devfs.json} and the
 * jail's {@code devfs_ruleset} property names a ruleset of its own, numbered from 1000 as iocage
 * does. devfs rules live in the kernel and are gone after a reboot, so on FreeBSD the ruleset is
 * rebuilt before every start: {@code devfs rule -s N delset}, then {@link DevfsRules}. Stateless.
 */
public final class JailDevfs {
  /** The first ruleset number warder gives a jail of its own (iocage's choice too). */
  public static final int FIRST_OWN_RULESET = 1000;

  static final String FILE = "devfs.json";
  private static final int MAX_RULES = 1 << 20;

  private JailDevfs() {}

  /** The smallest ruleset number from 1000 up that no jail or template of this host uses. */
  public static int freeRuleset(JailStore store) throws IOException, JailException {
    Set<String> used = new HashSet<>();
    for (boolean templates : new boolean[] {false, true}) {
      for (Jail j : store.all(templates)) {
        used.add(j.props().value("devfs_ruleset"));
      }
    }
    int n = FIRST_OWN_RULESET;
    while (used.contains(Integer.toString(n))) {
      n++;
    }
    return n;
  }

  /**
   * Gives {@code jail} a ruleset of its own with {@code rules}: checks that they make valid devfs
   * commands, records them, and sets {@code devfs_ruleset} to a free number (the jail keeps the one
   * it has when it has its own already, as after a plugin update).
   */
  static Jail assign(JailStore store, Jail jail, DevfsRuleset rules)
      throws IOException, JailException {
    Path dir = store.dir(jail.name().value(), jail.template());
    int current = Integer.parseInt(jail.props().value("devfs_ruleset"));
    int n =
        Files.exists(dir.resolve(FILE)) && current >= FIRST_OWN_RULESET
            ? current
            : freeRuleset(store);
    try {
      JailProperties props = jail.props().with(Map.of("devfs_ruleset", Integer.toString(n)));
      rebuild(n, props, rules); // refuses what devfs(8) would not take, before anything is written
      Jail updated = new Jail(jail.name(), props, jail.template());
      StateFiles.write(dir.resolve(FILE), rules);
      store.save(updated);
      return updated;
    } catch (PropertyException | FreeBsdInputException e) {
      throw new JailException("devfs_ruleset of " + jail.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The argv lists that rebuild the jail's own ruleset before it starts: none when the jail has no
   * {@code devfs.json} (it uses a standard ruleset such as 4, devfsrules_jail).
   */
  static List<List<String>> commands(Path jailDir, JailProperties props)
      throws IOException, JailException {
    Path file = jailDir.resolve(FILE);
    Optional<byte[]> bytes = JailStore.readOwnFile(file, MAX_RULES);
    if (bytes.isEmpty()) {
      return List.of();
    }
    DevfsRuleset rules;
    try {
      rules = StateFiles.mapper().readValue(bytes.get(), DevfsRuleset.class);
    } catch (JacksonException e) {
      throw new JailException("state file " + file + " is damaged: " + e.getOriginalMessage(), e);
    }
    String number = props.value("devfs_ruleset");
    try {
      int n = Integer.parseInt(number);
      if (n < FIRST_OWN_RULESET) {
        throw new JailException(
            file
                + " holds the jail's own devfs rules, but devfs_ruleset is "
                + number
                + ", a shared ruleset; expected 1000 or more: set devfs_ruleset back, or remove "
                + file);
      }
      return rebuild(n, props, rules);
    } catch (FreeBsdInputException e) {
      throw new JailException(file + " is damaged: " + e.getMessage(), e);
    }
  }

  /**
   * The argv lists that (re)build ruleset {@code n} with {@code rules} for a jail with {@code
   * props}.
   */
  public static List<List<String>> rebuild(int n, JailProperties props, DevfsRuleset rules)
      throws FreeBsdInputException {
    List<List<String>> argv = new ArrayList<>();
    argv.add(FreeBsdCommands.devfsDeleteRuleset(n));
    argv.addAll(DevfsRules.commands(n, props, rules.paths(), rules.includes()));
    return List.copyOf(argv);
  }
}
