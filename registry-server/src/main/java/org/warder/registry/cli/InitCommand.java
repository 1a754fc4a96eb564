package org.warder.registry.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.storage.RegistryLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warder-registry init}: keys and version-1 metadata of a new repository. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Create the keys and the version-1 signed metadata of a new registry.",
      "Root and targets keys are encrypted with your passphrase: move them offline afterwards."
    })
final class InitCommand implements Callable<Integer> {
  @Mixin DataOption data;

  @Mixin ConfigOption config;

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description =
          "Read the offline keys' passphrase from the first line of FILE instead of asking.")
  Optional<Path> passphraseFile = Optional.empty();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RegistryLayout layout = data.layout();
    char[] passphrase = Passphrases.read(passphraseFile, "offline root and targets");
    RegistryRepository.Initialised init =
        RegistryRepository.initialise(
            layout, config.storage().open(layout), passphrase, Clock.systemUTC());
    java.util.Arrays.fill(passphrase, '\0');
    report(spec.commandLine().getOut(), layout, init);
    return 0;
  }

  static void report(PrintWriter out, RegistryLayout layout, RegistryRepository.Initialised init) {
    out.println("Created a signed registry in " + layout.data());
    out.println("  root metadata:  " + init.rootFile());
    out.println("  sha256 of 1.root.json: " + init.rootSha256());
    out.println();
    out.println(
        "WARNING: the root and targets keys in " + layout.keys() + " can sign anything for");
    out.println("this registry. Copy them to offline storage and remove them from this host.");
    out.println();
    out.println("Clients trust this registry with:");
    out.println("  warder repo add NAME http://HOST:PORT/ --root-sha256 " + init.rootSha256());
  }
}
