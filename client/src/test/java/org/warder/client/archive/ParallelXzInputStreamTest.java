package org.warder.client.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.SeekableFileInputStream;
import org.tukaani.xz.SeekableXZInputStream;
import org.warder.signing.testing.ExternalTools;

/**
 * {@link ParallelXzInputStream} against {@code xz -d}: byte-for-byte on multi-block files written
 * by {@code xz -T2 --block-size}, on single-block, concatenated and empty files, and refusals of
 * corrupt, truncated and padded-with-garbage files.
 */
class ParallelXzInputStreamTest {
  @TempDir static Path dir;

  static Path xz;
  static byte[] data;
  static Path data1;
  static Path multiBlock;
  static Path singleBlock;

  @BeforeAll
  static void makeFiles() throws Exception {
    xz = ExternalTools.require("xz", "xz-utils");
    data = text(3_000_000, 42);
    data1 = dir.resolve("data");
    Files.write(data1, data);
    multiBlock = dir.resolve("multi.xz");
    ExternalTools.runOk(data1, multiBlock, xz.toString(), "-T2", "--block-size=128KiB", "-c");
    singleBlock = dir.resolve("single.xz");
    ExternalTools.runOk(data1, singleBlock, xz.toString(), "-T1", "-c");
  }

  /** Compressible text: words, numbers and line breaks from a seeded generator. */
  static byte[] text(int size, long seed) {
    String[] words = {
      "jail",
      "release",
      "base",
      "txz",
      "FreeBSD",
      "warder",
      "block",
      "xz",
      "pkg",
      "zfs",
      "snapshot",
      "template",
      "devfs",
      "nullfs",
      "/usr/local/etc",
      "schg"
    };
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder(size + 64);
    while (sb.length() < size) {
      sb.append(words[random.nextInt(words.length)]);
      sb.append(random.nextInt(10) == 0 ? '\n' : ' ');
      if (random.nextInt(7) == 0) {
        sb.append(random.nextInt(100_000));
      }
    }
    return Arrays.copyOf(sb.toString().getBytes(StandardCharsets.US_ASCII), size);
  }

  /** What {@code xz -d} makes of {@code file}. */
  static byte[] xzDecode(Path file) throws Exception {
    Path out = Files.createTempFile(dir, "xz-d", ".out");
    ExternalTools.runOk(null, out, xz.toString(), "-d", "-c", file.toString());
    return Files.readAllBytes(out);
  }

