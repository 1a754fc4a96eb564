package org.warder.registry.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.WrongPassphraseException;

/**
 * The online keys decrypted with the data directory's passphrase file or a secret given instead.
 */
class OnlineKeysTest {
  @TempDir Path tmp;

  @Test
  void secret_replacesThePassphraseFile() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp.resolve("registry"));
    OnlineKeys fromFile = OnlineKeys.read(registry.layout, Optional.empty());
    String secret = Files.readString(registry.layout.onlinePassphrase()).strip();
    Files.delete(registry.layout.onlinePassphrase());

    OnlineKeys fromSecret = OnlineKeys.read(registry.layout, Optional.of(secret));
    assertThat(fromSecret.snapshot().publicKey()).isEqualTo(fromFile.snapshot().publicKey());
    assertThat(fromSecret.timestamp().publicKey()).isEqualTo(fromFile.timestamp().publicKey());
  }

  @Test
  void neitherFileNorSecret_refusedNamingBoth() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp.resolve("registry"));
    Files.delete(registry.layout.onlinePassphrase());

    assertThatThrownBy(() -> OnlineKeys.read(registry.layout, Optional.empty()))
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining(registry.layout.onlinePassphrase().toString())
        .hasMessageContaining("$WARDER_REGISTRY_ONLINE_PASSPHRASE");
  }

  @Test
  void wrongSecret_refusedWithoutEchoingIt() throws Exception {
    TestRegistry registry = TestRegistry.create(tmp.resolve("registry"));

    assertThatThrownBy(
            () -> OnlineKeys.read(registry.layout, Optional.of("not-the-passphrase-4711")))
        .isInstanceOf(WrongPassphraseException.class)
        .hasMessageContaining("wrong passphrase")
        .hasMessageNotContaining("not-the-passphrase-4711");
  }
}
