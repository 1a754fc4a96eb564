package org.warder.registry.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.repo.RegistryRepository;
import org.warder.signing.Digests;

/**
 * The contract every {@link RegistryStore} adapter keeps, run against each by a subclass: blobs
 * stored once and never replaced, refused when their bytes do not match, listed, touched and
 * deleted; versioned metadata and the mutable timestamp; and a whole repository initialised and
 * opened over the store.
 */
abstract class RegistryStoreContract {
  @TempDir Path tmp;

  /** A new, empty store of the adapter under test. */
  abstract RegistryStore store() throws Exception;

  private Path file(byte[] bytes) throws Exception {
    return Files.write(Files.createTempFile(tmp, "verified", ".tmp"), bytes);
  }

  static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static byte[] read(RegistryStore store, String sha256) throws Exception {
    try (InputStream in = store.openBlob(sha256, 0)) {
      return in.readAllBytes();
    }
  }

  @Test
  void aBlobIsStoredOnceReadBackListedAndItsFileTaken() throws Exception {
    RegistryStore store = store();
    byte[] bytes = "plugin bytes".getBytes(StandardCharsets.UTF_8);
    String sha256 = Digests.sha256Hex(bytes);
    Path verified = file(bytes);

    assertThat(store.blobLength(sha256)).isEmpty();
    assertThat(store.putBlob(verified, sha256, bytes.length)).isTrue();

    assertThat(verified).doesNotExist();
    assertThat(store.blobLength(sha256)).hasValue(bytes.length);
    assertThat(read(store, sha256)).isEqualTo(bytes);
    assertThat(store.listBlobs())
        .extracting(BlobStore.Stored::sha256, BlobStore.Stored::length)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(sha256, (long) bytes.length));
  }

  @Test
  void aStoredBlobIsNeverReplaced() throws Exception {
    RegistryStore store = store();
    byte[] bytes = "the same bytes".getBytes(StandardCharsets.UTF_8);
    String sha256 = Digests.sha256Hex(bytes);
    assertThat(store.putBlob(file(bytes), sha256, bytes.length)).isTrue();

    Path again = file(bytes);
    assertThat(store.putBlob(again, sha256, bytes.length)).isFalse();

    assertThat(again).doesNotExist();
    assertThat(read(store, sha256)).isEqualTo(bytes);
    assertThat(store.listBlobs()).hasSize(1);
  }

  @Test
  void aBlobLargerThanOnePartAndAnEmptyBlobAreStoredWhole() throws Exception {
    RegistryStore store = store();
    byte[] large = random(S3Store.PART_SIZE * 2 + 12_345, 7);
    String largeSha = Digests.sha256Hex(large);
    byte[] empty = new byte[0];
    String emptySha = Digests.sha256Hex(empty);

    assertThat(store.putBlob(file(large), largeSha, large.length)).isTrue();
    assertThat(store.putBlob(file(empty), emptySha, 0)).isTrue();

    assertThat(read(store, largeSha)).isEqualTo(large);
    try (InputStream tail = store.openBlob(largeSha, S3Store.PART_SIZE + 5)) {
      assertThat(tail.readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(large, S3Store.PART_SIZE + 5, large.length));
    }
    assertThat(store.blobLength(emptySha)).hasValue(0);
    assertThat(read(store, emptySha)).isEmpty();
  }

  @Test
  void aBlobOfAnotherLengthThanDeclaredIsRefusedAndNothingBecomesVisible() throws Exception {
    RegistryStore store = store();
    byte[] bytes = "twelve bytes".getBytes(StandardCharsets.UTF_8);
    String sha256 = Digests.sha256Hex(bytes);

    assertThatThrownBy(() -> store.putBlob(file(bytes), sha256, bytes.length + 1))
        .hasMessageContaining("expected blob " + sha256 + " of 13 bytes")
        .hasMessageContaining("upload the blob again");

    assertThat(store.blobLength(sha256)).isEmpty();
    assertThat(store.listBlobs()).isEmpty();
  }

  @Test
  void touchingMovesTheTimeGcSeesAndAMissingBlobIsNotTouched() throws Exception {
    RegistryStore store = store();
    byte[] bytes = "touched".getBytes(StandardCharsets.UTF_8);
    String sha256 = Digests.sha256Hex(bytes);
    store.putBlob(file(bytes), sha256, bytes.length);
    Instant later = Instant.parse("2031-05-06T07:08:09.123Z");

    assertThat(store.touchBlob(sha256, later)).hasValue(bytes.length);
    assertThat(store.listBlobs()).extracting(BlobStore.Stored::touched).containsExactly(later);

    String missing = Digests.sha256Hex(new byte[] {1});
    assertThat(store.touchBlob(missing, later)).isEmpty();
    assertThat(store.listBlobs()).hasSize(1);
  }

  @Test
  void aDeletedBlobIsGone() throws Exception {
    RegistryStore store = store();
    byte[] bytes = "doomed".getBytes(StandardCharsets.UTF_8);
    String sha256 = Digests.sha256Hex(bytes);
    store.putBlob(file(bytes), sha256, bytes.length);
    store.touchBlob(sha256, Instant.parse("2030-01-01T00:00:00Z"));

    assertThat(store.deleteBlob(sha256)).isTrue();
    assertThat(store.deleteBlob(sha256)).isFalse();

    assertThat(store.blobLength(sha256)).isEmpty();
    assertThat(store.listBlobs()).isEmpty();
    assertThatThrownBy(() -> store.openBlob(sha256, 0)).isInstanceOf(NoSuchFileException.class);
    // stored again after deletion: a fresh blob, not the old touched time
    assertThat(store.putBlob(file(bytes), sha256, bytes.length)).isTrue();
  }

  @Test
  void metadataIsReadBackListedAndOnlyTheTimestampChangesItsTag() throws Exception {
    RegistryStore store = store();
    byte[] root = "{\"root\":1}".getBytes(StandardCharsets.UTF_8);

    assertThat(store.metadata("1.root.json")).isEmpty();
    assertThatThrownBy(store::timestampTag).isInstanceOf(NoSuchFileException.class);
    store.putMetadata("1.root.json", root);
    store.putMetadata("1.snapshot.json", "{\"snapshot\":1}".getBytes(StandardCharsets.UTF_8));
    byte[] one = "{\"timestamp\":1}".getBytes(StandardCharsets.UTF_8);
    store.putTimestamp(one, Optional.empty());
    Object first = store.timestampTag();
    store.putTimestamp(
        "{\"timestamp\":2,\"longer\":true}".getBytes(StandardCharsets.UTF_8), Optional.of(one));

    assertThat(store.metadata("1.root.json")).hasValue(root);
    assertThat(store.metadata("timestamp.json").orElseThrow())
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("{\"timestamp\":2,\"longer\":true}");
    assertThat(store.timestampTag()).isNotEqualTo(first);
    assertThat(store.metadataNames())
        .containsExactlyInAnyOrder("1.root.json", "1.snapshot.json", "timestamp.json");
    assertThat(store.listBlobs()).isEmpty();
  }

  @Test
  void aVersionedFileIsCreatedOnceAndNeverReplacedByOtherBytes() throws Exception {
    RegistryStore store = store();
    byte[] mine = "{\"snapshot\":7,\"by\":\"a\"}".getBytes(StandardCharsets.UTF_8);
    byte[] theirs = "{\"snapshot\":7,\"by\":\"b\"}".getBytes(StandardCharsets.UTF_8);

    assertThat(store.createMetadata("7.snapshot.json", mine)).isTrue();
    assertThat(store.createMetadata("7.snapshot.json", mine)).as("the same bytes again").isTrue();
    assertThat(store.createMetadata("7.snapshot.json", theirs)).as("other bytes").isFalse();

    assertThat(store.metadata("7.snapshot.json")).hasValue(mine);
    assertThat(store.metadataNames()).containsExactly("7.snapshot.json");
  }

  @Test
  void aFailedChangeDeletesOnlyTheBytesItWrote() throws Exception {
    RegistryStore store = store();
    byte[] mine = "{\"releases\":3,\"by\":\"a\"}".getBytes(StandardCharsets.UTF_8);
    byte[] theirs = "{\"releases\":3,\"by\":\"b\"}".getBytes(StandardCharsets.UTF_8);
    store.putMetadata("3.releases.json", theirs);

    store.deleteMetadata("3.releases.json", mine);
    assertThat(store.metadata("3.releases.json"))
        .as("another writer's bytes stay")
        .hasValue(theirs);

    store.putMetadata("3.releases.json", mine);
    store.deleteMetadata("3.releases.json", mine);
    assertThat(store.metadata("3.releases.json")).isEmpty();
    assertThat(store.metadataNames()).isEmpty();
    store.deleteMetadata("3.releases.json", mine); // absent: no error
  }

  @Test
  void theTimestampIsReplacedOnlyWhileItHoldsWhatTheWriterRead() throws Exception {
    RegistryStore store = store();
    byte[] v1 = "{\"timestamp\":1}".getBytes(StandardCharsets.UTF_8);
    byte[] v2 = "{\"timestamp\":2}".getBytes(StandardCharsets.UTF_8);
    byte[] stale =
        "{\"timestamp\":2,\"by\":\"a node that lost the lease\"}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> store.putTimestamp(v2, Optional.of(v1)))
        .as("replacing a timestamp while there is none")
        .isInstanceOf(StoreConflictException.class);
    assertThat(store.metadata("timestamp.json")).isEmpty();
    store.putTimestamp(v1, Optional.empty());
    assertThatThrownBy(() -> store.putTimestamp(v2, Optional.empty()))
        .as("creating a timestamp while there is one")
        .isInstanceOf(StoreConflictException.class)
        .hasMessageContaining("another writer changed it");
    store.putTimestamp(v2, Optional.of(v1)); // the signer that read v1
    assertThatThrownBy(() -> store.putTimestamp(stale, Optional.of(v1)))
        .as("a second writer that also read v1")
        .isInstanceOf(StoreConflictException.class)
        .hasMessageContaining("nothing was written");

    assertThat(store.metadata("timestamp.json")).hasValue(v2);
    assertThat(store.metadataNames()).containsExactly("timestamp.json");
  }

  @Test
  void anUploadPartIsStoredReadBackAndDeletedApartFromBlobsAndMetadata() throws Exception {
    RegistryStore store = store();
    byte[] bytes = random(70_000, 9);
    Path chunk = file(bytes);
    String key = StoreKeys.part("0c9a7e1e-7d3f-4f7a-9d7e-6f1f2b3c4d5e", 70_000, "a1b2c3");

    store.putPart(key, chunk);

    assertThat(chunk).doesNotExist();
    try (InputStream in = store.openPart(key)) {
      assertThat(in.readAllBytes()).isEqualTo(bytes);
    }
    assertThat(store.listBlobs()).isEmpty();
    assertThat(store.metadataNames()).isEmpty();
    assertThat(store.listParts())
        .singleElement()
        .satisfies(
            part -> {
              assertThat(part.key()).isEqualTo(key);
              assertThat(part.length()).isEqualTo(70_000);
              assertThat(part.stored())
                  .isBetween(Instant.now().minusSeconds(600), Instant.now().plusSeconds(600));
            });
    store.deletePart(key);
    assertThatThrownBy(() -> store.openPart(key)).isInstanceOf(NoSuchFileException.class);
    assertThat(store.listParts()).isEmpty();
    store.deletePart(key); // gone already: nothing to do
  }

  @Test
  void aRepositoryIsInitialisedOpenedAndReferencesNothingOverTheStore() throws Exception {
    RegistryStore store = store();
    RegistryLayout layout = new RegistryLayout(tmp.resolve("data"));

    RegistryRepository.Initialised init =
        RegistryRepository.initialise(layout, store, "passphrase".toCharArray(), Clock.systemUTC());
    RegistryRepository repository = RegistryRepository.open(layout, store, Clock.systemUTC());

    assertThat(RegistryRepository.isInitialised(store)).isTrue();
    assertThat(init.rootSha256())
        .isEqualTo(Digests.sha256Hex(store.metadata("1.root.json").orElseThrow()));
    assertThat(init.rootFile()).hasBinaryContent(store.metadata("1.root.json").orElseThrow());
    assertThat(repository.status().timestampVersion()).isEqualTo(1);
    assertThat(store.metadataNames())
        .containsExactlyInAnyOrder(
            "1.root.json", "1.targets.json", "1.snapshot.json", "timestamp.json");
    assertThat(new ReferencedBlobs(store).all()).isEmpty();
    // the keys stay in the data directory, whatever the store
    assertThat(layout.key("timestamp")).exists();
  }
}
