package org.warder.client.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.warder.client.ClientException;
import org.warder.client.config.ClientConfig;
import org.warder.client.config.ClientDefaults;
import org.warder.client.config.ConfigFile;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.fetch.HttpSettings;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.ConsoleReporter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code warder} command: entry point, error reporting and exit codes. */
@Command(
    name = "warder",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Fetch, verify and run FreeBSD jail releases, plugins and templates from signed registries.",
      "",
      "Every file warder uses is checked against metadata signed by keys you trust (The Update"
          + " Framework), before it touches your host."
    },
    footer = {
      "",
      "Exit status: 0 success, 1 failure (reason on stderr), 2 bad command line, 77 needs root"
          + " (or a registry role) that warder was not given.",
      "",
      "Configuration: /usr/local/etc/warder.conf, or the file $WARDER_CONFIG names: 'key = value'"
          + " lines setting repository (for --repo), key (--key), token_file (--token-file),"
          + " root (--root) and retry_deadline (--retry-deadline). The command line wins over the environment (WARDER_REPO, WARDER_KEY,"
          + " WARDER_TOKEN, WARDER_ROOT), which wins over the file, which wins over the built-in"
          + " defaults."
    })
public final class WarderMain implements Runnable {
  @Option(
      names = "--stacktrace",
      description = "Print the full stack trace of a failure.",
      scope = CommandLine.ScopeType.INHERIT)
  boolean stacktrace;

  @Option(
      names = "--root",
      paramLabel = "DIR",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "warder's root directory (default: $WARDER_ROOT, root in warder.conf, or"
              + " /usr/local/warder).")
  Optional<Path> root = Optional.empty();

  @Option(
      names = {"-v", "--verbose"},
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print every host command before it runs.")
  boolean verbose;

  @Option(
      names = "--runtime",
      paramLabel = "freebsd|sandbox",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Jail runtime: freebsd (jail(8)) or sandbox (Linux bubblewrap); default: this host's.")
  Optional<String> runtime = Optional.empty();

  @Option(
      names = "--retry-deadline",
      paramLabel = "SECONDS",
      scope = CommandLine.ScopeType.INHERIT,
      converter = RetrySeconds.class,
      description =
          "How long a failed network request (a fetch, a refresh, an upload chunk) is retried,"
              + " with pauses that double up to 4 s, before the command gives up (default:"
              + " retry_deadline in warder.conf, or 60; a registry restarting is waited for).")
  Optional<Duration> retryDeadline = Optional.empty();

  /** Whole seconds from 1 to 999999, as retry_deadline in warder.conf. */
  static final class RetrySeconds implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      if (!value.matches("[1-9][0-9]{0,5}")) {
        throw new CommandLine.TypeConversionException(
            "expected a whole number of seconds from 1 to 999999, found '" + value + "'");
      }
      return Duration.ofSeconds(Long.parseLong(value));
    }
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private Map<String, String> env = Map.of();
  private Operator operator = Operator.system();
  private @Nullable Context context;

  public static void main(String[] args) {
    System.exit(
        run(
            new PrintWriter(System.out, true, Charset.defaultCharset()),
            new PrintWriter(System.err, true, Charset.defaultCharset()),
            System.getenv(),
            args));
  }

  /** Runs {@code warder} with {@code args} in the process environment. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, System.getenv(), args);
  }

  /** Runs {@code warder} with {@code args} and environment {@code env}. */
  public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
    return run(out, err, env, Operator.system(), args);
  }

