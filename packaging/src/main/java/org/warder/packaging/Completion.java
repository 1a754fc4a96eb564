package org.warder.packaging;

import picocli.AutoComplete;
import picocli.CommandLine;

/** Shell completion of an executable, from its picocli model. */
public final class Completion {
  private Completion() {}

  /** The bash completion script picocli writes for {@code root}. */
  public static String bash(CommandLine root) {
    return AutoComplete.bash(root.getCommandName(), root);
  }

  /**
   * The zsh completion function file {@code _NAME}. picocli's script runs in zsh through
   * bashcompinit (it loads it itself), so both shells complete the same words: when zsh first
   * autoloads {@code _NAME}, the file defines the functions, registers them for {@code NAME} with
   * bashcompinit's {@code complete}, and answers that first completion through {@code
   * _bash_complete}; later completions call the registered function directly.
   */
  public static String zsh(CommandLine root) {
    String name = root.getCommandName();
    return "#compdef "
        + name
        + "\n"
        + bash(root)
        + "\n_bash_complete -F "
        + functionName(name)
        + " -o default \"$@\"\n";
  }

  /** The completion function picocli's script defines for the command {@code name}. */
  public static String functionName(String name) {
    return "_complete_" + name;
  }
}
