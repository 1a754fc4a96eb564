package org.warder.registry.http;

import java.util.HashMap;
import java.util.Map;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;
import org.warder.registry.storage.TokenStore;

/**
 * How many API requests run at once, in all and with each token. A request over either limit is
 * refused at once ({@code BUSY}), before its body is read, so that publishers sending slowly can
 * take only these threads, never the ones reads are served by. Thread-safe.
 */
final class ApiAdmission {
  private final int total;
  private final int perToken;
  private final Map<String, Integer> byToken = new HashMap<>();
  private int running;

  ApiAdmission(int total, int perToken) {
    this.total = total;
    this.perToken = perToken;
  }

  /** A place taken; closing it gives it back. */
  interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /** Takes a place for a request with {@code token}, or refuses it. */
  synchronized Slot admit(TokenStore.Token token) throws RegistryException {
    if (running >= total) {
      throw new RegistryException(
          ErrorCode.BUSY,
          "the registry already serves "
              + total
              + " API requests, as many as it takes at once; retry in "
              + ApiResponses.RETRY_AFTER_SECONDS
              + " s",
          Map.of("limit", total));
    }
    int mine = byToken.getOrDefault(token.id(), 0);
    if (mine >= perToken) {
      throw new RegistryException(
          ErrorCode.BUSY,
          "token "
              + token.id()
              + " already has "
              + perToken
              + " API requests running, as many as one token may;"
              + " wait for one to finish",
          Map.of("limit", perToken, "token", token.id()));
    }
    running++;
    byToken.put(token.id(), mine + 1);
    return () -> release(token.id());
  }

  private synchronized void release(String tokenId) {
    running--;
    byToken.computeIfPresent(tokenId, (id, n) -> n == 1 ? null : n - 1);
  }
}
