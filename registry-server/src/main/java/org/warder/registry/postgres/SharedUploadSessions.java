package org.warder.registry.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.warder.registry.api.RegistryException;
import org.warder.registry.storage.BlobStore;
import org.warder.registry.storage.ChunkCopy;
import org.warder.registry.storage.FailPoints;
import org.warder.registry.storage.ReferencedBlobs;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.StoreKeys;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.storage.UploadLeftovers;
import org.warder.registry.storage.UploadRefusals;
import org.warder.registry.storage.UploadSessions;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Digests;
import org.warder.signing.PrivateFiles;

/**
 * Upload sessions shared by the nodes of a registry, so that each request of a session (POST,
 * PATCH, HEAD, PUT, DELETE) may land on a different node: the record of a session (owner token,
 * started, last touched, length so far, state) in the {@code upload_session} table, each chunk it
 * received an object of the {@link RegistryStore} ({@link StoreKeys#part}) listed in {@code
 * upload_part}.
 *
 * <p>A chunk is stored under a key of its own first, then recorded in one transaction only if the
 * session is still open at the chunk's start: of two requests racing on one session, one extends it
 * and the other's chunk is deleted. Commit, cancel and purge first move a session to {@code
 * closing} (no chunk is recorded after that), then delete its parts and its record; a node dying in
 * between leaves a closing session that a later purge removes. A commit streams the parts in order
 * into a local file, checks length and sha256 and hands the file to the store's verified put.
 * Quotas are counted from the records of every node: sessions per token (counted and created under
 * a transaction lock of the token) and pending bytes. A node that dies between storing a chunk and
 * recording it leaves a part no record names, and one that dies during a request leaves a file in
 * its {@code uploads-incoming/}: {@link #purge} removes both once older than the upload max age.
 * Thread-safe.
 */
public final class SharedUploadSessions implements UploadSessions {
  /** The advisory lock class of a token's session creations ("upl"), beside the writer lock's. */
  private static final int CREATE_LOCK = 0x75706c;

  private static final int BUFFER = 64 * 1024;

  private final Database database;
  private final RegistryLayout layout;
  private final RegistryStore store;
  private final BlobStore blobs;
  private final UploadLeftovers leftovers;
  private final ReferencedBlobs referenced;
  private final Clock clock;
  private final long maxBlobSize;
  private final SecureRandom random = new SecureRandom();

  public SharedUploadSessions(
      Database database,
      RegistryLayout layout,
      RegistryStore store,
      ReferencedBlobs referenced,
      Clock clock,
      long maxBlobSize) {
    this.database = database;
    this.layout = layout;
    this.store = store;
    this.blobs = new BlobStore(store);
    this.leftovers = new UploadLeftovers(layout, store, clock);
    this.referenced = referenced;
    this.clock = clock;
    this.maxBlobSize = maxBlobSize;
  }

  /** Sessions of the servers (or of gc) in {@code database}. */
  public static Factory factory(Database database) {
    return (layout, store, referenced, clock, maxBlobSize) ->
        new SharedUploadSessions(database, layout, store, referenced, clock, maxBlobSize);
  }

