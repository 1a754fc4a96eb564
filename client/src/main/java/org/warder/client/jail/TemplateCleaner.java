package org.warder.client.jail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.warder.client.host.ConfinedDirectory;
import org.warder.client.layout.HostLayout;

/**
 * Removes from a jail what must not be copied into the jails made from it, before it becomes a
 * template (the book's "cleaning clones"): SSH host keys (sshd makes new ones), root's {@code
 * known_hosts}, and the patterns of {@code <root>/template-clean.conf} and the command line.
 * Patterns are globs relative to the jail root ({@code var/log/*.log}); nothing outside the root is
 * touched and no symlink is followed. Not thread-safe.
 */
public final class TemplateCleaner {
  /** Always removed: the book's newjailclean.sh. */
  public static final List<String> DEFAULTS =
      List.of("etc/ssh/ssh_host_*key*", "root/.ssh/known_hosts");

  private static final long MAX_CONFIG = 64 * 1024;

  private final HostLayout layout;
  private final Jails jails;

  public TemplateCleaner(HostLayout layout, Jails jails) {
    this.layout = layout;
    this.jails = jails;
  }

  /** {@code <root>/template-clean.conf}: one glob per line, {@code #} comments. */
  public Path configFile() {
    return layout.templateCleanConfig();
  }

  /** The patterns in force: the defaults, the host's file, then {@code extra}. */
  public List<String> patterns(List<String> extra) throws IOException, JailException {
    List<String> all = new ArrayList<>(DEFAULTS);
    Path conf = configFile();
    if (Files.exists(conf)) {
      if (Files.size(conf) > MAX_CONFIG) {
        throw new JailException(
            conf + " is larger than " + MAX_CONFIG + " bytes; expected a list of glob patterns");
      }
      for (String line : Files.readAllLines(conf, StandardCharsets.UTF_8)) {
        String p = line.strip();
        if (!p.isEmpty() && !p.startsWith("#")) {
          all.add(p);
        }
      }
    }
    all.addAll(extra);
    for (String p : all) {
      if (p.startsWith("/") || List.of(p.split("/")).contains("..")) {
        throw new JailException(
            "expected a glob relative to the jail root, without \"..\" (like var/log/*.log),"
                + " found \""
                + p
                + "\"");
      }
    }
    return all;
  }

  /**
   * Removes what {@code patterns} match in stopped jail {@code name} (or, with {@code dryRun}, only
   * lists it); returns the removed paths, relative to the jail root, sorted.
   */
  public List<String> clean(String name, List<String> patterns, boolean dryRun)
      throws JailException, IOException, InterruptedException {
    Jail jail = jails.properties().get(name);
    if (jail.template()) {
      throw new JailException(
          name
              + " is already a template and read-only; make it a jail again with 'warder set"
              + " template=no "
              + name
              + "', clean it, then 'warder set template=yes "
              + name
              + "'");
    }
    if (jails.lifecycle().running(jail)) {
      throw new JailException(
          name + " is running; stop it before cleaning it ('warder stop " + name + "')");
    }
    Path root = layout.path(jail.rootName());
    Map<String, PathMatcher> matchers = new LinkedHashMap<>();
    for (String p : patterns) {
      matchers.put(p, FileSystems.getDefault().getPathMatcher("glob:" + p));
    }
    List<Path> matched = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) { // never follows symlinks
      walk.filter(p -> !p.equals(root))
          .filter(p -> matchers.values().stream().anyMatch(m -> m.matches(root.relativize(p))))
          .forEach(matched::add);
    }
    List<String> removed = new ArrayList<>();
    // removed through descriptors of the root: a directory swapped for a link since the walk is
    // refused, never followed out of the root
    try (ConfinedDirectory confined = ConfinedDirectory.open(root)) {
      for (Path p : matched) {
        String relative = root.relativize(p).toString();
        if (confined.attributes(relative).isEmpty()) {
          continue; // inside a directory removed before
        }
        removed.add(relative);
        if (!dryRun) {
          confined.deleteTree(relative);
        }
      }
    }
    return removed.stream().sorted().toList();
  }
}
