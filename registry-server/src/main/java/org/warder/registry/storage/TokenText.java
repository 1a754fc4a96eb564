package org.warder.registry.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.warder.signing.Digests;

/**
 * The text of a publisher token, {@code wrd_<id>_<secret>}: a 48-bit public id and a 256-bit random
 * secret. Stores keep its sha256 only and compare digests in constant time. Shared by every {@link
 * TokenStore}.
 */
public final class TokenText {
  private static final Pattern TOKEN = Pattern.compile("wrd_([0-9a-f]{12})_([0-9a-f]{64})");
  private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private TokenText() {}

  /** A token just made: its text (shown once), what a store lists, and what it keeps. */
  @SuppressWarnings("ArrayRecordComponent") // compared by MessageDigest.isEqual, never by equals
  public record Issued(TokenStore.Created created, byte[] sha256) {
    public TokenStore.Token token() {
      return created.token();
    }
  }

  /** A new random token for {@code publisher}, created {@code now} (to the second). */
  public static Issued issue(
      String publisher, List<String> roles, TokenStore.Limits limits, Instant now) {
    byte[] idBytes = new byte[6];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(idBytes);
    RANDOM.nextBytes(secret);
    String id = HexFormat.of().formatHex(idBytes);
    String text = "wrd_" + id + "_" + HexFormat.of().formatHex(secret);
    TokenStore.Token token =
        new TokenStore.Token(id, publisher, roles, now.truncatedTo(ChronoUnit.SECONDS), limits);
    return new Issued(new TokenStore.Created(text, token), sha256(text));
  }

  /** The id of {@code presented}, when it has the form of a token. */
  public static Optional<String> idOf(String presented) {
    Matcher m = TOKEN.matcher(presented);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Whether {@code presented} hashes to {@code sha256} (in constant time). */
  public static boolean matches(String presented, byte[] sha256) {
    return MessageDigest.isEqual(sha256(presented), sha256);
  }

  static boolean isId(String id) {
    return ID.matcher(id).matches();
  }

  private static byte[] sha256(String text) {
    return Digests.newDigest("sha256").digest(text.getBytes(StandardCharsets.US_ASCII));
  }
}
