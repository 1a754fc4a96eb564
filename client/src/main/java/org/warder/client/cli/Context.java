package org.warder.client.cli;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.warder.client.ClientException;
import org.warder.client.archive.TarExtractor;
import org.warder.client.bundle.JailExporter;
import org.warder.client.bundle.JailImporter;
import org.warder.client.bundle.iocage.IocageExporter;
import org.warder.client.bundle.iocage.IocageImporter;
import org.warder.client.config.ClientDefaults;
import org.warder.client.config.ConfigFile;
import org.warder.client.exec.CommandRunner;
import org.warder.client.fetch.HttpSettings;
import org.warder.client.fetch.OkHttpFetcher;
import org.warder.client.host.HostOs;
import org.warder.client.jail.JailStore;
import org.warder.client.jail.Jails;
import org.warder.client.keys.PublisherKeys;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.ConsoleProgress;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.progress.ProgressListener;
import org.warder.client.publish.Destination;
import org.warder.client.publish.RegistryClient;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.client.runtime.BubblewrapRuntime;
import org.warder.client.runtime.FreeBsdJailRuntime;
import org.warder.client.runtime.HostNetns;
import org.warder.client.runtime.JailRuntime;
import org.warder.client.runtime.ProcessTable;
import org.warder.client.storage.HostSettings;
import org.warder.client.storage.Storage;
import org.warder.client.team.BundleSync;
import org.warder.client.team.RemoteBundles;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.PrivateFiles;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.Fetcher;

/**
 * What every command works with: the host layout, output streams, environment, the host command
 * runner and the network. Built once per invocation from the global options.
 */
final class Context {
  final HostLayout layout;
  final ClientDefaults defaults;
  final PrintWriter out;
  final PrintWriter err;
  final Map<String, String> env;
  final boolean verbose;
  final Clock clock;
  private final CommandRunner runner;
  private @Nullable Fetcher fetcher;
  private final HttpSettings http;

  private final Optional<String> runtimeChoice;

  Context(
      HostLayout layout,
      ClientDefaults defaults,
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      boolean verbose,
      Optional<String> runtimeChoice,
      HttpSettings http,
      Clock clock,
      CommandRunner runner) {
    this.runtimeChoice = runtimeChoice;
    this.clock = clock;
    this.layout = layout;
    this.defaults = defaults;
    this.out = out;
    this.err = err;
    this.env = env;
    this.verbose = verbose;
    this.runner = runner;
    this.http = http;
  }

  CommandRunner runner() {
    return runner;
  }

  /**
   * The network, its HTTP client made on first use: commands that stay offline never pay for it.
   */
  synchronized Fetcher fetcher() {
    if (fetcher == null) {
      fetcher = new OkHttpFetcher(http, "warder/" + VersionProvider.version());
    }
    return fetcher;
  }

  Repositories repositories() {
    return new Repositories(layout, fetcher(), clock);
  }

  /**
   * The repository {@code option} names, else {@code $WARDER_REPO}, else warder.conf's; empty when
   * none does (the only configured repository is then used where one is needed).
   */
  Optional<String> repository(Optional<String> option) {
    return defaults.repository(option);
  }

  /**
   * The repository {@code what} publishes to: as {@link #repository}, but never guessed, since
   * publishing writes.
   */
  String publishingRepository(Optional<String> option, String what) throws ClientException {
    return repository(option)
        .orElseThrow(
            () ->
                new ClientException(
                    ClientException.Reason.INVALID_INPUT,
                    what
                        + " needs a registry: pass --repo NAME, set WARDER_REPO, or set"
                        + " 'repository = NAME' in "
                        + ConfigFile.DEFAULT
                        + " (or the file $WARDER_CONFIG names); see 'warder repo list'"));
  }

  Storage storage() throws IOException {
    return HostSettings.load(layout).open(layout, runner);
  }

  /**
   * jail(8) on FreeBSD, the bubblewrap sandbox elsewhere, unless --runtime says otherwise; the
   * sandbox's jails network in the namespace {@code WARDER_NETNS} names, if set.
   */
  JailRuntime runtime() {
    boolean freebsd =
        runtimeChoice.map(r -> r.equals("freebsd")).orElse(HostOs.current() == HostOs.FREEBSD);
    return freebsd
        ? new FreeBsdJailRuntime(runner, layout.root())
        : new BubblewrapRuntime(
            runner, new ProcessTable(), layout.root(), HostNetns.fromEnvironment(env));
  }

  Jails jails() throws IOException {
    return new Jails(layout, storage(), runtime(), clock, new ConsoleReporter(out));
  }

  /** Exports jails and templates of this host. */
  JailExporter exporter() throws IOException {
    return new JailExporter(
        layout, storage(), jails(), runner, HostOs.current(), clock, new ConsoleReporter(err));
  }