  /** Reads {@code in} to its end in odd-sized reads, mixing in single-byte reads. */
  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    readInto(in, out);
    return out.toByteArray();
  }

  static void readInto(InputStream in, ByteArrayOutputStream out) throws IOException {
    byte[] buf = new byte[7919];
    while (true) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      out.write(b);
      int n = in.read(buf, 3, buf.length - 3);
      if (n < 0) {
        return;
      }
      out.write(buf, 3, n);
    }
  }

  static int blocks(Path file) throws IOException {
    try (SeekableXZInputStream s =
        new SeekableXZInputStream(new SeekableFileInputStream(file.toFile()))) {
      return s.getBlockCount();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 4, 64})
  void testRead_multiBlockEqualsXzDecode(int threads) throws Exception {
    byte[] reference = xzDecode(multiBlock);
    assertThat(reference).isEqualTo(data);
    int blocks = blocks(multiBlock);
    assertThat(blocks).as("xz -T2 --block-size=128KiB of 3 MB").isGreaterThan(20);

    try (ParallelXzInputStream in = ParallelXzInputStream.open(multiBlock, threads)) {
      assertThat(in.blockCount()).isEqualTo(blocks);
      assertThat(in.threads()).isEqualTo(Math.min(threads, blocks));
      assertThat(readAll(in)).isEqualTo(reference);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  static byte[] big;
  static Path bigBlocks;

  /** 6 MB in three 2 MiB blocks. */
  static synchronized Path bigBlocks() throws Exception {
    if (bigBlocks == null) {
      big = text(6_000_000, 7);
      Path plain = dir.resolve("big");
      Files.write(plain, big);
      bigBlocks = dir.resolve("big-blocks.xz");
      ExternalTools.runOk(plain, bigBlocks, xz.toString(), "-T2", "--block-size=2MiB", "-c");
      assertThat(blocks(bigBlocks)).isEqualTo(3);
    }
    return bigBlocks;
  }

  @Test
  void testRead_blocksLargerThanTheBufferAreStreamed() throws Exception {
    Path file = bigBlocks();
    // A 1-byte budget leaves each block a 1 MiB share, below the 2 MiB blocks.
    try (ParallelXzInputStream in = ParallelXzInputStream.open(file, 2, 1)) {
      assertThat(in.threads()).isEqualTo(2);
      assertThat(readAll(in)).isEqualTo(xzDecode(file)).isEqualTo(big);
    }
  }

  @Test
  void testRead_corruptStreamedBlockFails() throws Exception {
    Path file = bigBlocks();
    long blockStart;
    long flipAt;
    try (SeekableXZInputStream s =
        new SeekableXZInputStream(new SeekableFileInputStream(file.toFile()))) {
      blockStart = s.getBlockPos(1);
      flipAt = s.getBlockCompPos(1) + s.getBlockCompSize(1) / 2;
    }
    Path bad = corrupt(file, "corrupt-streamed.xz", flipAt);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try (ParallelXzInputStream in = ParallelXzInputStream.open(bad, 2, 1)) {
      assertThatThrownBy(() -> readInto(in, got))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("xz block 2 of 3");
    }
    // Streamed, so part of the bad block may have been handed out; the good block was all.
    assertThat(got.size()).isGreaterThanOrEqualTo((int) blockStart).isLessThan(big.length);
    assertThat(Arrays.copyOf(got.toByteArray(), (int) blockStart))
        .isEqualTo(Arrays.copyOf(big, (int) blockStart));
  }

  @Test
  void testOpen_singleBlockFallsBackToOneThread() throws Exception {
    try (ParallelXzInputStream in = ParallelXzInputStream.open(singleBlock, 4)) {
      assertThat(in.blockCount()).isEqualTo(1);
      assertThat(in.threads()).isEqualTo(1);
      assertThat(readAll(in)).isEqualTo(xzDecode(singleBlock)).isEqualTo(data);
    }
  }

  @Test
  void testOpen_oneThreadDecodesMultiBlockSequentially() throws Exception {
    try (ParallelXzInputStream in = ParallelXzInputStream.open(multiBlock, 1)) {
      assertThat(in.threads()).isEqualTo(1);
      assertThat(readAll(in)).isEqualTo(data);
    }
  }

  @Test
  void testRead_concatenatedStreams() throws Exception {
    Path file = dir.resolve("concat.xz");
    byte[] both = concat(Files.readAllBytes(multiBlock), Files.readAllBytes(singleBlock));
    Files.write(file, both);
    byte[] reference = xzDecode(file);
    assertThat(reference).hasSize(2 * data.length);
    try (ParallelXzInputStream in = ParallelXzInputStream.open(file, 2)) {
      assertThat(in.threads()).isEqualTo(2);
      assertThat(readAll(in)).isEqualTo(reference);
    }
  }

  @Test
  void testRead_emptyInput() throws Exception {
    Path empty = dir.resolve("empty");
    Files.write(empty, new byte[0]);
    Path file = dir.resolve("empty.xz");
    ExternalTools.runOk(empty, file, xz.toString(), "-T2", "-c");
    try (ParallelXzInputStream in = ParallelXzInputStream.open(file, 2)) {
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void testRead_corruptBlockFailsAfterExactlyTheBlocksBeforeIt() throws Exception {
    int bad = 5;
    long blockStart;
    long flipAt;
    try (SeekableXZInputStream s =
        new SeekableXZInputStream(new SeekableFileInputStream(multiBlock.toFile()))) {
      blockStart = s.getBlockPos(bad);
      flipAt = s.getBlockCompPos(bad) + s.getBlockCompSize(bad) / 2;
    }
    Path file = corrupt(multiBlock, "corrupt-block.xz", flipAt);
    assertThat(ExternalTools.run(null, null, xz.toString(), "-t", file.toString()).exitCode())
        .as("xz -t on the corrupted file")
        .isNotZero();

    for (int threads : new int[] {2, 4}) {
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try (ParallelXzInputStream in = ParallelXzInputStream.open(file, threads)) {
        assertThatThrownBy(() -> readInto(in, got))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("xz block " + (bad + 1) + " of ")
            .hasMessageContaining(file.toString());
        // Failed streams stay failed.
        assertThatThrownBy(in::read).isInstanceOf(IOException.class);
      }
      // Blocks are handed out only after their check passed: nothing of the bad block shows.
      assertThat(got.size()).isEqualTo(blockStart);
      assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(data, (int) blockStart));
    }
  }

  @Test
  void testRead_corruptSingleBlockFails() throws Exception {
    Path file = corrupt(singleBlock, "corrupt-single.xz", Files.size(singleBlock) / 2);
    try (ParallelXzInputStream in = ParallelXzInputStream.open(file, 2)) {
      assertThat(in.threads()).isEqualTo(1);
      assertThatThrownBy(() -> readAll(in)).isInstanceOf(IOException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void testOpen_truncatedFilesNeverReachEndOfStream(int threads) throws Exception {
    byte[] whole = Files.readAllBytes(multiBlock);
    for (int cut :
        new int[] {
          1,
          12,
          whole.length / 3,
          whole.length / 2,
          whole.length - 13,
          whole.length - 4,
          whole.length - 1
        }) {
      Path file = dir.resolve("truncated-" + threads + "-" + cut + ".xz");
      Files.write(file, Arrays.copyOf(whole, cut));
      expectFailure(file, threads);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void testOpen_corruptIndexOrFooterFails(int threads) throws Exception {
    long size = Files.size(multiBlock);
    for (long at : new long[] {size - 2, size - 8, size - 14, size - 30}) {
      expectFailure(corrupt(multiBlock, "corrupt-tail-" + threads + "-" + at + ".xz", at), threads);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void testOpen_trailingGarbageFails(int threads) throws Exception {
    Path file = dir.resolve("garbage-" + threads + ".xz");
    Files.write(
        file, concat(Files.readAllBytes(multiBlock), "junk\n".getBytes(StandardCharsets.US_ASCII)));
    assertThat(ExternalTools.run(null, null, xz.toString(), "-t", file.toString()).exitCode())
        .isNotZero();
    expectFailure(file, threads);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void testRead_decoderNeedingMoreThanTheMemoryLimitFails(int threads) throws Exception {
    // xz's default preset has an 8 MiB dictionary; allow 1 MiB.
    try (ParallelXzInputStream in = ParallelXzInputStream.open(multiBlock, threads, 0, 1024)) {
      assertThatThrownBy(() -> readAll(in))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("limit was 1024 KiB");
    }
  }

  @Test
  void testOpen_notXzFails() throws Exception {
    assertThatThrownBy(() -> ParallelXzInputStream.open(data1, 2))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(data1.toString());
    expectFailure(data1, 1);
  }

  @Test
  void testClose_midStreamStopsTheDecodingThreads() throws Exception {
    ParallelXzInputStream in = ParallelXzInputStream.open(multiBlock, 3);
    assertThat(in.read(new byte[1000])).isPositive();
    in.close();
    assertThat(liveDecoderThreads()).isZero();
    assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
  }

  @Test
  void testRead_endOfStreamStopsTheDecodingThreads() throws Exception {
    try (ParallelXzInputStream in = ParallelXzInputStream.open(multiBlock, 3)) {
      readAll(in);
      assertThat(liveDecoderThreads()).isZero();
    }
  }

  /** Decoder threads still alive; a thread may take a moment to die after its pool ended. */
  private static long liveDecoderThreads() throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (true) {
      long live =
          Thread.getAllStackTraces().keySet().stream()
              .filter(t -> t.getName().startsWith("warder-xz-") && t.isAlive())
              .count();
      if (live == 0 || System.nanoTime() > deadline) {
        return live;
      }
      Thread.sleep(10);
    }
  }

  /** Opening or reading {@code file} throws; it never reaches a clean end of stream. */
  private static void expectFailure(Path file, int threads) {
    try (ParallelXzInputStream in = ParallelXzInputStream.open(file, threads)) {
      readAll(in);
      fail("decoded " + file + " to a clean end of stream");
    } catch (IOException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  private static Path corrupt(Path source, String name, long offset) throws IOException {
    byte[] bytes = Files.readAllBytes(source);
    bytes[(int) offset] ^= 0x55;
    Path file = dir.resolve(name);
    Files.write(file, bytes);
    return file;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