  /**
   * Runs {@code warder} with {@code args} and environment {@code env} for {@code operator}: a
   * command that needs root is refused up front (exit {@link ExitCodes#NO_PERMISSION}) when the
   * operator is not root.
   */
  public static int run(
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      Operator operator,
      String... args) {
    WarderMain main = new WarderMain();
    main.env = env;
    main.operator = operator;
    CommandLine cli = CommandTree.forArguments(new CommandLine(main), args);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          ExitCodes.Failure failure = ExitCodes.of(ex);
          commandLine.getErr().println(failure.prefix() + oneLine(ex));
          if (main.stacktrace) {
            ex.printStackTrace(commandLine.getErr());
          }
          return failure.code();
        });
    cli.setExecutionStrategy(
        parsed -> {
          if (!helpRequested(parsed)) {
            try {
              main.checkPrivileges(parsed);
            } catch (ClientException | IOException | InterruptedException e) {
              ExitCodes.Failure failure = ExitCodes.of(e);
              err.println(failure.prefix() + oneLine(e));
              return failure.code();
            }
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    cli.setParameterExceptionHandler(
        (ex, args2) -> {
          CommandLine failed = ex.getCommandLine();
          ExitCodes.Failure failure = ExitCodes.usage(isTuf(failed));
          failed.getErr().println(failure.prefix() + CloseMatches.explain(ex));
          failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
          return failure.code();
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** warder's whole command tree, every command in it: for man pages and completion. */
  public static CommandLine commandLine() {
    return CommandTree.whole(new CommandLine(new WarderMain()));
  }

  private static boolean helpRequested(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses a command that needs root when the operator is not ({@link RootNeeds}); warns that
   * {@code list} cannot see which jails run without root.
   */
  private void checkPrivileges(CommandLine.ParseResult parsed)
      throws ClientException, IOException, InterruptedException {
    RootNeeds.check(parsed, context(spec).layout, operator);
    CommandLine.ParseResult sub = parsed.subcommand();
    if (sub != null
        && sub.commandSpec().name().equals("list")
        && List.of("-r", "-t", "-R").stream().noneMatch(sub::hasMatchedOption)
        && !operator.root()) {
      sub.commandSpec()
          .commandLine()
          .getErr()
          .println(
              "warder: note: not root, so whether the jails run is unknown (STATE"
                  + " \"unknown\"); run 'sudo warder list' to see it");
    }
  }

  private static boolean isTuf(CommandLine cli) {
    for (CommandLine c = cli; c != null; c = c.getParent()) {
      if (c.getCommand() instanceof TufCommand) {
        return true;
      }
    }
    return false;
  }

  /** The failure as one line: its message, or its type when it has none. */
  static String oneLine(Throwable ex) {
    if (ex instanceof java.nio.file.NoSuchFileException e) {
      return "no such file: " + e.getFile();
    }
    if (ex instanceof java.nio.file.AccessDeniedException e) {
      return "permission denied: " + e.getFile();
    }
    String message = ex.getMessage();
    if (message == null || message.isBlank()) {
      message = ex.getClass().getSimpleName();
    }
    return message.replaceAll("\\s*\\R\\s*", " ");
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * The network settings of {@code warder tuf} (from any subcommand's spec), which reads no
   * configuration file: the defaults, with {@code --retry-deadline} if given.
   */
  static HttpSettings tufHttp(CommandLine.Model.CommandSpec anySpec) {
    WarderMain main = (WarderMain) anySpec.root().userObject();
    return new ClientDefaults(Map.of(), ClientConfig.none()).http(main.retryDeadline);
  }

  /** Who runs this invocation (from any subcommand's spec): root or not, their terminal. */
  static Operator operator(CommandLine.Model.CommandSpec anySpec) {
    return ((WarderMain) anySpec.root().userObject()).operator;
  }

  /**
   * The context of this invocation (from any subcommand's spec), its defaults read from the
   * configuration file; a file that cannot be read or is wrong fails the command.
   */
  static Context context(CommandLine.Model.CommandSpec anySpec) throws ClientException {
    WarderMain main = (WarderMain) anySpec.root().userObject();
    if (main.context == null) {
      CommandLine cli = anySpec.root().commandLine();
      ClientDefaults defaults =
          new ClientDefaults(main.env, ConfigFile.load(main.env, ConfigFile.DEFAULT));
      main.context =
          new Context(
              new HostLayout(defaults.root(main.root)),
              defaults,
              cli.getOut(),
              cli.getErr(),
              main.env,
              main.verbose,
              main.runtime,
              defaults.http(main.retryDeadline),
              Clock.systemUTC(),
              new ProcessCommandRunner(new ConsoleReporter(cli.getErr()), main.verbose));
    }
    return main.context;
  }
}
