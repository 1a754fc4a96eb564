package org.warder.registry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.warder.signing.Digests;

/**
 * Copies a registry's store into another (a data directory into a bucket) and verifies the copy:
 * every blob by length and sha256 read back from the target, every metadata file byte for byte.
 * Blobs first, then versioned metadata, {@code timestamp.json} last, so that a reader of the target
 * never sees metadata naming something not copied yet. Blobs already in the target are not copied
 * again but are verified. Keys are not in a store and are not copied. Run it with the registry
 * stopped (or read-only): a change made meanwhile may be missed.
 */
public final class StoreMigration {
  private static final int BUFFER = 64 * 1024;

  private final RegistryStore from;
  private final RegistryStore to;
  private final Path staging;

  /** The counts of what was copied and verified. */
  public record Result(int blobs, long blobBytes, int blobsAlreadyThere, int metadataFiles) {}

  /** {@code staging}: a local directory for the temporary copy of each blob sent. */
  public StoreMigration(RegistryStore from, RegistryStore to, Path staging) {
    this.from = from;
    this.to = to;
    this.staging = staging;
  }

  public Result run() throws IOException {
    if (from.metadata(StoreKeys.TIMESTAMP).isEmpty()) {
      throw new IOException(
          "no repository metadata in "
              + from.describe()
              + " ("
              + StoreKeys.metadata(StoreKeys.TIMESTAMP)
              + " is missing); is it the registry's data directory?");
    }
    Files.createDirectories(staging);
    int copied = 0;
    int already = 0;
    long bytes = 0;
    for (BlobStore.Stored blob : from.listBlobs()) {
      if (to.blobLength(blob.sha256()).isPresent()) {
        already++;
      } else {
        Path copy = Files.createTempFile(staging, "blob", ".tmp");
        try (InputStream in = from.openBlob(blob.sha256(), 0)) {
          Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          to.putBlob(copy, blob.sha256(), blob.length());
        } finally {
          Files.deleteIfExists(copy);
        }
        copied++;
      }
      verifyBlob(blob);
      bytes += blob.length();
    }
    List<String> names =
        from.metadataNames().stream().filter(n -> !n.equals(StoreKeys.TIMESTAMP)).toList();
    for (String name : names) {
      byte[] content = from.metadata(name).orElseThrow();
      to.putMetadata(name, content);
      verifyMetadata(name, content);
    }
    byte[] timestamp = from.metadata(StoreKeys.TIMESTAMP).orElseThrow();
    to.putTimestamp(timestamp, to.metadata(StoreKeys.TIMESTAMP));
    verifyMetadata(StoreKeys.TIMESTAMP, timestamp);
    Files.deleteIfExists(staging); // empty: each copy was sent or deleted
    return new Result(copied, bytes, already, names.size() + 1);
  }

  private void verifyBlob(BlobStore.Stored blob) throws IOException {
    OptionalLong length = to.blobLength(blob.sha256());
    MessageDigest digest = Digests.newDigest("sha256");
    long read = 0;
    if (length.isPresent()) {
      try (InputStream in = to.openBlob(blob.sha256(), 0)) {
        byte[] buffer = new byte[BUFFER];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
          read += n;
        }
      }
    }
    String found = HexFormat.of().formatHex(digest.digest());
    if (length.isEmpty() || read != blob.length() || !found.equals(blob.sha256())) {
      throw new IOException(
          "verification failed for blob "
              + blob.sha256()
              + " in "
              + to.describe()
              + ": expected "
              + blob.length()
              + " bytes with that sha256, found "
              + (length.isEmpty() ? "no blob" : read + " bytes with sha256 " + found)
              + "; run the migration again");
    }
  }

  private void verifyMetadata(String name, byte[] expected) throws IOException {
    Optional<byte[]> found = to.metadata(name);
    if (found.isEmpty() || !Arrays.equals(found.get(), expected)) {
      throw new IOException(
          "verification failed for "
              + StoreKeys.metadata(name)
              + " in "
              + to.describe()
              + ": expected the "
              + expected.length
              + " bytes of "
              + from.describe()
              + ", found "
              + found.map(b -> "other bytes (" + b.length + ")").orElse("none")
              + "; run the migration again");
    }
  }
}
