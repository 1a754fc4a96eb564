package org.warder.registry.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.warder.signing.AtomicFiles;
import org.warder.signing.MalformedJsonException;
import org.warder.signing.StrictJson;

/**
 * Publisher tokens in {@code <data>/tokens.json} (mode 0600, written atomically under the data
 * lock): the single-process {@link TokenStore}. The file is re-read when it changes, so tokens
 * created or revoked by the CLI apply to a running server at once. Thread-safe.
 */
public final class FileTokenStore implements TokenStore {
  private final RegistryLayout layout;
  private final Clock clock;
  private Cached cached = new Cached(null, List.of());

  @SuppressWarnings("ArrayRecordComponent") // compared by MessageDigest.isEqual, never by equals
  private record Entry(Token token, byte[] sha256) {}

  private record Cached(Object version, List<Entry> entries) {}

  public FileTokenStore(RegistryLayout layout, Clock clock) {
    this.layout = layout;
    this.clock = clock;
  }

  @Override
  public Created create(String publisher, List<String> roles, Limits limits) throws IOException {
    TokenText.Issued issued = TokenText.issue(publisher, roles, limits, clock.instant());
    DataLock.Held lock = DataLock.acquire(layout);
    try (lock) {
      List<Entry> entries = new ArrayList<>(read());
      if (entries.stream().anyMatch(e -> e.token().id().equals(issued.token().id()))) {
        throw new IOException("token id collision (1 in 2^48): run the command again");
      }
      entries.add(new Entry(issued.token(), issued.sha256()));
      write(entries);
    }
    return issued.created();
  }

  @Override
  public List<Token> list() throws IOException {
    return read().stream().map(Entry::token).toList();
  }

  @Override
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

  @Override
  public Optional<Token> authenticate(String presented) throws IOException {
    Optional<String> id = TokenText.idOf(presented);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    for (Entry e : current()) {
      if (e.token().id().equals(id.get()) && TokenText.matches(presented, e.sha256())) {
        return Optional.of(e.token());
      }
    }
    return Optional.empty();
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
}
