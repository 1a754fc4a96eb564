package org.warder.client.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.CorruptedInputException;
import org.tukaani.xz.SeekableFileInputStream;
import org.tukaani.xz.SeekableXZInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Decodes an {@code .xz} file with several threads, the way {@code xz -T} does: the file's index
 * locates its blocks, one decoder per thread decodes whole blocks ahead of the reader, and the
 * bytes come out in file order. A file of one block (what single-threaded {@code xz} writes) is
 * decoded by one plain {@link XZInputStream}.
 *
 * <p>Memory is bounded: at most {@code threads + 1} blocks are in flight, and each holds at most
 * its share of the buffer ({@code maxBufferedBytes / (threads + 1)}, by default {@link
 * #DEFAULT_BUFFER_PER_THREAD}) of decoded bytes. A block that fits its share is handed to the
 * reader only after its integrity check (CRC64, CRC32 or SHA-256) has passed, so a corrupt block
 * yields an {@link IOException} before any of its bytes. A larger block is streamed in 1 MiB chunks
 * as it decodes and, as with {@code xz -d}, may hand out bytes before the decoder finds it corrupt.
 * Either way the reader sees end of stream only after every block and the index have verified. Each
 * decoder's memory is capped ({@link #DEFAULT_DECODER_MEMORY_LIMIT_KIB}); a file that asks for more
 * is refused.
 *
 * <p>Not thread-safe: one thread reads (the decoding threads are internal, daemons named {@code
 * warder-xz-N}). Close it, also after a failure, to stop them and release the file.
 */
public final class ParallelXzInputStream extends InputStream {
  /** The decoded bytes each block in flight may hold by default: 32 MiB. */
  public static final long DEFAULT_BUFFER_PER_THREAD = 32L << 20;

  /**
   * The memory one block decoder may use by default, in KiB: 128 MiB, enough for {@code xz -9} (64
   * MiB dictionary). FreeBSD's releases use {@code xz}'s default preset (8 MiB).
   */
  public static final int DEFAULT_DECODER_MEMORY_LIMIT_KIB = 128 * 1024;

  private static final int CHUNK = 1 << 20;
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

  private final Path file;
  private final InputStream single;
  private final Pipeline pipeline;
  private final int blockCount;
  private final byte[] one = new byte[1];
  private boolean closed;

  private ParallelXzInputStream(Path file, InputStream single, Pipeline pipeline, int blockCount) {
    this.file = file;
    this.single = single;
    this.pipeline = pipeline;
    this.blockCount = blockCount;
  }

  /**
   * Opens {@code file} for decoding with up to {@code threads} threads, holding at most {@link
   * #DEFAULT_BUFFER_PER_THREAD} decoded bytes per block in flight: blocks of {@code xz -T}'s
   * default size (24 MiB at the default preset) are each verified before their bytes are handed
   * out.
   */
  public static ParallelXzInputStream open(Path file, int threads) throws IOException {
    return open(file, threads, 0, DEFAULT_DECODER_MEMORY_LIMIT_KIB);
  }

  /**
   * Opens {@code file} for decoding with up to {@code threads} threads, holding at most about
   * {@code maxBufferedBytes} decoded bytes ahead of the reader (plus one 1 MiB chunk per block in
   * flight); 0 means the default of {@link #open(Path, int)}.
   *
   * @throws IOException if the file cannot be read, is not an {@code .xz} file, is truncated, or
   *     its index is corrupt
   * @throws IllegalArgumentException if {@code threads < 1} or {@code maxBufferedBytes < 0}
   */
  public static ParallelXzInputStream open(Path file, int threads, long maxBufferedBytes)
      throws IOException {
    return open(file, threads, maxBufferedBytes, DEFAULT_DECODER_MEMORY_LIMIT_KIB);
  }

  /** As {@link #open(Path, int, long)}, with each decoder limited to {@code decoderMemoryKiB}. */
  public static ParallelXzInputStream open(
      Path file, int threads, long maxBufferedBytes, int decoderMemoryKiB) throws IOException {
    Objects.requireNonNull(file, "file");
    if (threads < 1 || maxBufferedBytes < 0 || decoderMemoryKiB < 1) {
      throw new IllegalArgumentException(
          "expected threads, buffer and memory limit >= 1, found "
              + threads
              + ", "
              + maxBufferedBytes
              + ", "
              + decoderMemoryKiB);
    }
    if (threads == 1) {
      return single(file, decoderMemoryKiB, -1);
    }
    SeekableXZInputStream first = openSeekable(file, decoderMemoryKiB);
    int blocks = first.getBlockCount();
    if (blocks <= 1) {
      first.close();
      return single(file, decoderMemoryKiB, blocks);
    }
    Pipeline pipeline;
    try {
      pipeline =
          new Pipeline(file, first, Math.min(threads, blocks), maxBufferedBytes, decoderMemoryKiB);
    } catch (IOException | RuntimeException e) {
      first.close();
      throw e;
    }
    return new ParallelXzInputStream(file, null, pipeline, blocks);
  }

  private static ParallelXzInputStream single(Path file, int memoryKiB, int blocks)
      throws IOException {
    InputStream raw = Files.newInputStream(file);
    try {
      InputStream xz = new XZInputStream(new BufferedInputStream(raw, 1 << 16), memoryKiB);
      return new ParallelXzInputStream(file, xz, null, blocks);
    } catch (IOException e) {
      raw.close();
      throw new IOException(file + ": not a readable .xz file: " + e.getMessage(), e);
    }
  }

  private static SeekableXZInputStream openSeekable(Path file, int memoryKiB) throws IOException {
    SeekableFileInputStream in = new SeekableFileInputStream(file.toFile());
    try {
      return new SeekableXZInputStream(in, memoryKiB, true, new BasicArrayCache());
    } catch (IOException e) {
      in.close();
      throw new IOException(
          file + ": expected a complete .xz file with a valid index, found: " + e.getMessage(), e);
    }
  }

  /** The threads decoding: 1 when the file has one block or one thread was asked for. */
  public int threads() {
    return pipeline == null ? 1 : pipeline.threads;
  }

  /** The number of xz blocks, or -1 when not looked at (single-threaded decoding asked for). */
  public int blockCount() {
    return blockCount;
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, buf.length);
    if (closed) {
      throw new IOException(file + ": stream closed");
    }
    if (len == 0) {
      return 0;
    }
    if (pipeline != null) {
      return pipeline.read(buf, off, len);
    }
    try {
      return single.read(buf, off, len);
    } catch (IOException e) {
      throw new IOException(file + ": corrupt .xz data: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (pipeline != null) {
      pipeline.shutdown();
    } else {
      single.close();
    }
  }

  /** One chunk of a block's output, its end, or its failure. */
  private sealed interface Item permits Data, End, Failure {}

  @SuppressWarnings("ArrayRecordComponent") // a buffer handed over once, never compared
  private record Data(byte[] bytes) implements Item {}

  private record End() implements Item {}

  private record Failure(IOException error) implements Item {}

  /** The parallel decoder: a window of block jobs, consumed in order. */
  private static final class Pipeline {
    private final Path file;
    private final int threads;
    private final int blockCount;
    private final long[] sizes;
    private final long[] compressedOffsets;
    private final long perBlockLimit;
    private final int window;
    private final ExecutorService pool;
    private final BlockingQueue<SeekableXZInputStream> idle = new LinkedBlockingQueue<>();
    private final List<SeekableXZInputStream> decoders = new ArrayList<>();
    private final ArrayDeque<Job> inFlight = new ArrayDeque<>();
    private volatile boolean cancelled;
    private int nextBlock;
    private byte[] current;
    private int position;
    private boolean finished;
    private IOException failure;

    Pipeline(Path file, SeekableXZInputStream first, int threads, long maxBuffered, int memoryKiB)
        throws IOException {
      this.file = file;
      this.threads = threads;
      this.blockCount = first.getBlockCount();
      this.sizes = new long[blockCount];
      this.compressedOffsets = new long[blockCount];
      for (int i = 0; i < blockCount; i++) {
        sizes[i] = first.getBlockSize(i);
        compressedOffsets[i] = first.getBlockCompPos(i);
      }
      this.window = threads + 1;
      this.perBlockLimit =
          maxBuffered == 0 ? DEFAULT_BUFFER_PER_THREAD : Math.max(CHUNK, maxBuffered / window);
      decoders.add(first);
      idle.add(first);
      try {
        for (int i = 1; i < threads; i++) {
          SeekableXZInputStream decoder = openSeekable(file, memoryKiB);
          decoders.add(decoder);
          idle.add(decoder);
        }
      } catch (IOException e) {
        closeDecoders();
        throw e;
      }
      ThreadFactory factory =
          r -> {
            Thread t = new Thread(r, "warder-xz-" + THREAD_NUMBER.incrementAndGet());
            t.setDaemon(true);
            return t;
          };
      this.pool = Executors.newFixedThreadPool(threads, factory);
      refill();
    }

    int read(byte[] buf, int off, int len) throws IOException {
      while (current == null || position == current.length) {
        if (!advance()) {
          return -1;
        }
      }
      int n = Math.min(len, current.length - position);
      System.arraycopy(current, position, buf, off, n);
      position += n;
      return n;
    }

    /** Moves to the next chunk; false at the end of the last block. */
    private boolean advance() throws IOException {
      current = null;
      position = 0;
      if (failure != null) {
        throw new IOException(failure.getMessage(), failure);
      }
      if (finished) {
        return false;
      }
      Job head = inFlight.peekFirst();
      if (head == null) {
        finished = true;
        shutdown();
        return false;
      }
      Item item;
      try {
        item = head.items.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for xz block " + head.block);
      }
      if (item instanceof Data data) {
        current = data.bytes();
      } else if (item instanceof End) {
        inFlight.removeFirst();
        refill();
      } else {
        IOException error = ((Failure) item).error();
        failure = new IOException(describe(head.block) + ": " + error.getMessage(), error);
        finished = true;
        shutdown();
        throw failure;
      }
      return true;
    }

    private void refill() {
      while (!cancelled && inFlight.size() < window && nextBlock < blockCount) {
        int block = nextBlock++;
        Job job = new Job(block, sizes[block] <= perBlockLimit);
        inFlight.addLast(job);
        pool.execute(job);
      }
    }

    private String describe(int block) {
      return String.format(
          Locale.ROOT,
          "%s: expected xz block %d of %d (at compressed offset %d, %d bytes decoded) to decode"
              + " and verify",
          file,
          block + 1,
          blockCount,
          compressedOffsets[block],
          sizes[block]);
    }

    void shutdown() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      pool.shutdownNow();
      boolean interrupted = false;
      try {
        // Workers look for cancellation between 1 MiB chunks and block only in interruptible
        // queue operations, so they end within milliseconds.
        pool.awaitTermination(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
      closeDecoders();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }

    private void closeDecoders() {
      for (SeekableXZInputStream decoder : decoders) {
        try {
          decoder.close();
        } catch (IOException e) {
          // Closing a read-only file; nothing to recover.
        }
      }
    }

    /** Decodes one block into its queue. */
    private final class Job implements Runnable {
      final int block;
      final boolean verifyFirst;
      final BlockingQueue<Item> items;

      Job(int block, boolean verifyFirst) {
        this.block = block;
        this.verifyFirst = verifyFirst;
        // A streamed block may hold perBlockLimit bytes; a verified one is at most that anyway.
        this.items =
            verifyFirst
                ? new LinkedBlockingQueue<>()
                : new LinkedBlockingQueue<>(
                    (int) Math.min(1 << 20, Math.max(1, perBlockLimit / CHUNK)));
      }

      @Override
      public void run() {
        SeekableXZInputStream decoder;
        try {
          // Never waits: each of the pool's threads returns its decoder before its next job.
          decoder = idle.take();
        } catch (InterruptedException e) {
          return; // shutting down
        }
        try {
          decode(decoder);
        } catch (InterruptedException e) {
          // cancelled: nobody reads this block any more
        } catch (Error e) {
          // Without an item the reader would wait for this block forever.
          items.offer(new Failure(new IOException("decoder failed: " + e, e)));
          throw e;
        } finally {
          idle.add(decoder);
        }
      }

      private void decode(SeekableXZInputStream decoder) throws InterruptedException {
        List<byte[]> held = verifyFirst ? new ArrayList<>() : null;
        try {
          decoder.seekToBlock(block);
          long remaining = sizes[block];
          while (remaining > 0) {
            if (cancelled) {
              return;
            }
            byte[] chunk = new byte[(int) Math.min(CHUNK, remaining)];
            readFully(decoder, chunk);
            remaining -= chunk.length;
            // Reading exactly the block's indexed size makes the decoder verify the block's
            // check with the last byte, before this loop ends.
            if (held != null) {
              held.add(chunk);
            } else {
              items.put(new Data(chunk));
            }
          }
        } catch (IOException | RuntimeException e) {
          // The decoder is unusable after a failure, but only jobs for later blocks can get it,
          // and the reader stops at this block.
          items.put(
              new Failure(e instanceof IOException io ? io : new IOException(e.toString(), e)));
          return;
        }
        if (held != null) {
          for (byte[] chunk : held) {
            items.put(new Data(chunk));
          }
        }
        items.put(new End());
      }
    }

    private static void readFully(SeekableXZInputStream in, byte[] chunk) throws IOException {
      int off = 0;
      while (off < chunk.length) {
        int n = in.read(chunk, off, chunk.length - off);
        if (n < 0) {
          throw new CorruptedInputException(
              "block ended " + (chunk.length - off) + " bytes before the size in the index");
        }
        off += n;
      }
    }
  }
}
