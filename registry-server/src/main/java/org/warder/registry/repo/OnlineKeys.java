package org.warder.registry.repo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.warder.registry.storage.RegistryLayout;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.KeyFiles;
import org.warder.signing.PrivateFiles;
import org.warder.signing.SigningException;

/**
 * The online keys the registry signs snapshot and timestamp with: their encrypted files in the data
 * directory's {@code keys/}, decrypted with the passphrase of {@code keys/online.passphrase}, or
 * with a passphrase given as a secret (an environment variable a secret store injects), so that a
 * node's disk holds only encrypted keys. Never read from the store (the bucket).
 *
 * @param snapshot the snapshot role's key
 * @param timestamp the timestamp role's key
 */
public record OnlineKeys(Ed25519SigningKey snapshot, Ed25519SigningKey timestamp) {
  /**
   * Decrypts the key files of {@code layout} with {@code secret} when given, else with the
   * passphrase file beside them.
   */
  public static OnlineKeys read(RegistryLayout layout, Optional<String> secret)
      throws IOException, SigningException {
    char[] passphrase;
    if (secret.isPresent()) {
      passphrase = secret.get().toCharArray();
    } else if (Files.exists(layout.onlinePassphrase(), LinkOption.NOFOLLOW_LINKS)) {
      passphrase =
          PrivateFiles.readFirstLine(layout.onlinePassphrase(), "online keys' passphrase file");
    } else {
      throw new NoSuchFileException(
          layout.onlinePassphrase().toString(),
          null,
          "no passphrase for the online keys: expected this file, or the passphrase as a secret in"
              + " $WARDER_REGISTRY_ONLINE_PASSPHRASE");
    }
    return new OnlineKeys(
        KeyFiles.read(layout.key("snapshot"), passphrase),
        KeyFiles.read(layout.key("timestamp"), passphrase));
  }
}
