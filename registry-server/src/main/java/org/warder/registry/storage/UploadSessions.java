package org.warder.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;
import org.warder.signing.Digests;
import org.warder.signing.PrivateFiles;

/**
 * Resumable upload sessions ({@code uploads/<uuid>/{data,startedat,owner}}): bytes are appended at
 * the session's current offset (the length of {@code data}), and a commit checks length and sha256,
 * fsyncs, and renames the bytes into the {@link BlobStore}. Memory use is constant whatever the
 * blob size. A session belongs to the token that started it: for any other token it does not exist
 * ({@code UPLOAD_UNKNOWN}, as for a uuid never created). What a token may hold (sessions,
 * unpublished bytes, blob size) is capped by its {@link TokenStore.Limits}. A session is created
 * complete under a temporary name and renamed into place, so a session directory lacking a file is
 * debris of a crash or of a commit, and is purged. Requests on one session are serialised;
 * different sessions proceed in parallel. Thread-safe within one process (only the server touches
 * uploads).
 */
public final class UploadSessions {
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final int BUFFER = 64 * 1024;

  /** How long a request waits for another request on the same session to finish. */
  private static final long BUSY_WAIT_SECONDS = 30;

  private final RegistryLayout layout;
  private final BlobStore blobs;
  private final ReferencedBlobs referenced;
  private final Clock clock;
  private final long maxBlobSize;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** A committed upload: the blob it became, and whether that blob was already stored. */
  public record Committed(String sha256, long length, boolean existed) {}

  public UploadSessions(
      RegistryLayout layout,
      BlobStore blobs,
      ReferencedBlobs referenced,
      Clock clock,
      long maxBlobSize) {
    this.layout = layout;
    this.blobs = blobs;
    this.referenced = referenced;
    this.clock = clock;
    this.maxBlobSize = maxBlobSize;
  }

  /** The largest blob accepted, in bytes. */
  public long maxBlobSize() {
    return maxBlobSize;
  }