  @Override
  public long maxBlobSize() {
    return maxBlobSize;
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  @Override
  public String create(TokenStore.Token owner) throws RegistryException, IOException {
    String uuid = UUID.randomUUID().toString();
    try (Connection c = database.connect()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement lock =
            c.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
          lock.setInt(1, CREATE_LOCK);
          lock.setString(2, owner.id());
          lock.execute();
        }
        int open;
        try (PreparedStatement count =
            c.prepareStatement("SELECT count(*) FROM upload_session WHERE owner = ?")) {
          count.setString(1, owner.id());
          try (ResultSet rows = count.executeQuery()) {
            rows.next();
            open = rows.getInt(1);
          }
        }
        if (open >= owner.limits().maxSessions()) {
          c.rollback();
          throw UploadRefusals.tooManySessions(owner, open);
        }
        try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO upload_session (uuid, owner, started, touched)"
                    + " VALUES (?::uuid, ?, ?, ?)")) {
          OffsetDateTime now = now();
          insert.setString(1, uuid);
          insert.setString(2, owner.id());
          insert.setObject(3, now);
          insert.setObject(4, now);
          insert.executeUpdate();
        }
        c.commit();
      } finally {
        if (!c.getAutoCommit()) {
          c.rollback();
        }
      }
    } catch (SQLException e) {
      throw database.failure("start an upload session in", e);
    }
    return uuid;
  }

  /** The length of open session {@code uuid} of {@code owner}; unknown otherwise. */
  private long openLength(String uuid, TokenStore.Token owner)
      throws RegistryException, IOException {
    if (!UploadRefusals.UUID_TEXT.matcher(uuid).matches()) {
      throw UploadRefusals.unknown(uuid);
    }
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT length FROM upload_session"
                    + " WHERE uuid = ?::uuid AND owner = ? AND state = 'open'")) {
      s.setString(1, uuid);
      s.setString(2, owner.id());
      return lengthOf(s, uuid);
    } catch (SQLException e) {
      throw database.failure("read an upload session in", e);
    }
  }

  @Override
  public long offset(String uuid, TokenStore.Token owner) throws RegistryException, IOException {
    return openLength(uuid, owner);
  }

  @Override
  public long append(String uuid, TokenStore.Token owner, long start, long length, InputStream body)
      throws RegistryException, IOException {
    long offset = openLength(uuid, owner);
    UploadRefusals.admitChunk(
        owner, maxBlobSize, offset, start, length, () -> pendingBytes(owner.id()));
    Path chunk = incoming("chunk");
    try {
      ChunkCopy.Copied copied;
      try (OutputStream out = Files.newOutputStream(chunk)) {
        copied = ChunkCopy.copy(body, start, length, out);
      }
      if (copied.kept() > 0) {
        record(uuid, owner, start, copied.kept(), chunk);
      }
      if (copied.refused().isPresent()) {
        throw copied.refused().get();
      }
      return start + copied.kept();
    } finally {
      Files.deleteIfExists(chunk);
    }
  }

  /**
   * Stores {@code chunk} as the part of session {@code uuid} from {@code start}, and records it if
   * the session is still open at {@code start}; otherwise deletes it again and refuses.
   */
  private void record(String uuid, TokenStore.Token owner, long start, long written, Path chunk)
      throws RegistryException, IOException {
    byte[] nonce = new byte[6];
    random.nextBytes(nonce);
    String key = StoreKeys.part(uuid, start, HexFormat.of().formatHex(nonce));
    try {
      store.putPart(key, chunk);
    } catch (IOException e) {
      throw UploadRefusals.notStored(
          start, e); // a part stored meanwhile is a leftover purge removes
    }
    FailPoints.hit(FailPoints.UPLOAD_AFTER_PART_STORED);
    boolean recorded = false;
    try (Connection c = database.connect()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement extend =
            c.prepareStatement(
                "UPDATE upload_session SET length = ?, touched = ? WHERE uuid = ?::uuid"
                    + " AND owner = ? AND state = 'open' AND length = ?")) {
          extend.setLong(1, start + written);
          extend.setObject(2, now());
          extend.setString(3, uuid);
          extend.setString(4, owner.id());
          extend.setLong(5, start);
          if (extend.executeUpdate() == 1) {
            try (PreparedStatement part =
                c.prepareStatement(
                    "INSERT INTO upload_part (uuid, start, length, key) VALUES (?::uuid, ?, ?, ?)")) {
              part.setString(1, uuid);
              part.setLong(2, start);
              part.setLong(3, written);
              part.setString(4, key);
              part.executeUpdate();
            }
            c.commit();
            recorded = true;
          }
        }
      } finally {
        if (!recorded) {
          c.rollback();
        }
      }
    } catch (SQLException e) {
      store.deletePart(key);
      throw database.failure("record an upload chunk in", e);
    }
    if (!recorded) {
      store.deletePart(key);
      // another request extended, committed or cancelled the session meanwhile
      throw UploadRefusals.notAtOffset(openLength(uuid, owner), start);
    }
  }

  @Override
  public Committed commit(String uuid, TokenStore.Token owner, String sha256, long length)
      throws RegistryException, IOException {
    if (!UploadRefusals.SHA256.matcher(sha256).matches()) {
      throw UploadRefusals.digestText(sha256);
    }
    long size = close(uuid, owner);
    Path assembled = incoming("blob");
    try {
      if (size != length || length > UploadRefusals.blobLimit(owner, maxBlobSize)) {
        throw UploadRefusals.wrongSize(owner, maxBlobSize, length, size);
      }
      String found = assemble(uuid, size, assembled);
      if (!found.equals(sha256)) {
        throw UploadRefusals.wrongDigest(sha256, found);
      }
      if (!referenced.contains(sha256)) {
        markPending(
            owner.id(), sha256); // counted against the token's limit until metadata names it
      }
      FailPoints.hit(FailPoints.UPLOAD_BEFORE_COMMIT_PUT);
      boolean added = blobs.put(assembled, sha256, length);
      if (!added) {
        blobs.touch(sha256, clock.instant());
      }
      discard(uuid);
      return new Committed(sha256, length, !added);
    } catch (RegistryException e) {
      discard(uuid); // a mismatch: nothing of the upload is left
      throw e;
    } catch (IOException | RuntimeException e) {
      reopen(uuid, e); // the store or the database failed: the client may commit again
      throw e;
    } finally {
      Files.deleteIfExists(assembled);
    }
  }

  /**
   * Streams the parts of session {@code uuid} in order into {@code target}, checking they are
   * contiguous and {@code size} bytes in all, fsyncs it and returns its sha256.
   */
  private String assemble(String uuid, long size, Path target) throws IOException {
    MessageDigest digest = Digests.newDigest("sha256");
    long position = 0;
    try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(channel)) {
      byte[] buffer = new byte[BUFFER];
      for (Part part : parts(uuid)) {
        if (part.start() != position) {
          throw new IOException(
              "expected the part of upload session "
                  + uuid
                  + " at byte "
                  + position
                  + ", found one at "
                  + part.start()
                  + "; the database and the store disagree, start the upload again");
        }
        try (InputStream in = store.openPart(part.key())) {
          for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
            position += n;
          }
        }
        if (position != part.start() + part.length()) {
          throw new IOException(
              "expected "
                  + part.length()
                  + " bytes in the upload part "
                  + part.key()
                  + ", found "
                  + (position - part.start())
                  + "; the store lost or changed it, start the upload again");
        }
      }
      out.flush();
      channel.force(true);
    }
    if (position != size) {
      throw new IOException(
          "expected "
              + size
              + " bytes in the parts of upload session "
              + uuid
              + ", found "
              + position
              + "; start the upload again");
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private record Part(long start, long length, String key) {}

  private List<Part> parts(String uuid) throws IOException {
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT start, length, key FROM upload_part WHERE uuid = ?::uuid ORDER BY start")) {
      s.setString(1, uuid);
      List<Part> parts = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          parts.add(new Part(rows.getLong(1), rows.getLong(2), rows.getString(3)));
        }
      }
      return parts;
    } catch (SQLException e) {
      throw database.failure("list the parts of an upload session in", e);
    }
  }

  @Override
  public void cancel(String uuid, TokenStore.Token owner) throws RegistryException, IOException {
    close(uuid, owner);
    discard(uuid);
  }

  /**
   * Moves open session {@code uuid} of {@code owner} to closing, so that no chunk is added any
   * more, and returns its length; unknown when there is no such open session.
   */
  private long close(String uuid, TokenStore.Token owner) throws RegistryException, IOException {
    if (!UploadRefusals.UUID_TEXT.matcher(uuid).matches()) {
      throw UploadRefusals.unknown(uuid);
    }
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE upload_session SET state = 'closing', touched = ?"
                    + " WHERE uuid = ?::uuid AND owner = ? AND state = 'open' RETURNING length")) {
      s.setObject(1, now());
      s.setString(2, uuid);
      s.setString(3, owner.id());
      return lengthOf(s, uuid);
    } catch (SQLException e) {
      throw database.failure("close an upload session in", e);
    }
  }

  /** The length the query {@code s} returns for session {@code uuid}; unknown when no row. */
  private static long lengthOf(PreparedStatement s, String uuid)
      throws SQLException, RegistryException {
    try (ResultSet rows = s.executeQuery()) {
      if (!rows.next()) {
        throw UploadRefusals.unknown(uuid);
      }
      return rows.getLong(1);
    }
  }

  /** Opens closing session {@code uuid} again after {@code failure} interrupted its commit. */
  private void reopen(String uuid, Exception failure) {
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE upload_session SET state = 'open' WHERE uuid = ?::uuid"
                    + " AND state = 'closing'")) {
      s.setString(1, uuid);
      s.executeUpdate();
    } catch (SQLException e) {
      failure.addSuppressed(e); // left closing: purge removes it
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** Deletes the parts of closing session {@code uuid}, then its record. */
  private void discard(String uuid) throws IOException {
    for (Part part : parts(uuid)) {
      store.deletePart(part.key());
    }
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement("DELETE FROM upload_session WHERE uuid = ?::uuid")) {
      s.setString(1, uuid);
      s.executeUpdate();
    } catch (SQLException e) {
      throw database.failure("delete an upload session in", e);
    }
  }

  private void markPending(String ownerId, String sha256) throws IOException {
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO upload_pending (owner, sha256) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
      s.setString(1, ownerId);
      s.setString(2, sha256);
      s.executeUpdate();
    } catch (SQLException e) {
      throw database.failure("record a committed blob in", e);
    }
  }

  /**
   * What token {@code ownerId} holds that is not published, on every node: the bytes of its
   * sessions and the blobs it committed that no retained metadata references. Blobs published or
   * deleted since are dropped from its list here.
   */
  private long pendingBytes(String ownerId) throws IOException {
    long total = 0;
    List<String> committed = new ArrayList<>();
    try (Connection c = database.connect()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "SELECT coalesce(sum(length), 0) FROM upload_session WHERE owner = ?")) {
        s.setString(1, ownerId);
        try (ResultSet rows = s.executeQuery()) {
          rows.next();
          total = rows.getLong(1);
        }
      }
      try (PreparedStatement s =
          c.prepareStatement("SELECT sha256 FROM upload_pending WHERE owner = ?")) {
        s.setString(1, ownerId);
        try (ResultSet rows = s.executeQuery()) {
          while (rows.next()) {
            committed.add(rows.getString(1));
          }
        }
      }
      for (String sha256 : committed) {
        OptionalLong size = blobs.size(sha256);
        if (size.isEmpty() || referenced.contains(sha256)) {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM upload_pending WHERE owner = ? AND sha256 = ?")) {
            s.setString(1, ownerId);
            s.setString(2, sha256);
            s.executeUpdate();
          }
        } else {
          total += size.getAsLong();
        }
      }
    } catch (SQLException e) {
      throw database.failure("count the pending bytes of a token in", e);
    }
    return total;
  }

  @Override
  public List<Expired> expired(Duration maxAge) throws IOException {
    Instant cutoff = clock.instant().minus(maxAge);
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT uuid, length FROM upload_session WHERE touched < ? ORDER BY started")) {
      s.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
      List<Expired> expired = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          expired.add(new Expired(rows.getString(1), rows.getLong(2)));
        }
      }
      return expired;
    } catch (SQLException e) {
      throw database.failure("list stale upload sessions in", e);
    }
  }

  /**
   * Part objects no session's record names and files of this node's {@code uploads-incoming/},
   * stored or written more than {@code maxAge} ago: what a node that died left (see {@link
   * UploadLeftovers}).
   */
  @Override
  public List<Leftover> leftovers(Duration maxAge) throws IOException {
    return leftovers.find(maxAge, this::partKeys);
  }

  /** The keys of every part recorded in {@code upload_part}, of every session. */
  private Set<String> partKeys() throws IOException {
    try (Connection c = database.connect();
        PreparedStatement s = c.prepareStatement("SELECT key FROM upload_part");
        ResultSet rows = s.executeQuery()) {
      Set<String> keys = new HashSet<>();
      while (rows.next()) {
        keys.add(rows.getString(1));
      }
      return keys;
    } catch (SQLException e) {
      throw database.failure("list the upload parts in", e);
    }
  }

  @Override
  public int purge(Duration maxAge) throws IOException {
    Instant cutoff = clock.instant().minus(maxAge);
    int removed = 0;
    for (Expired stale : expired(maxAge)) {
      if (closeStale(stale.uuid(), cutoff)) {
        discard(stale.uuid());
        removed++;
      }
    }
    leftovers.remove(leftovers(maxAge));
    return removed;
  }

  /** Moves session {@code uuid} to closing if it is still untouched since {@code cutoff}. */
  private boolean closeStale(String uuid, Instant cutoff) throws IOException {
    try (Connection c = database.connect();
        PreparedStatement s =
            c.prepareStatement(
                "UPDATE upload_session SET state = 'closing', touched = ?"
                    + " WHERE uuid = ?::uuid AND touched < ?")) {
      s.setObject(1, now());
      s.setString(2, uuid);
      s.setObject(3, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
      return s.executeUpdate() == 1;
    } catch (SQLException e) {
      throw database.failure("close a stale upload session in", e);
    }
  }

  /** A new empty private file in this node's incoming directory. */
  private Path incoming(String what) throws IOException {
    PrivateFiles.createDirectories(layout.uploadsIncoming());
    return AtomicFiles.createTemp(layout.uploadsIncoming(), what, AtomicFiles.OWNER_ONLY);
  }
}
