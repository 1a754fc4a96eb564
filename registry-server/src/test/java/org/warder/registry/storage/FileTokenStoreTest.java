package org.warder.registry.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@link TokenStoreContract} on {@code <data>/tokens.json}. */
class FileTokenStoreTest extends TokenStoreContract {
  @TempDir Path tmp;

  @Override
  protected TokenStore newStore() {
    return sameState();
  }

  @Override
  protected TokenStore sameState() {
    return new FileTokenStore(new RegistryLayout(tmp.resolve("data")), CLOCK);
  }
}
