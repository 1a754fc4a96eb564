package org.warder.registry.postgres;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.TokenStoreContract;
import org.warder.registry.testing.PostgresServer;

/** The {@link TokenStoreContract} on the {@code token} table of a real PostgreSQL. */
class PostgresTokenStoreTest extends TokenStoreContract {
  private static PostgresServer postgres;
  private String url = "";

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = PostgresServer.shared();
  }

  @Override
  protected TokenStore newStore() throws Exception {
    url = postgres.newDatabase();
    return sameState();
  }

  @Override
  protected TokenStore sameState() throws IOException {
    Database database =
        Database.open(url, Optional.of(postgres.user()), Optional.of(postgres.password()));
    return new PostgresTokenStore(database, CLOCK);
  }
}
