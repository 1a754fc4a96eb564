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
import org.warder.client.progress.Reporter;
import org.warder.client.state.StateFiles;
import org.warder.index.PluginManifest.DevfsRuleset;

/**
 * A jail's own devfs ruleset (iocage's generate_devfs_ruleset), for a jail that needs devices
 * beyond ruleset 4: {@code bpf*} (bpf, dhcp), {@code tun*} (allow_tun), a plugin manifest's {@code
 * devfs_ruleset}. Decided at every start ({@link #atStart}); the manifest's rules (none for a jail
 * without a plugin) are kept in {@code jails/NAME/devfs.json}, which marks the number as the jail's
 * own, and the jail's {@code devfs_ruleset} property names it, numbered from 1000 as iocage does.
 * devfs rules live in the kernel and are gone after a reboot, so on FreeBSD the ruleset is rebuilt
 * before every start: {@code devfs rule -s N delset}, then {@link DevfsRules}. Stateless.
 */
public final class JailDevfs {
  /** The first ruleset number warder gives a jail of its own (iocage's choice too). */
  public static final int FIRST_OWN_RULESET = 1000;

  /** devfsrules_jail, the ruleset a jail has by default and the one a jail's own derives from. */
  static final int STANDARD_RULESET = 4;

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
   * What a start does about a jail's devfs ruleset, decided from its properties then (so {@code
   * set}, {@code create} and {@code fetch -P} agree): a jail that needs devices beyond ruleset 4
   * ({@code bpf*} for bpf=1 or dhcp=1, {@code tun*} for allow_tun=1, a plugin manifest's paths) and
   * has devfs_ruleset=4 gets a free number of its own; a jail of its own that needs none of them
   * any more goes back to 4; a jail whose devfs_ruleset the administrator set to another number
   * keeps it, with a warning (iocage does the same).
   *
   * @param jail the jail as it starts, devfs_ruleset decided
   * @param rules the jail's own rules (devfs.json) when it has a ruleset of its own at this start
   * @param record whether config.json and devfs.json change (a number given or given back)
   * @param note what to tell about it, empty when nothing
   * @param warning whether the note is a warning
   */
  record AtStart(
      Jail jail, Optional<DevfsRuleset> rules, boolean record, String note, boolean warning) {
    /** The argv lists that rebuild the jail's own ruleset before it starts; none without one. */
    List<List<String>> commands() throws JailException {
      return rules.isEmpty()
          ? List.of()
          : checked(jail.props(), rules.get(), "the devfs rules of " + jail.name());
    }
  }

  /** The devfs ruleset of {@code jail} at its next start; changes nothing. */
  static AtStart atStart(JailStore store, Jail jail) throws IOException, JailException {
    Path dir = store.dir(jail.name().value(), jail.template());
    Optional<DevfsRuleset> own = read(dir.resolve(FILE));
    JailProperties props = jail.props();
    String number = props.value("devfs_ruleset");
    int n = Integer.parseInt(number);
    List<String> needs = new ArrayList<>();
    if (props.isTrue("bpf") || props.isTrue("dhcp")) {
      needs.add("bpf* for " + (props.isTrue("dhcp") ? "dhcp=1" : "bpf=1"));
    }
    if (props.isTrue("allow_tun")) {
      needs.add("tun* for allow_tun=1");
    }
    if (own.isPresent() && !(own.get().paths().isEmpty() && own.get().includes().isEmpty())) {
      needs.add("the plugin's devfs rules");
    }
    boolean hasOwn = own.isPresent() && n >= FIRST_OWN_RULESET;
    String why = String.join(", ", needs);
    if (needs.isEmpty()) {
      if (!hasOwn) {
        return new AtStart(jail, Optional.empty(), false, "", false);
      }
      Jail back = with(jail, STANDARD_RULESET);
      return new AtStart(
          back,
          Optional.empty(),
          true,
          jail.name()
              + ": devfs_ruleset back to "
              + STANDARD_RULESET
              + " (devfsrules_jail): it needs no devices beyond it any more",
          false);
    }
    if (hasOwn) {
      return new AtStart(jail, own, false, "", false);
    }
    if (n != STANDARD_RULESET) {
      return new AtStart(
          jail,
          Optional.empty(),
          false,
          jail.name()
              + ": devfs_ruleset is "
              + number
              + ", set by the administrator, so warder adds none of "
              + why
              + " to it and the jail may lack these devices (iocage does the same); set"
              + " devfs_ruleset="
              + STANDARD_RULESET
              + " to let warder give the jail a ruleset of its own derived from ruleset "
              + STANDARD_RULESET,
          true);
    }
    int free = freeRuleset(store);
    return new AtStart(
        with(jail, free),
        Optional.of(own.orElse(new DevfsRuleset(Map.of(), List.of()))),
        true,
        jail.name()
            + ": devfs ruleset "
            + free
            + " of its own, derived from ruleset "
            + STANDARD_RULESET
            + " ("
            + why
            + ")",
        false);
  }

  /** Records {@code start} (config.json, devfs.json) when it changes them, and tells its note. */
  static Jail apply(JailStore store, AtStart start, Reporter reporter)
      throws IOException, JailException {
    Jail jail = start.jail();
    if (start.record()) {
      Path file = store.dir(jail.name().value(), jail.template()).resolve(FILE);
      start.commands(); // refuses what devfs(8) would not take, before anything is written
      if (start.rules().isPresent()) {
        StateFiles.write(file, start.rules().get());
      } else {
        Files.deleteIfExists(file);
      }
      store.save(jail);
    }
    if (start.warning()) {
      reporter.warning(start.note());
    } else if (!start.note().isEmpty()) {
      reporter.info(start.note());
    }
    return jail;
  }

  /**
   * The argv lists that rebuild the jail's own ruleset before it starts: none when the jail has no
   * {@code devfs.json} or a devfs_ruleset below 1000 (a standard one such as 4, devfsrules_jail, or
   * the administrator's).
   */
  static List<List<String>> commands(Path jailDir, JailProperties props)
      throws IOException, JailException {
    Optional<DevfsRuleset> rules = read(jailDir.resolve(FILE));
    if (rules.isEmpty() || Integer.parseInt(props.value("devfs_ruleset")) < FIRST_OWN_RULESET) {
      return List.of();
    }
    return checked(props, rules.get(), jailDir.resolve(FILE).toString());
  }

  /** {@link #rebuild} for the jail's devfs_ruleset, refused as damaged {@code what}. */
  private static List<List<String>> checked(JailProperties props, DevfsRuleset rules, String what)
      throws JailException {
    try {
      return rebuild(Integer.parseInt(props.value("devfs_ruleset")), props, rules);
    } catch (FreeBsdInputException e) {
      throw new JailException(what + " is damaged: " + e.getMessage(), e);
    }
  }

  private static Optional<DevfsRuleset> read(Path file) throws IOException, JailException {
    Optional<byte[]> bytes = JailStore.readOwnFile(file, MAX_RULES);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(StateFiles.mapper().readValue(bytes.get(), DevfsRuleset.class));
    } catch (JacksonException e) {
      throw new JailException("state file " + file + " is damaged: " + e.getOriginalMessage(), e);
    }
  }

  private static Jail with(Jail jail, int ruleset) throws JailException {
    try {
      return new Jail(
          jail.name(),
          jail.props().with(Map.of("devfs_ruleset", Integer.toString(ruleset))),
          jail.template());
    } catch (PropertyException e) {
      throw new JailException("devfs_ruleset of " + jail.name() + ": " + e.getMessage(), e);
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
