package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The part of warder's command tree a command line gets: the command it names alone, built and
 * parsed exactly as in the whole tree; the whole tree for help, mistakes and anything unusual.
 */
class CommandTreeTest {
  @TempDir Path tmp;

  private static CommandLine forArguments(String... args) {
    return CommandTree.forArguments(new CommandLine(new WarderMain()), args);
  }

  @Test
  void testEachCommand_isNamedAsItsAnnotationSays() {
    Map<String, CommandLine> commands = WarderMain.commandLine().getSubcommands();
    assertThat(commands).hasSizeGreaterThan(30);
    commands.forEach(
        (name, command) ->
            assertThat(
                    command.getCommandSpec().userObject().getClass().getAnnotation(Command.class))
                .as(name)
                .extracting(Command::name)
                .isEqualTo(name));
  }

  @Test
  void testACommandNamed_isAloneAndBuiltAsInTheWholeTree() {
    CommandLine whole = WarderMain.commandLine();
    for (String name : whole.getSubcommands().keySet()) {
      if (name.equals("help")) {
        continue;
      }
      CommandLine alone = forArguments("--root", tmp.toString(), "-v", name, "--help");
      assertThat(alone.getSubcommands().keySet()).as(name).containsExactly(name);
      assertThat(described(alone.getSubcommands().get(name)))
          .as(name)
          .isEqualTo(described(whole.getSubcommands().get(name)));
    }
  }

  @Test
  void testTheVersionAlone_needsNoCommand() {
    assertThat(forArguments("--version").getSubcommands()).isEmpty();
    assertThat(forArguments("-V").getSubcommands()).isEmpty();
  }

  @Test
  void testHelpMistakesAndTheUnusual_getTheWholeTree() throws IOException {
    int all = WarderMain.commandLine().getSubcommands().size();
    Path argumentFile = Files.writeString(tmp.resolve("args"), "list\n");
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"--help"},
            new String[] {"help", "list"},
            new String[] {"lsit"},
            new String[] {"--version", "--help"},
            new String[] {"--root", "fetch", "list"},
            new String[] {"--", "list"},
            new String[] {"@" + argumentFile})) {
      assertThat(forArguments(args).getSubcommands()).as(List.of(args).toString()).hasSize(all);
    }
  }

  @Test
  void testCommandLines_parseAsWithTheWholeTree() throws IOException {
    Path argumentFile = Files.writeString(tmp.resolve("args"), "--root\n/r\nlist\n-P\n");
    for (String[] args :
        List.of(
            new String[] {},
            new String[] {"list"},
            new String[] {"--root", "/r", "list", "-P"},
            new String[] {"--root=/r", "-v", "--stacktrace", "tuf", "init", "root.json"},
            new String[] {"--retry-deadline", "5", "fetch", "-P", "acme/app", "--dry-run"},
            new String[] {"list", "--root", "/x", "-r"},
            new String[] {"exec", "www", "list", "-l"},
            new String[] {"repo", "add", "main", "http://127.0.0.1:1/"},
            new String[] {"--version"},
            new String[] {"-V"},
            new String[] {"--help"},
            new String[] {"help", "list"},
            new String[] {"lsit"},
            new String[] {"--bogus", "list"},
            new String[] {"list", "--bogus"},
            new String[] {"--root"},
            new String[] {"--root", "fetch", "list"},
            new String[] {"--root", "--verbose", "list"},
            new String[] {"--retry-deadline", "0", "list"},
            new String[] {"--", "list"},
            new String[] {"@" + argumentFile},
            new String[] {"-vV"})) {
      assertThat(outcome(forArguments(args), args))
          .as(List.of(args).toString())
          .isEqualTo(outcome(WarderMain.commandLine(), args));
    }
  }

  /**
   * The command line's parse: each command of the chain with its options and values, or the
   * refusal.
   */
  private static String outcome(CommandLine cli, String... args) {
    try {
      List<String> parts = new ArrayList<>();
      for (ParseResult p = cli.parseArgs(args); p != null; p = p.subcommand()) {
        parts.add(p.commandSpec().qualifiedName());
        for (OptionSpec option : p.matchedOptions()) {
          parts.add(option.longestName() + "=" + option.getValue());
        }
        p.matchedPositionals().forEach(positional -> parts.add("" + positional.getValue()));
      }
      return String.join(" ", parts);
    } catch (ParameterException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** The usage help of {@code command} and of every command under it. */
  private static List<String> described(CommandLine command) {
    List<String> out = new ArrayList<>(List.of(command.getUsageMessage()));
    command.getSubcommands().values().forEach(sub -> out.addAll(described(sub)));
    return out;
  }
}