  /**
   * Starts a new, empty session of token {@code owner} and returns its uuid; refused when the token
   * has as many sessions open as its limits allow.
   */
  public synchronized String create(TokenStore.Token owner) throws RegistryException, IOException {
    int open = sessionBytes(owner.id()).size();
    int max = owner.limits().maxSessions();
    if (open >= max) {
      throw new RegistryException(
          ErrorCode.QUOTA_EXCEEDED,
          "token "
              + owner.id()
              + " has "
              + open
              + " upload sessions open, its limit is "
              + max
              + "; commit or cancel"
              + " (DELETE) one first, or ask the registry owner for a token with a higher --max-sessions",
          Map.of("token", owner.id(), "open", open, "limit", max));
    }
    String uuid = UUID.randomUUID().toString();
    // a session holds a publisher's unpublished bytes: mode 0600 in directories 0700
    PrivateFiles.createDirectories(layout.uploads());
    Path staging = layout.uploads().resolve("." + uuid + ".new");
    PrivateFiles.createDirectory(staging);
    PrivateFiles.writeString(staging.resolve("startedat"), clock.instant().toString());
    PrivateFiles.writeString(staging.resolve("owner"), owner.id());
    PrivateFiles.createFile(staging.resolve("data"));
    Files.move(staging, layout.upload(uuid), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return uuid;
  }

  /** The number of bytes session {@code uuid} of token {@code owner} holds. */
  public long offset(String uuid, TokenStore.Token owner) throws RegistryException, IOException {
    size(uuid, owner.id()); // another token's session: unknown, at once
    ReentrantLock lock = lockFor(uuid);
    boolean held = false;
    try {
      // Wait briefly for a request still writing (say, one whose connection was just cut), so
      // the offset is the final one; if it goes on, answer with the bytes so far.
      held = lock.tryLock(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      return size(uuid, owner.id());
    } finally {
      if (held) {
        lock.unlock();
      }
      forgetIfGone(uuid);
    }
  }

  /**
   * Appends {@code length} bytes read from {@code body} at {@code start}, which must be the
   * session's offset. Bytes that reached the disk stay when the body ends early (a cut connection);
   * the client asks the offset and continues. Returns the new offset.
   */
  public long append(String uuid, TokenStore.Token owner, long start, long length, InputStream body)
      throws RegistryException, IOException {
    ReentrantLock lock = acquire(uuid, owner);
    try {
      long offset = size(uuid, owner.id());
      if (start != offset) {
        throw new RegistryException(
            ErrorCode.RANGE_INVALID,
            "expected a chunk starting at the session's offset "
                + offset
                + ", found one starting at "
                + start
                + "; continue from "
                + offset,
            Map.of("offset", offset, "start", start));
      }
      long limit = blobLimit(owner);
      if (length > limit - start) {
        throw new RegistryException(
            ErrorCode.TOO_LARGE,
            "this chunk would make the upload "
                + (start + length)
                + " bytes long, above "
                + blobLimitName(owner)
                + " of "
                + limit
                + " bytes per blob",
            Map.of("limit", limit, "offset", offset));
      }
      long pending = pendingBytes(owner.id());
      long maxPending = owner.limits().maxPendingBytes();
      if (length > maxPending - pending) {
        throw new RegistryException(
            ErrorCode.QUOTA_EXCEEDED,
            "this chunk would make token "
                + owner.id()
                + " hold "
                + (pending + length)
                + " bytes not yet published"
                + " (its open uploads and the blobs it committed that no metadata names), above its limit of "
                + maxPending
                + "; publish or cancel what it uploaded, or ask the registry owner for a token with a"
                + " higher --max-pending",
            Map.of("token", owner.id(), "pending", pending, "limit", maxPending, "offset", offset));
      }
      Path data = layout.uploadData(uuid);
      byte[] buffer = new byte[BUFFER];
      long written = 0;
      try (FileChannel out = FileChannel.open(data, StandardOpenOption.WRITE)) {
        out.position(start);
        while (written < length) {
          int n;
          try {
            n = body.read(buffer, 0, (int) Math.min(buffer.length, length - written));
          } catch (IOException e) {
            throw shortBody(start, length, written, e);
          }
          if (n < 0) {
            throw shortBody(start, length, written, null);
          }
          ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
          while (chunk.hasRemaining()) {
            out.write(chunk);
          }
          written += n;
        }
        int more;
        try {
          more = body.read();
        } catch (IOException e) {
          more = -1; // all declared bytes arrived; a failure after them changes nothing
        }
        if (more >= 0) {
          out.truncate(start + length);
          throw new RegistryException(
              ErrorCode.RANGE_INVALID,
              "expected a body of "
                  + length
                  + " bytes as Content-Range declares, found more; the first "
                  + length
                  + " bytes were kept",
              Map.of("offset", start + length));
        }
      }
      return start + length;
    } finally {
      lock.unlock();
      forgetIfGone(uuid);
    }
  }

  private static RegistryException shortBody(
      long start, long length, long written, IOException cause) {
    return new RegistryException(
        ErrorCode.RANGE_INVALID,
        "expected "
            + length
            + " bytes as Content-Range declares, the body ended after "
            + written
            + "; they were kept: ask the offset (HEAD) and continue from "
            + (start + written),
        Map.of("offset", start + written),
        cause);
  }

  /**
   * Commits session {@code uuid} as the blob {@code sha256} of {@code length} bytes: checks both
   * against the bytes received, fsyncs them and renames them into the blob store. On a mismatch the
   * session is discarded and nothing becomes visible.
   */
  public Committed commit(String uuid, TokenStore.Token owner, String sha256, long length)
      throws RegistryException, IOException {
    if (!SHA256.matcher(sha256).matches()) {
      throw new RegistryException(
          ErrorCode.DIGEST_INVALID,
          "expected sha256=<64 lower-case hex digits>, found \"" + sha256 + "\"",
          Map.of("sha256", sha256));
    }
    ReentrantLock lock = acquire(uuid, owner);
    try {
      Path data = layout.uploadData(uuid);
      long size = size(uuid, owner.id());
      long limit = blobLimit(owner);
      if (size != length || length > limit) {
        discard(uuid);
        String why =
            length > limit
                ? "the declared length "
                    + length
                    + " exceeds "
                    + blobLimitName(owner)
                    + " of "
                    + limit
                    + " bytes"
                : "expected " + length + " bytes (declared), found " + size + " bytes received";
        throw new RegistryException(
            ErrorCode.SIZE_INVALID,
            why + "; the upload was discarded, upload the blob again",
            Map.of("expected", length, "found", size));
      }
      MessageDigest digest = Digests.newDigest("sha256");
      try (FileChannel channel =
          FileChannel.open(data, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        while (channel.read(buffer) >= 0) {
          buffer.flip();
          digest.update(buffer);
          buffer.clear();
        }
        channel.force(true);
      }
      String found = HexFormat.of().formatHex(digest.digest());
      if (!found.equals(sha256)) {
        discard(uuid);
        throw new RegistryException(
            ErrorCode.DIGEST_INVALID,
            "expected sha256 "
                + sha256
                + " (declared), found "
                + found
                + " for the bytes received; the upload was discarded, upload the blob again",
            Map.of("expected", sha256, "found", found));
      }
      FailPoints.hit(FailPoints.BLOB_AFTER_TEMP);
      // gc's grace period runs from the commit: the publisher submits metadata naming the blob next
      Files.setLastModifiedTime(data, FileTime.from(clock.instant()));
      if (!referenced.contains(sha256)) {
        // counted against the token's limit until metadata names it
        Files.createDirectories(layout.pending(owner.id()));
        Files.write(layout.pending(owner.id()).resolve(sha256), new byte[0]);
      }
      boolean added = blobs.put(data, sha256, length);
      if (!added) {
        blobs.touch(sha256, clock.instant());
      }
      FailPoints.hit(FailPoints.BLOB_AFTER_RENAME);
      discard(uuid);
      return new Committed(sha256, length, !added);
    } finally {
      lock.unlock();
      forgetIfGone(uuid);
    }
  }

  private long blobLimit(TokenStore.Token owner) {
    return Math.min(maxBlobSize, owner.limits().maxBlobSize());
  }

  private String blobLimitName(TokenStore.Token owner) {
    return owner.limits().maxBlobSize() < maxBlobSize
        ? "token " + owner.id() + "'s limit"
        : "the registry's limit";
  }

  /** The bytes of every session of token {@code ownerId}, by uuid. */
  private Map<String, Long> sessionBytes(String ownerId) throws IOException {
    Map<String, Long> sessions = new HashMap<>();
    if (!Files.isDirectory(layout.uploads())) {
      return sessions;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.uploads())) {
      for (Path entry : entries) {
        String uuid = entry.getFileName().toString();
        try {
          if (UUID_TEXT.matcher(uuid).matches()
              && Files.readString(layout.uploadOwner(uuid), StandardCharsets.US_ASCII)
                  .equals(ownerId)) {
            sessions.put(uuid, Files.size(layout.uploadData(uuid)));
          }
        } catch (NoSuchFileException e) {
          // debris, or committed meanwhile: not open
        }
      }
    }
    return sessions;
  }

  /**
   * What token {@code ownerId} holds that is not published: its open sessions' bytes and the blobs
   * it committed that no retained metadata references. Blobs published or deleted since are dropped
   * from its list here.
   */
  private long pendingBytes(String ownerId) throws IOException {
    long total = sessionBytes(ownerId).values().stream().mapToLong(Long::longValue).sum();
    Path dir = layout.pending(ownerId);
    if (!Files.isDirectory(dir)) {
      return total;
    }
    try (DirectoryStream<Path> committed = Files.newDirectoryStream(dir)) {
      for (Path marker : committed) {
        String sha256 = marker.getFileName().toString();
        OptionalLong size = blobs.size(sha256);
        if (size.isEmpty() || referenced.contains(sha256)) {
          Files.deleteIfExists(marker);
        } else {
          total += size.getAsLong();
        }
      }
    }
    return total;
  }

  /** Removes session {@code uuid}. */
  public void cancel(String uuid, TokenStore.Token owner) throws RegistryException, IOException {
    ReentrantLock lock = acquire(uuid, owner);
    try {
      size(uuid, owner.id()); // refuses an unknown session, or another token's
      discard(uuid);
    } finally {
      lock.unlock();
      forgetIfGone(uuid);
    }
  }

  /** A session {@link #purge} removes: its uuid and the bytes it holds. */
  public record Expired(String uuid, long length) {}

  /**
   * The sessions {@link #purge} would remove now: untouched for {@code maxAge}, or missing a file
   * (creations in progress are left out).
   */
  public List<Expired> expired(Duration maxAge) throws IOException {
    List<Expired> expired = new ArrayList<>();
    if (!Files.isDirectory(layout.uploads())) {
      return expired;
    }
    Instant cutoff = clock.instant().minus(maxAge);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.uploads())) {
      for (Path entry : entries) {
        String uuid = entry.getFileName().toString();
        if (UUID_TEXT.matcher(uuid).matches() && isStale(uuid, cutoff)) {
          Path data = layout.uploadData(uuid);
          expired.add(new Expired(uuid, Files.isRegularFile(data) ? Files.size(data) : 0));
        }
      }
    }
    return expired;
  }

