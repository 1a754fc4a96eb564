package org.warder.registry.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Digests;
import org.warder.signing.MalformedJsonException;
import org.warder.signing.StrictJson;

/**
 * Publisher tokens in {@code <data>/tokens.json} (mode 0600, written atomically under the data
 * lock). A token is {@code wrd_<id>_<secret>}: a 48-bit public id and a 256-bit random secret,
 * shown once when created; the file keeps only the sha256 of the whole token, with the id, the
 * publisher, the roles it may publish, its upload limits and when it was created. Authentication
 * compares digests in constant time. The file is re-read when it changes, so tokens created or
 * revoked by the CLI apply to a running server at once. Thread-safe.
 */
public final class TokenStore {
  private static final Pattern TOKEN = Pattern.compile("wrd_([0-9a-f]{12})_([0-9a-f]{64})");
  private static final Pattern ID = Pattern.compile("[0-9a-f]{12}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RegistryLayout layout;
  private final Clock clock;
  private Cached cached = new Cached(null, List.of());

  /**
   * What one token may hold on the registry before it publishes.
   *
   * @param maxSessions upload sessions open at once
   * @param maxPendingBytes bytes in its open sessions plus blobs it committed that no retained
   *     metadata references yet (they become free once published, or when gc deletes them)
   * @param maxBlobSize the largest blob it may upload (the server's own limit applies too)
   */
  public record Limits(int maxSessions, long maxPendingBytes, long maxBlobSize) {
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
  public record Token(
      String id, String publisher, List<String> roles, Instant created, Limits limits) {
    public Token {
      roles = List.copyOf(roles);
    }

    /** Whether this token may publish {@code role}. */
    public boolean mayPublish(String role) {
      return roles.contains(role);
    }
  }

  /** A new token: {@code secret} is the full token text, shown once and stored nowhere. */
  public record Created(String secret, Token token) {}

  @SuppressWarnings("ArrayRecordComponent") // compared by MessageDigest.isEqual, never by equals
  private record Entry(Token token, byte[] sha256) {}

  private record Cached(Object version, List<Entry> entries) {}

  public TokenStore(RegistryLayout layout, Clock clock) {
    this.layout = layout;
    this.clock = clock;
  }

  /**
   * Creates a token for {@code publisher} that may publish {@code roles}, with the default limits.
   */
  public Created create(String publisher, List<String> roles) throws IOException {
    return create(publisher, roles, Limits.DEFAULTS);
  }

  /** Creates a token for {@code publisher} that may publish {@code roles} within {@code limits}. */
  public Created create(String publisher, List<String> roles, Limits limits) throws IOException {
    byte[] idBytes = new byte[6];
    byte[] secret = new byte[32];
    RANDOM.nextBytes(idBytes);
    RANDOM.nextBytes(secret);
    String id = HexFormat.of().formatHex(idBytes);
    String text = "wrd_" + id + "_" + HexFormat.of().formatHex(secret);
    Token token =
        new Token(id, publisher, roles, clock.instant().truncatedTo(ChronoUnit.SECONDS), limits);
    DataLock.Held lock = DataLock.acquire(layout);
    try (lock) {
      List<Entry> entries = new ArrayList<>(read());
      if (entries.stream().anyMatch(e -> e.token().id().equals(id))) {
        throw new IOException("token id collision (1 in 2^48): run the command again");
      }
      entries.add(new Entry(token, sha256(text)));
      write(entries);
    }
    return new Created(text, token);
  }

  /** Every token, oldest first. */
  public List<Token> list() throws IOException {
    return read().stream().map(Entry::token).toList();
  }

  /** Revokes token {@code id}; returns whether it existed. */
  public boolean revoke(String id) throws IOException {
    DataLock.Held lock = DataLock.acquire(layout);
    try (lock) {
      List<Entry> entries = new ArrayList<>(read());
      boolean removed = entries.removeIf(e -> e.token().id().equals(id));
      if (removed) {
        write(entries);
      }
      return removed;
    }
  }

  /** The token {@code presented} is, if it is a valid, unrevoked token. */
  public Optional<Token> authenticate(String presented) throws IOException {
    Matcher m = TOKEN.matcher(presented);
    if (!m.matches()) {
      return Optional.empty();
    }
    byte[] digest = sha256(presented);
    for (Entry e : current()) {
      if (e.token().id().equals(m.group(1)) && MessageDigest.isEqual(digest, e.sha256())) {
        return Optional.of(e.token());
      }
    }
    return Optional.empty();
  }

  /** Whether {@code id} looks like a token id. */
  public static boolean isId(String id) {
    return ID.matcher(id).matches();
  }

  private synchronized List<Entry> current() throws IOException {
    Object version;
    try {
      BasicFileAttributes a = Files.readAttributes(layout.tokens(), BasicFileAttributes.class);
      version = List.of(Objects.toString(a.fileKey()), a.lastModifiedTime().toMillis(), a.size());
    } catch (NoSuchFileException e) {
      version = "absent";
    }
    if (!version.equals(cached.version())) {
      cached = new Cached(version, read());
    }
    return cached.entries();
  }

  private List<Entry> read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(layout.tokens());
    } catch (NoSuchFileException e) {
      return List.of();
    }
    try {
      JsonNode root = StrictJson.parseObject(bytes);
      List<Entry> out = new ArrayList<>();
      for (JsonNode t : root.path("tokens")) {
        List<String> roles = new ArrayList<>();
        t.path("roles").forEach(r -> roles.add(r.asText()));
        JsonNode l = t.path("limits");
        Limits limits =
            l.isMissingNode()
                ? Limits.DEFAULTS
                : new Limits(
                    l.path("max_sessions").asInt(),
                    l.path("max_pending_bytes").asLong(),
                    l.path("max_blob_size").asLong());
        Token token =
            new Token(
                t.path("id").asText(),
                t.path("publisher").asText(),
                roles,
                Instant.parse(t.path("created").asText()),
                limits);
        out.add(new Entry(token, HexFormat.of().parseHex(t.path("sha256").asText())));
      }
      return out;
    } catch (MalformedJsonException | RuntimeException e) {
      throw new IOException(
          layout.tokens()
              + " is damaged ("
              + e.getMessage()
              + "); restore it from a backup or delete it"
              + " and create the tokens again",
          e);
    }
  }

  private void write(List<Entry> entries) throws IOException {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    ArrayNode tokens = root.putArray("tokens");
    for (Entry e : entries) {
      ObjectNode t = tokens.addObject();
      t.put("id", e.token().id());
      t.put("publisher", e.token().publisher());
      e.token().roles().forEach(t.putArray("roles")::add);
      t.put("created", e.token().created().toString());
      Limits limits = e.token().limits();
      t.putObject("limits")
          .put("max_sessions", limits.maxSessions())
          .put("max_pending_bytes", limits.maxPendingBytes())
          .put("max_blob_size", limits.maxBlobSize());
      t.put("sha256", HexFormat.of().formatHex(e.sha256()));
    }
    byte[] bytes = StrictJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    AtomicFiles.write(layout.tokens(), out -> out.write(bytes), AtomicFiles.OWNER_ONLY, true);
  }

  private static byte[] sha256(String text) {
    return Digests.newDigest("sha256").digest(text.getBytes(StandardCharsets.US_ASCII));
  }
}
