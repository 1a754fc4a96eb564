package org.warder.registry.postgres;

import java.io.IOException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.TokenStoreContract;
import org.warder.registry.testing.PostgresDatabase;

/** The {@link TokenStoreContract} on the {@code token} table of a real PostgreSQL. */
class PostgresTokenStoreTest extends TokenStoreContract {
  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();

  @Override
  protected TokenStore newStore() throws Exception {
    return sameState();
  }

  @Override
  protected TokenStore sameState() throws IOException {
    Database database = postgres.open();
    return new PostgresTokenStore(database, CLOCK);
  }
}