  /**
   * Removes sessions untouched (neither started nor written to) for {@code maxAge}, and debris:
   * sessions missing a file, and unfinished session creations. Sessions in use are skipped. Returns
   * how many were removed.
   */
  public int purge(Duration maxAge) throws IOException {
    if (!Files.isDirectory(layout.uploads())) {
      return 0;
    }
    Instant cutoff = clock.instant().minus(maxAge);
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(layout.uploads())) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".")) {
          // a creation the process died in; creations take milliseconds
          if (lastModified(entry).isBefore(clock.instant().minus(Duration.ofMinutes(1)))) {
            deleteTree(entry);
            removed++;
          }
          continue;
        }
        if (!UUID_TEXT.matcher(name).matches()) {
          continue; // not ours: leave it alone
        }
        ReentrantLock lock = lockFor(name);
        if (!lock.tryLock()) {
          continue;
        }
        try {
          if (isStale(name, cutoff)) {
            deleteTree(entry);
            removed++;
          }
        } finally {
          lock.unlock();
          // only a deleted session's lock may go: a live one's may have waiters
          forgetIfGone(name);
        }
      }
    }
    return removed;
  }

  private boolean isStale(String uuid, Instant cutoff) throws IOException {
    Path data = layout.uploadData(uuid);
    Path startedAt = layout.uploadStartedAt(uuid);
    if (!Files.isRegularFile(data)
        || !Files.isRegularFile(startedAt)
        || !Files.isRegularFile(layout.uploadOwner(uuid))) {
      return true;
    }
    Instant started;
    try {
      started = Instant.parse(Files.readString(startedAt, StandardCharsets.US_ASCII).strip());
    } catch (DateTimeParseException e) {
      return true;
    }
    Instant touched = lastModified(data);
    return started.isBefore(cutoff) && touched.isBefore(cutoff);
  }

  private static Instant lastModified(Path file) throws IOException {
    return Files.getLastModifiedTime(file).toInstant();
  }

  /**
   * The bytes of session {@code uuid}, refused as unknown unless it exists and belongs to {@code
   * owner}.
   */
  private long size(String uuid, String owner) throws RegistryException, IOException {
    if (!UUID_TEXT.matcher(uuid).matches()) {
      throw unknown(uuid);
    }
    try {
      if (!Files.isRegularFile(layout.uploadStartedAt(uuid))
          || !Files.readString(layout.uploadOwner(uuid), StandardCharsets.US_ASCII).equals(owner)) {
        throw unknown(uuid);
      }
      return Files.size(layout.uploadData(uuid));
    } catch (NoSuchFileException e) {
      throw unknown(uuid);
    }
  }

  private static RegistryException unknown(String uuid) {
    return new RegistryException(
        ErrorCode.UPLOAD_UNKNOWN,
        "no upload session "
            + uuid
            + " of this token (never created, started with another token, already"
            + " committed, cancelled, or purged after a day untouched); start a new one with POST /api/v1/uploads",
        Map.of("uuid", uuid));
  }

  private ReentrantLock lockFor(String uuid) {
    return locks.computeIfAbsent(uuid, u -> new ReentrantLock());
  }

  /**
   * Waits for the lock of session {@code uuid}, after checking it is {@code owner}'s: another token
   * learns nothing, not even that the session is busy.
   */
  private ReentrantLock acquire(String uuid, TokenStore.Token owner)
      throws RegistryException, IOException {
    size(uuid, owner.id());
    ReentrantLock lock = lockFor(uuid);
    try {
      if (lock.tryLock(BUSY_WAIT_SECONDS, TimeUnit.SECONDS)) {
        return lock;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new RegistryException(
        ErrorCode.UPLOAD_BUSY,
        "another request is still writing to upload session " + uuid + "; retry when it has ended",
        Map.of("uuid", uuid));
  }

  /** Drops the lock of a session that does not exist, so unknown uuids leave nothing behind. */
  private void forgetIfGone(String uuid) {
    if (!Files.exists(layout.upload(uuid))) {
      locks.remove(uuid);
    }
  }

  private void discard(String uuid) throws IOException {
    deleteTree(layout.upload(uuid));
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
