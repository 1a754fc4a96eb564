package org.warder.client.archive;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Decodes an {@code .xz} file to nowhere with {@link ParallelXzInputStream} and prints the
 * throughput, for comparison with {@code xz -T0 -d -c FILE > /dev/null}. A tool, not a test and not
 * part of warder; after {@code mvn -o -pl client -am verify -DskipTests}:
 *
 * <pre>
 * java -cp 'client/target/test-classes:client/target/warder.jar:client/target/lib/*' \
 *     org.warder.client.archive.XzDecodeBenchmark FILE THREADS [RUNS]
 * </pre>
 */
public final class XzDecodeBenchmark {
  private XzDecodeBenchmark() {}

  /** One decode: the bytes produced, the time taken, and the threads and blocks involved. */
  public record Measurement(long bytes, long nanos, int threads, int blocks) {
    /** Decoded megabytes (10^6 bytes) per second. */
    public double megabytesPerSecond() {
      return bytes / (nanos / 1e9) / 1e6;
    }
  }

  /** Decodes {@code file} with up to {@code threads} threads and discards the output. */
  public static Measurement decodeToNull(Path file, int threads) throws IOException {
    byte[] buffer = new byte[1 << 17];
    long start = System.nanoTime();
    long total = 0;
    try (ParallelXzInputStream in = ParallelXzInputStream.open(file, threads)) {
      int n;
      while ((n = in.read(buffer, 0, buffer.length)) >= 0) {
        total += n;
      }
      return new Measurement(total, System.nanoTime() - start, in.threads(), in.blockCount());
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: XzDecodeBenchmark FILE THREADS [RUNS]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    int threads = Integer.parseInt(args[1]);
    int runs = args.length == 3 ? Integer.parseInt(args[2]) : 3;
    for (int i = 1; i <= runs; i++) {
      Measurement m = decodeToNull(file, threads);
      System.out.printf(
          Locale.ROOT,
          "run %d: %d bytes in %.3f s = %.1f MB/s (threads %d, blocks %d)%n",
          i,
          m.bytes(),
          m.nanos() / 1e9,
          m.megabytesPerSecond(),
          m.threads(),
          m.blocks());
    }
  }
}
