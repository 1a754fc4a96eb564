package org.warder.registry.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.api.ErrorCode;
import org.warder.registry.api.RegistryException;
import org.warder.registry.storage.BlobStore;
import org.warder.registry.storage.FileSystemStore;
import org.warder.registry.testing.TestRegistry;
import org.warder.signing.Digests;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.ChunkHashes;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Signed;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;

/** Submissions of delegated metadata straight to the repository, with several at once. */
class RegistryRepositoryTest {
  @TempDir Path tmp;
  private TestRegistry registry;

  @AfterEach
  void tearDown() throws Exception {
    if (registry != null) {
      registry.close();
    }
  }

  private static Metadata<Targets> targets(
      long version, Map<String, TargetFile> files, Ed25519SigningKey key) throws SigningException {
    return Metadata.of(
            new Targets(
                Signed.SPEC_VERSION,
                version,
                Instant.now().plusSeconds(3600),
                files,
                Optional.empty()))
        .signedBy(List.of(key));
  }

  private static TargetFile target(String path, long length, Map<String, String> hashes) {
    return new TargetFile(path, length, hashes, Optional.empty());
  }

  /** Stores {@code content} as a blob; returns its sha256. */
  private String store(byte[] content) throws Exception {
    Path file = Files.write(tmp.resolve("blob-" + System.nanoTime()), content);
    String sha256 = Digests.sha256Hex(content);
    new BlobStore(new FileSystemStore(registry.layout)).put(file, sha256, content.length);
    return sha256;
  }

  private static String hex(String algorithm, byte[] content) {
    return HexFormat.of().formatHex(Digests.newDigest(algorithm).digest(content));
  }

  /** Whether {@code thread} is inside the repository's reading of a whole blob to hash it. */
  private static boolean hashing(Thread thread) {
    return Arrays.stream(thread.getStackTrace())
        .anyMatch(
            f ->
                f.getClassName().equals(RegistryRepository.class.getName())
                    && f.getMethodName().equals("hashStoredBlob"));
  }

  @Test
  void testSubmit_hashingHoldsUpNeitherAnotherPublisherNorResigning() throws Exception {
    registry = TestRegistry.create(tmp);
    RegistryRepository repository = registry.repository;
    Ed25519SigningKey bigKey = Ed25519SigningKey.generate();
    Ed25519SigningKey smallKey = Ed25519SigningKey.generate();
    registry.delegate("big", List.of(bigKey), 1, "big/*");
    registry.delegate("small", List.of(smallKey), 1, "small/*");

    // A 256 MiB blob (sparse: made at once) with sha384 and sha512 signed besides sha256: checking
    // it reads the whole blob through two digests, seconds of work. Its name is not its sha256,
    // which the repository never re-checks (the upload did); its signed sha512 is wrong, so the
    // submission is refused at the end, after the whole blob was read.
    long length = 256L << 20;
    String name = Digests.sha256Hex("not the content".getBytes(StandardCharsets.UTF_8));
    Path blob = registry.layout.blob(name).orElseThrow();
    Files.createDirectories(blob.getParent());
    try (RandomAccessFile f = new RandomAccessFile(blob.toFile(), "rw")) {
      f.setLength(length);
    }
    Map<String, TargetFile> many = new LinkedHashMap<>();
    for (int i = 0; i < 50; i++) {
      many.put(
          "big/f" + i,
          target(
              "big/f" + i,
              length,
              Map.of("sha256", name, "sha384", "0".repeat(96), "sha512", "0".repeat(128))));
    }
    byte[] bigBody = targets(1, many, bigKey).toBytes();
    byte[] content = "small".getBytes(StandardCharsets.UTF_8);
    byte[] smallBody =
        targets(
                1,
                Map.of("small/x", TargetFile.of("small/x", content.length, store(content))),
                smallKey)
            .toBytes();
    long timestampBefore = repository.status().timestampVersion();

    CompletableFuture<Thread> bigThread = new CompletableFuture<>();
    CompletableFuture<RegistryRepository.Published> big =
        CompletableFuture.supplyAsync(
            () -> {
              bigThread.complete(Thread.currentThread());
              try {
                return repository.submit("big", bigBody);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread bigWorker = bigThread.get(10, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!hashing(bigWorker)) {
      assertThat(big).as("the big submission ended before it was seen hashing").isNotDone();
      assertThat(System.nanoTime())
          .as("the big submission never started hashing")
          .isLessThan(deadline);
      Thread.sleep(1);
    }

    // While the big submission hashes: the timestamp and snapshot are re-signed, and another
    // publisher's submission is accepted.
    RegistryRepository.Refreshed refreshed =
        repository.refresh(Duration.ofDays(2), Duration.ofDays(8));
    RegistryRepository.Published small = repository.submit("small", smallBody);
    assertThat(hashing(bigWorker)).as("the big submission still hashes").isTrue();
    assertThat(big).isNotDone();
    assertThat(refreshed).isEqualTo(RegistryRepository.Refreshed.SNAPSHOT_AND_TIMESTAMP);
    assertThat(small.timestamp()).isEqualTo(timestampBefore + 2);
    assertThat(repository.load().targets("small")).isPresent();

    Throwable failed = catchThrowable(() -> big.get(120, TimeUnit.SECONDS));
    assertThat(failed).isInstanceOf(ExecutionException.class);
    assertThat(failed.getCause().getCause())
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UNKNOWN))
        .hasMessageContaining(
            "big target big/f0: the stored blob does not match: big/f0: expected sha")
        .hasMessageContaining("0".repeat(96));
    assertThat(repository.status().timestampVersion()).isEqualTo(small.timestamp());
    assertThat(repository.load().targets("big")).isEmpty();
  }

  @Test
  void testSubmit_otherSignedHashesChecked() throws Exception {
    registry = TestRegistry.create(tmp);
    Ed25519SigningKey key = Ed25519SigningKey.generate();
    registry.delegate("acme", List.of(key), 1, "acme/*");
    byte[] content = "content".getBytes(StandardCharsets.UTF_8);
    String sha256 = store(content);
    Map<String, String> right =
        Map.of(
            "sha256", sha256, "sha512", hex("sha512", content), "sha384", hex("sha384", content));
    Map<String, String> wrong = Map.of("sha256", sha256, "sha512", hex("sha512", new byte[1]));

    Map<String, String> before = registry.metadataFiles();

    // Two targets over one blob, one of them signing a wrong sha512: refused, naming it.
    Map<String, TargetFile> mixed = new LinkedHashMap<>();
    mixed.put("acme/a", target("acme/a", content.length, right));
    mixed.put("acme/b", target("acme/b", content.length, wrong));
    assertThatThrownBy(() -> registry.repository.submit("acme", targets(1, mixed, key).toBytes()))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UNKNOWN))
        .hasMessage(
            "acme target acme/b: the stored blob does not match: acme/b: expected sha512 "
                + hex("sha512", new byte[1])
                + ", found "
                + hex("sha512", content));
    assertThat(registry.metadataFiles()).isEqualTo(before);