  /** Imports bundles into this host. */
  JailImporter importer() throws IOException {
    return new JailImporter(
        layout, storage(), jails(), TarExtractor.withDefaults(), new ConsoleReporter(err));
  }

  /** Pushes and pulls jails and templates through registries. */
  BundleSync bundleSync() throws IOException {
    return new BundleSync(
        layout, storage(), new JailStore(layout), exporter(), importer(), new ConsoleReporter(out));
  }

  /** The team bundles repository {@code config} publishes. */
  RemoteBundles remoteBundles(RepoConfig config) throws IOException, ClientException {
    return new RemoteBundles(
        repositories().updater(config), config.targetUrls(), new ConsoleReporter(err));
  }

  /**
   * Publishing to {@code config} with key {@code key} (else the configured one) and the token of
   * {@code tokenFile} (else the environment's or the configured file's).
   */
  Destination destination(
      RepoConfig config,
      Optional<String> key,
      Optional<Path> passphraseFile,
      Optional<Path> tokenFile)
      throws IOException, SigningException, ClientException {
    Ed25519SigningKey signer = signingKey(defaults.key(key), passphraseFile);
    return new Destination(
        repositories().updater(config),
        config.targetUrls(),
        new RegistryClient(config.url(), token(tokenFile), http, new ConsoleReporter(err)),
        signer,
        progress());
  }

  /** Exports jails as iocage export zips. */
  IocageExporter iocageExporter() throws IOException {
    return new IocageExporter(layout, storage(), jails(), clock, new ConsoleReporter(err));
  }

  /** Imports iocage export zips into this host. */
  IocageImporter iocageImporter() throws IOException {
    return new IocageImporter(storage(), jails(), clock, new ConsoleReporter(err));
  }

  /** The raw standard input, for {@code import -}. */
  InputStream stdin() {
    return System.in;
  }

  /** The raw standard output, for {@code export -o -}; its text goes to stderr then. */
  OutputStream stdout() {
    return new FileOutputStream(FileDescriptor.out);
  }

  PublisherKeys keys() {
    return new PublisherKeys(PublisherKeys.defaultDir(env));
  }

  /** Progress on stderr: a live bar on a terminal, plain lines otherwise. */
  ProgressListener progress() {
    return new ConsoleProgress(err, System.console() != null && env.get("CI") == null);
  }

  /**
   * A passphrase: from {@code file}, else {@code $WARDER_PASSPHRASE_FILE} (either refused when
   * others can read it), else asked on the terminal ({@code confirm}: asked twice).
   */
  char[] passphrase(Optional<Path> file, String what, boolean confirm) throws IOException {
    Optional<Path> source =
        file.or(() -> Optional.ofNullable(env.get("WARDER_PASSPHRASE_FILE")).map(Path::of));
    if (source.isPresent()) {
      return PrivateFiles.readFirstLine(source.get(), "passphrase file");
    }
    Console console = System.console();
    if (console == null) {
      throw new IOException(
          "no terminal to ask for the passphrase of " + what + "; pass --passphrase-file FILE");
    }
    char[] pass = console.readPassword("Passphrase for %s: ", what);
    if (confirm) {
      char[] again = console.readPassword("Same passphrase again: ");
      if (pass == null || pass.length == 0 || !java.util.Arrays.equals(pass, again)) {
        throw new IOException("the passphrases were empty or differed; nothing was written");
      }
    }
    return pass;
  }

  /**
   * Publisher key {@code name}, decrypted with the passphrase from {@code file}, the environment or
   * the terminal.
   */
  Ed25519SigningKey signingKey(String name, Optional<Path> passphraseFile)
      throws IOException, SigningException {
    char[] pass = passphrase(passphraseFile, "key " + name, false);
    try {
      return keys().load(name, pass);
    } finally {
      java.util.Arrays.fill(pass, '\0');
    }
  }

  /**
   * A publishing token: from {@code file} (refused when others can read it), else {@code
   * $WARDER_TOKEN}, else the file warder.conf's {@code token_file} names.
   */
  String token(Optional<Path> file) throws IOException {
    Optional<Path> tokenFile = defaults.tokenFile(file);
    if (tokenFile.isPresent()) {
      return new String(PrivateFiles.readFirstLine(tokenFile.get(), "token file")).strip();
    }
    String token = env.get("WARDER_TOKEN");
    if (token == null || token.isBlank()) {
      throw new IOException(
          "publishing needs a token: pass --token-file FILE, set WARDER_TOKEN, or set"
              + " 'token_file = FILE' in "
              + ConfigFile.DEFAULT
              + " (the registry administrator creates one with 'warder-registry token create')");
    }
    return token.strip();
  }
}
