package org.warder.registry.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.shared.SharedState;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.KeyFiles;
import picocli.CommandLine.Option;

/**
 * What the owner's commands that sign the top-level targets share: open the repository as its
 * storage and shared state say, decrypt the offline targets key, then make the change.
 */
final class OfflineTargetsKey {
  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description =
          "Read the offline targets key's passphrase from the first line of FILE instead of asking.")
  Optional<Path> passphraseFile = Optional.empty();

  /** A change of the repository signed with the targets key. */
  @FunctionalInterface
  interface Change<T> {
    T apply(RegistryRepository repository, Ed25519SigningKey targetsKey) throws Exception;
  }

  /** Runs {@code change}, the key's passphrase from {@code --passphrase-file} or asked. */
  <T> T sign(
      DataOption data,
      DatabaseOption database,
      ConfigOption config,
      PrintWriter err,
      Change<T> change)
      throws Exception {
    RegistryLayout layout = data.layout();
    Clock clock = Clock.systemUTC();
    try (SharedState state = database.sharedState(layout, clock, err, config.database())) {
      RegistryRepository repository =
          RegistryRepository.open(
              layout,
              config.storage().open(layout),
              clock,
              state.coordination(),
              config.onlineSecret());
      char[] passphrase = Passphrases.readOnce(passphraseFile, "offline targets");
      Ed25519SigningKey targetsKey;
      try {
        targetsKey = KeyFiles.read(layout.key("targets"), passphrase);
      } finally {
        Arrays.fill(passphrase, '\0');
      }
      return change.apply(repository, targetsKey);
    }
  }
}