    RegistryRepository.Published published =
        registry.repository.submit(
            "acme",
            targets(1, Map.of("acme/a", target("acme/a", content.length, right)), key).toBytes());
    assertThat(published.version()).isEqualTo(1);
    assertThat(registry.repository.load().targets("acme").orElseThrow().signed().targets())
        .containsOnlyKeys("acme/a");
  }

  @Test
  void testSubmit_aSnapshotFileACrashLeftIsSkippedNeverReplaced() throws Exception {
    registry = TestRegistry.create(tmp);
    Ed25519SigningKey key = Ed25519SigningKey.generate();
    registry.delegate("acme", List.of(key), 1, "acme/*");
    byte[] content = "content".getBytes(StandardCharsets.UTF_8);
    Map<String, TargetFile> files =
        Map.of("acme/a", TargetFile.of("acme/a", content.length, store(content)));
    long next = registry.repository.status().snapshotVersion() + 1;
    Path leftover = registry.layout.metadata().resolve(next + ".snapshot.json");
    byte[] unnamed =
        "{\"left by\":\"a change that did not finish\"}".getBytes(StandardCharsets.UTF_8);
    Files.write(leftover, unnamed);

    byte[] body = targets(1, files, key).toBytes();
    RegistryRepository.Published published = registry.repository.submit("acme", body);

    assertThat(published.snapshot()).isEqualTo(next + 1);
    assertThat(leftover).hasBinaryContent(unnamed);
    assertThat(registry.repository.load().snapshot().orElseThrow().signed().version())
        .isEqualTo(next + 1);

    // the same submission again (its answer was lost): answered as published, nothing written
    Map<String, String> before = registry.metadataFiles();
    assertThat(registry.repository.submit("acme", body)).isEqualTo(published);
    assertThat(registry.metadataFiles()).isEqualTo(before);
    // another one of the same version is still refused
    assertThatThrownBy(
            () -> registry.repository.submit("acme", targets(1, Map.of(), key).toBytes()))
        .isInstanceOfSatisfying(
            RegistryException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.VERSION_NOT_INCREASED));
  }

  @Test
  void testSubmit_signedChunkHashesAreCheckedAgainstTheBlob() throws Exception {
    registry = TestRegistry.create(tmp);
    Ed25519SigningKey key = Ed25519SigningKey.generate();
    registry.delegate("acme", List.of(key), 1, "acme/*");
    byte[] content = new byte[3 * ChunkHashes.MIN_SIZE + 5];
    new java.util.Random(3).nextBytes(content);
    String sha256 = store(content);
    ChunkHashes right =
        ChunkHashes.of(new java.io.ByteArrayInputStream(content), content.length, 65536);
    java.util.List<String> swapped = new java.util.ArrayList<>(right.sha256());
    java.util.Collections.swap(swapped, 1, 2);
    Map<String, String> before = registry.metadataFiles();

    TargetFile target =
        new TargetFile(
            "acme/a",
            content.length,
            Map.of("sha256", sha256),
            Optional.of(new ChunkHashes(65536, swapped).addTo(Optional.empty())));
    assertThatThrownBy(
            () ->
                registry.repository.submit(
                    "acme", targets(1, Map.of("acme/a", target), key).toBytes()))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BLOB_UNKNOWN))
        .hasMessageContaining("acme target acme/a: the stored blob does not match: acme/a chunk 1");
    TargetFile malformed =
        new TargetFile(
            "acme/a",
            content.length,
            Map.of("sha256", sha256),
            Optional.of(
                new ChunkHashes(65536, right.sha256().subList(0, 2)).addTo(Optional.empty())));
    assertThatThrownBy(
            () ->
                registry.repository.submit(
                    "acme", targets(1, Map.of("acme/a", malformed), key).toBytes()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("expected 4 chunk hashes");
    assertThat(registry.metadataFiles()).isEqualTo(before);

    TargetFile good =
        new TargetFile(
            "acme/a",
            content.length,
            Map.of("sha256", sha256),
            Optional.of(right.addTo(Optional.empty())));
    assertThat(
            registry
                .repository
                .submit("acme", targets(1, Map.of("acme/a", good), key).toBytes())
                .version())
        .isEqualTo(1);
  }
}
