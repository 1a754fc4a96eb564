package org.warder.registry.storage;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code warder-registry gc} finds and removes: orphan blobs, which no retained metadata
 * references ({@link ReferencedBlobs}), expired upload sessions, and the leftovers of uploads
 * (parts no session names, incoming files) older than the upload max age. An orphan stored or asked
 * for ({@code HEAD /api/v1/blobs/}) within the grace period is kept: a publisher uploads blobs
 * before it submits the metadata naming them. References are computed and blobs deleted under the
 * {@link WriterLock} (the {@link DataLock}, or the one the registry's nodes share), which every
 * submission holds while it checks blobs and writes metadata, so a submission sees a blob either
 * kept or gone, never half. Thread-safe.
 */
public final class GarbageCollector {
  private final RegistryLayout layout;
  private final RegistryStore store;
  private final Clock clock;
  private final WriterLock writerLock;
  private final UploadSessions.Factory sessions;

  /**
   * What was found (and deleted, when asked).
   *
   * @param orphans orphan blobs older than the grace period: deleted
   * @param young orphan blobs within the grace period: kept
   * @param uploads expired upload sessions: deleted
   * @param leftovers upload parts and incoming files no session names: deleted
   */
  public record Garbage(
      List<BlobStore.Stored> orphans,
      List<BlobStore.Stored> young,
      List<UploadSessions.Expired> uploads,
      List<UploadSessions.Leftover> leftovers) {
    public Garbage {
      orphans = List.copyOf(orphans);
      young = List.copyOf(young);
      uploads = List.copyOf(uploads);
      leftovers = List.copyOf(leftovers);
    }

    public long orphanBytes() {
      return orphans.stream().mapToLong(BlobStore.Stored::length).sum();
    }

    public long uploadBytes() {
      return uploads.stream().mapToLong(UploadSessions.Expired::length).sum();
    }

    public long leftoverBytes() {
      return leftovers.stream().mapToLong(UploadSessions.Leftover::length).sum();
    }
  }

  /**
   * Blobs in {@code store}; upload sessions built by {@code sessions} (in {@code layout}'s data
   * directory, or shared by the nodes); changes under {@code writerLock}.
   */
  public GarbageCollector(
      RegistryLayout layout,
      RegistryStore store,
      Clock clock,
      WriterLock writerLock,
      UploadSessions.Factory sessions) {
    this.sessions = sessions;
    this.layout = layout;
    this.store = store;
    this.clock = clock;
    this.writerLock = writerLock;
  }

  /**
   * Finds orphan blobs stored or asked for more than {@code grace} ago, upload sessions untouched
   * for {@code uploadMaxAge} and upload leftovers older than that; deletes them when {@code
   * delete}.
   */
  public Garbage collect(Duration grace, Duration uploadMaxAge, boolean delete) throws IOException {
    BlobStore blobs = new BlobStore(store);
    ReferencedBlobs references = new ReferencedBlobs(store);
    UploadSessions uploads = sessions.create(layout, store, references, clock, Long.MAX_VALUE);
    Instant cutoff = clock.instant().minus(grace);
    WriterLock.Held lock = writerLock.acquire();
    try (lock) {
      Set<String> referenced = references.all();
      List<BlobStore.Stored> orphans = new ArrayList<>();
      List<BlobStore.Stored> young = new ArrayList<>();
      for (BlobStore.Stored blob : blobs.list()) {
        if (!referenced.contains(blob.sha256())) {
          (blob.touched().isBefore(cutoff) ? orphans : young).add(blob);
        }
      }
      List<UploadSessions.Expired> expired = uploads.expired(uploadMaxAge);
      List<UploadSessions.Leftover> leftovers = uploads.leftovers(uploadMaxAge);
      if (delete) {
        for (BlobStore.Stored orphan : orphans) {
          blobs.delete(orphan.sha256());
        }
        uploads.purge(uploadMaxAge);
      }
      return new Garbage(orphans, young, expired, leftovers);
    }
  }
}
