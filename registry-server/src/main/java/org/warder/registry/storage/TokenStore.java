package org.warder.registry.storage;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the registry keeps its publisher tokens: {@link FileTokenStore} in the data directory (the
 * single-process default), or a table in PostgreSQL shared by every node. A token is {@code
 * wrd_<id>_<secret>} ({@link TokenText}); a store keeps only the sha256 of the whole token, with
 * the id, the publisher, the roles it may publish, its upload limits and when it was created.
 * Tokens created or revoked by the CLI apply to running servers at once. Implementations are
 * thread-safe.
 */
public interface TokenStore {

  /**
   * What one token may hold on the registry before it publishes.
   *
   * @param maxSessions upload sessions open at once
   * @param maxPendingBytes bytes in its open sessions plus blobs it committed that no retained
   *     metadata references yet (they become free once published, or when gc deletes them)
   * @param maxBlobSize the largest blob it may upload (the server's own limit applies too)
   */
  record Limits(int maxSessions, long maxPendingBytes, long maxBlobSize) {
    /**
     * 8 sessions (a publish uploads its blobs one after another), 64 GiB pending and per blob (the
     * server's default blob limit: a release tarball or a jail bundle fits).
     */
    public static final Limits DEFAULTS = new Limits(8, 64L << 30, 64L << 30);

    public Limits {
      if (maxSessions < 1 || maxPendingBytes < 1 || maxBlobSize < 1) {
        throw new IllegalArgumentException(
            "limits must be positive, found "
                + maxSessions
                + " sessions, "
                + maxPendingBytes
                + " pending bytes, "
                + maxBlobSize
                + " bytes per blob");
      }
    }
  }

  /** A token as listed: never its secret. */
  record Token(String id, String publisher, List<String> roles, Instant created, Limits limits) {
    public Token {
      roles = List.copyOf(roles);
    }

    /** Whether this token may publish {@code role}. */
    public boolean mayPublish(String role) {
      return roles.contains(role);
    }
  }

  /** A new token: {@code secret} is the full token text, shown once and stored nowhere. */
  record Created(String secret, Token token) {}

  /**
   * Creates a token for {@code publisher} that may publish {@code roles}, with the default limits.
   */
  default Created create(String publisher, List<String> roles) throws IOException {
    return create(publisher, roles, Limits.DEFAULTS);
  }

  /** Creates a token for {@code publisher} that may publish {@code roles} within {@code limits}. */
  Created create(String publisher, List<String> roles, Limits limits) throws IOException;

  /** Every token, oldest first. */
  List<Token> list() throws IOException;

  /** Revokes token {@code id}; returns whether it existed. */
  boolean revoke(String id) throws IOException;

  /** The token {@code presented} is, if it is a valid, unrevoked token. */
  Optional<Token> authenticate(String presented) throws IOException;

  /** Whether {@code id} looks like a token id. */
  static boolean isId(String id) {
    return TokenText.isId(id);
  }
}
