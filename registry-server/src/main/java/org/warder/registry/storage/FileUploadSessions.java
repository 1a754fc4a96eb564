package org.warder.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
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
import java.util.Set;
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
public final class FileUploadSessions implements UploadSessions {
  private static final Pattern UUID_TEXT = UploadRefusals.UUID_TEXT;
  private static final int BUFFER = 64 * 1024;

  /** How long a request waits for another request on the same session to finish. */
  private static final long BUSY_WAIT_SECONDS = 30;

  private final RegistryLayout layout;
  private final BlobStore blobs;
  private final UploadLeftovers leftovers;
  private final ReferencedBlobs referenced;
  private final Clock clock;
  private final long maxBlobSize;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** The single-process sessions, in the data directory. */
  public static final Factory FACTORY = FileUploadSessions::new;

  /** Sessions in {@code layout} whose commits put blobs into {@code store}. */
  public FileUploadSessions(
      RegistryLayout layout,
      RegistryStore store,
      ReferencedBlobs referenced,
      Clock clock,
      long maxBlobSize) {
    this.layout = layout;
    this.blobs = new BlobStore(store);
    this.leftovers = new UploadLeftovers(layout, store, clock);
    this.referenced = referenced;
    this.clock = clock;
    this.maxBlobSize = maxBlobSize;
  }

  /** The largest blob accepted, in bytes. */
  @Override
  public long maxBlobSize() {
    return maxBlobSize;
  }

  /**
   * Starts a new, empty session of token {@code owner} and returns its uuid; refused when the token
   * has as many sessions open as its limits allow.
   */
  @Override
  public synchronized String create(TokenStore.Token owner) throws RegistryException, IOException {
    int open = sessionBytes(owner.id()).size();
    if (open >= owner.limits().maxSessions()) {
      throw UploadRefusals.tooManySessions(owner, open);
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
  @Override
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
   * the client asks the offset and continues. A chunk that fails to write (a full disk) is removed
   * whole and refused ({@code UPLOAD_NOT_STORED}). Returns the new offset.
   */
  @Override
  public long append(String uuid, TokenStore.Token owner, long start, long length, InputStream body)
      throws RegistryException, IOException {
    ReentrantLock lock = acquire(uuid, owner);
    try {
      long offset = size(uuid, owner.id());
      UploadRefusals.admitChunk(
          owner, maxBlobSize, offset, start, length, () -> pendingBytes(owner.id()));
      Path data = layout.uploadData(uuid);
      ChunkCopy.Copied copied;
      try (FileChannel out = FileChannel.open(data, StandardOpenOption.WRITE)) {
        out.position(start);
        copied = ChunkCopy.copy(body, start, length, Channels.newOutputStream(out));
        // a chunk that failed to write leaves nothing: a full disk gets its space back
        out.truncate(start + copied.kept());
      }
      if (copied.refused().isPresent()) {
        throw copied.refused().get();
      }
      return start + length;
    } finally {
      lock.unlock();
      forgetIfGone(uuid);
    }
  }

  /**
   * Commits session {@code uuid} as the blob {@code sha256} of {@code length} bytes: checks both
   * against the bytes received, fsyncs them and renames them into the blob store. On a mismatch the
   * session is discarded and nothing becomes visible.
   */
  @Override
  public Committed commit(String uuid, TokenStore.Token owner, String sha256, long length)
      throws RegistryException, IOException {
    if (!UploadRefusals.SHA256.matcher(sha256).matches()) {
      throw UploadRefusals.digestText(sha256);
    }
    ReentrantLock lock = acquire(uuid, owner);
    try {
      Path data = layout.uploadData(uuid);
      long size = size(uuid, owner.id());
      if (size != length || length > UploadRefusals.blobLimit(owner, maxBlobSize)) {
        discard(uuid);
        throw UploadRefusals.wrongSize(owner, maxBlobSize, length, size);
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
        throw UploadRefusals.wrongDigest(sha256, found);
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
  @Override
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

  /**
   * The sessions {@link #purge} would remove now: untouched for {@code maxAge}, or missing a file
   * (creations in progress are left out).
   */
  @Override
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
   * Everything in {@code upload-parts/} and {@code uploads-incoming/} older than {@code maxAge}:
   * these sessions keep their bytes in their own directory and name no part; what is there is left
   * from a time the registry's nodes shared their sessions through a database.
   */
  @Override
  public List<Leftover> leftovers(Duration maxAge) throws IOException {
    return leftovers.find(maxAge, Set::of);
  }

  /**
   * Removes sessions untouched (neither started nor written to) for {@code maxAge}, and debris:
   * sessions missing a file, unfinished session creations, and {@link #leftovers}. Sessions in use
   * are skipped. Returns how many sessions were removed.
   */
  @Override
  public int purge(Duration maxAge) throws IOException {
    leftovers.remove(leftovers(maxAge));
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
      throw UploadRefusals.unknown(uuid);
    }
    try {
      if (!Files.isRegularFile(layout.uploadStartedAt(uuid))
          || !Files.readString(layout.uploadOwner(uuid), StandardCharsets.US_ASCII).equals(owner)) {
        throw UploadRefusals.unknown(uuid);
      }
      return Files.size(layout.uploadData(uuid));
    } catch (NoSuchFileException e) {
      throw UploadRefusals.unknown(uuid);
    }
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
