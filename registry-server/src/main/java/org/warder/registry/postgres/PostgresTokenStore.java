package org.warder.registry.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.TokenText;

/**
 * Publisher tokens in the {@code token} table, shared by every node: a token created or revoked on
 * one node applies to all at once (each authentication reads the table). Thread-safe.
 */
public final class PostgresTokenStore implements TokenStore {
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String COLUMNS =
      "id, publisher, roles, created, max_sessions, max_pending_bytes, max_blob_size, sha256";

  private final Database database;
  private final Clock clock;

  public PostgresTokenStore(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public Created create(String publisher, List<String> roles, Limits limits) throws IOException {
    TokenText.Issued issued = TokenText.issue(publisher, roles, limits, clock.instant());
    Token token = issued.token();
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO token (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, token.id());
      s.setString(2, token.publisher());
      s.setArray(3, c.createArrayOf("text", token.roles().toArray()));
      s.setObject(4, OffsetDateTime.ofInstant(token.created(), ZoneOffset.UTC));
      s.setInt(5, limits.maxSessions());
      s.setLong(6, limits.maxPendingBytes());
      s.setLong(7, limits.maxBlobSize());
      s.setBytes(8, issued.sha256());
      s.executeUpdate();
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw new IOException("token id collision (1 in 2^48): run the command again", e);
      }
      throw database.failure("store a token in", e);
    }
    return issued.created();
  }

  @Override
  public List<Token> list() throws IOException {
    try (Connection c = database.connect();
        PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM token ORDER BY seq");
        ResultSet rows = s.executeQuery()) {
      List<Token> tokens = new ArrayList<>();
      while (rows.next()) {
        tokens.add(token(rows));
      }
      return tokens;
    } catch (SQLException e) {
      throw database.failure("list the tokens of", e);
    }
  }

  @Override
  public boolean revoke(String id) throws IOException {
    try (Connection c = database.connect();
        PreparedStatement s = c.prepareStatement("DELETE FROM token WHERE id = ?")) {
      s.setString(1, id);
      return s.executeUpdate() > 0;
    } catch (SQLException e) {
      throw database.failure("revoke a token in", e);
    }
  }

  @Override
  public Optional<Token> authenticate(String presented) throws IOException {
    Optional<String> id = TokenText.idOf(presented);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement("SELECT " + COLUMNS + " FROM token WHERE id = ?")) {
      s.setString(1, id.get());
      try (ResultSet rows = s.executeQuery()) {
        if (rows.next() && TokenText.matches(presented, rows.getBytes("sha256"))) {
          return Optional.of(token(rows));
        }
        return Optional.empty();
      }
    } catch (SQLException e) {
      throw database.failure("authenticate a token with", e);
    }
  }

  private static Token token(ResultSet row) throws SQLException {
    String[] roles = (String[]) row.getArray("roles").getArray();
    return new Token(
        row.getString("id"),
        row.getString("publisher"),
        List.of(roles),
        row.getObject("created", OffsetDateTime.class).toInstant(),
        new Limits(
            row.getInt("max_sessions"),
            row.getLong("max_pending_bytes"),
            row.getLong("max_blob_size")));
  }
}
