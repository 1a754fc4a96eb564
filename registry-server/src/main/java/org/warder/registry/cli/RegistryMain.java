package org.warder.registry.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code warder-registry} command: entry point, error reporting and exit codes. */
@Command(
    name = "warder-registry",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "A signed registry of FreeBSD releases, jail plugins, templates and exported jails.",
      "",
      "It is a TUF 1.0 repository: metadata and content-addressed files any web server could"
          + " serve, plus a publishing API. The server holds only the online snapshot and"
          + " timestamp keys; the root and targets keys are encrypted and belong offline."
    },
    subcommands = {
      InitCommand.class,
      ServeCommand.class,
      DelegateCommand.class,
      RenewTargetsCommand.class,
      StatusCommand.class,
      TokenCommand.class,
      GcCommand.class,
      MigrateCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Exit status: 0 success, 1 failure (reason on stderr), 2 bad command line."})
public final class RegistryMain implements Runnable {
  @Option(names = "--stacktrace", description = "Print the full stack trace of a failure.")
  boolean stacktrace;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(
        run(
            new PrintWriter(System.out, true, Charset.defaultCharset()),
            new PrintWriter(System.err, true, Charset.defaultCharset()),
            args));
  }

  /** Runs the command with {@code args}. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    RegistryMain main = new RegistryMain();
    CommandLine cli = new CommandLine(main);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine
              .getErr()
              .println("warder-registry: " + oneLine(ex).replaceAll("\\s*\\R\\s*", " "));
          if (main.stacktrace) {
            ex.printStackTrace(commandLine.getErr());
          }
          return 1;
        });
    cli.setParameterExceptionHandler(
        (ex, ignored) -> {
          CommandLine failed = ex.getCommandLine();
          String message = ex.getMessage() == null ? "bad command line" : ex.getMessage();
          failed.getErr().println("warder-registry: " + message.replaceAll("\\s*\\R\\s*", " "));
          failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
          return 2;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * A failure as one line that names what was wrong: a missing or unreadable file by its path and
   * what is wrong with it (Java's own message is only the path), else the failure's message.
   */
  static String oneLine(Throwable ex) {
    if (ex instanceof NoSuchFileException e) {
      return "no such file: "
          + e.getFile()
          + (e.getReason() == null ? "" : " (" + e.getReason() + ")");
    }
    if (ex instanceof AccessDeniedException e) {
      return "permission denied: " + e.getFile() + "; run as the user that owns it";
    }
    if (ex instanceof FileAlreadyExistsException e) {
      return "already exists: " + e.getFile();
    }
    return ex.getMessage() == null || ex.getMessage().isBlank()
        ? ex.getClass().getSimpleName()
        : ex.getMessage();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
