package org.warder.client.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * warder's commands under {@link WarderMain}, by name in the order its help lists them, and the
 * part of the tree a command line needs. They are added here rather than in the root's
 * {@code @Command(subcommands)}: picocli builds a command's model (every option of every class, by
 * reflection) when the command is added, and building all of them was most of the start-up of a
 * short command. A command line that names a command gets that command alone (with its own
 * subcommands), one that only asks for the version none; help, a missing or mistyped command and
 * anything unusual get the whole tree, so that help, completion and "did you mean" see every
 * command. Stateless.
 */
final class CommandTree {
  /** Each command's name is the one its {@code @Command} gives (CommandTreeTest checks). */
  private static final List<Map.Entry<String, Class<?>>> COMMANDS =
      List.of(
          Map.entry("repo", RepoCommand.class),
          Map.entry("key", KeyCommand.class),
          Map.entry("publish", PublishCommand.class),
          Map.entry("list", ListCommand.class),
          Map.entry("fetch", FetchCommand.class),
          Map.entry("create", CreateCommand.class),
          Map.entry("start", JailCommands.Start.class),
          Map.entry("stop", JailCommands.Stop.class),
          Map.entry("restart", JailCommands.Restart.class),
          Map.entry("exec", JailCommands.Exec.class),
          Map.entry("pkg", JailCommands.Pkg.class),
          Map.entry("get", JailCommands.Get.class),
          Map.entry("set", JailCommands.Set.class),
          Map.entry("snapshot", JailCommands.Snapshot.class),
          Map.entry("snaplist", JailCommands.Snaplist.class),
          Map.entry("rollback", JailCommands.Rollback.class),
          Map.entry("destroy", DestroyCommand.class),
          Map.entry("export", ExportCommand.class),
          Map.entry("import", ImportCommand.class),
          Map.entry("template", TemplateCommand.class),
          Map.entry("push", PushCommand.class),
          Map.entry("pull", PullCommand.class),
          Map.entry("activate", ActivateCommand.class),
          Map.entry("plugin", PluginCommand.class),
          Map.entry("tuf", TufCommand.class),
          Map.entry("rename", RenameCommand.class),
          Map.entry("fstab", FstabCommand.class),
          Map.entry("clone", CloneCommand.class),
          Map.entry("df", DfCommand.class),
          Map.entry("console", ConsoleCommand.class),
          Map.entry("service", ServiceCommand.class),
          Map.entry("sysrc", SysrcCommand.class),
          Map.entry("cp", CpCommand.class),
          Map.entry("update", UpdateCommands.Update.class),
          Map.entry("upgrade", UpdateCommands.Upgrade.class),
          Map.entry("help", CommandLine.HelpCommand.class));

  private static final List<String> VERSION = List.of("-V", "--version");

  private CommandTree() {}

  /** {@code root} with every command added. */
  static CommandLine whole(CommandLine root) {
    COMMANDS.forEach(command -> add(root, command));
    return root;
  }

  /**
   * {@code root} with the commands {@code args} can reach added: the command they name, none when
   * they only ask for the version, all of them otherwise.
   */
  static CommandLine forArguments(CommandLine root, String... args) {
    Optional<Map.Entry<String, Class<?>>> named = named(root.getCommandSpec(), args);
    if (named.isPresent()) {
      add(root, named.get());
      return root;
    }
    if (args.length > 0 && List.of(args).stream().allMatch(VERSION::contains)) {
      return root;
    }
    return whole(root);
  }

  /**
   * The command {@code args} name, as picocli will read them: the first argument that is neither an
   * option nor an option's value. Empty when that is not one of the commands, is {@code help}
   * (which needs the others), or comes after something picocli reads another way: {@code --}, an
   * {@code @file} of arguments, an option whose values are not exactly one argument, or a command's
   * name given as an option's value (which picocli refuses).
   */
  private static Optional<Map.Entry<String, Class<?>>> named(CommandSpec root, String... args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--") || arg.startsWith("@")) {
        return Optional.empty();
      }
      OptionSpec option = root.optionsMap().get(arg);
      if (option != null && option.arity().max() > 0) {
        if (option.arity().min() != 1 || option.arity().max() != 1) {
          return Optional.empty();
        }
        i++;
        if (i < args.length && command(args[i]).isPresent()) {
          return Optional.empty();
        }
      } else if (!arg.startsWith("-")) {
        return command(arg).filter(command -> !command.getKey().equals("help"));
      }
    }
    return Optional.empty();
  }

  private static Optional<Map.Entry<String, Class<?>>> command(String name) {
    return COMMANDS.stream().filter(command -> command.getKey().equals(name)).findFirst();
  }

  private static void add(CommandLine root, Map.Entry<String, Class<?>> command) {
    root.addSubcommand(command.getKey(), new CommandLine(command.getValue()));
  }
}
