package org.warder.packaging;

import java.util.ArrayList;
import java.util.List;
import org.warder.client.cli.WarderMain;
import org.warder.registry.cli.RegistryMain;
import picocli.CommandLine;

/** The two executables the package installs, as their picocli command trees. */
public final class Executables {
  private Executables() {}

  /** {@code warder} and {@code warder-registry}, each a fresh command tree. */
  public static List<CommandLine> all() {
    return List.of(WarderMain.commandLine(), new CommandLine(new RegistryMain()));
  }

  /**
   * Every command of {@code root}'s tree that a user can call, the root first, then depth first in
   * the order the parent lists them; aliases are the same command and hidden commands are left out.
   */
  public static List<CommandLine> commands(CommandLine root) {
    List<CommandLine> out = new ArrayList<>();
    out.add(root);
    root.getSubcommands().values().stream()
        .distinct()
        .filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
        .forEach(sub -> out.addAll(commands(sub)));
    return out;
  }

  /** The man page name of {@code command}: its qualified name with dashes, as git's. */
  public static String pageName(CommandLine command) {
    return command.getCommandSpec().qualifiedName("-");
  }
}
