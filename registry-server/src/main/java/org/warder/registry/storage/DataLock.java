package org.warder.registry.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.warder.signing.PrivateFiles;

/**
 * The exclusive lock on a data directory, held around every change of its repository and tokens so
 * that {@code warder-registry serve} and the offline commands ({@code delegate}, {@code token})
 * never interleave their writes. Across processes it is an exclusive {@link FileLock} on {@code
 * <data>/lock}; within one JVM, where file locks do not exclude, a lock per directory first.
 * Reentrant within a thread. The single-process {@link WriterLock}. Thread-safe.
 */
public final class DataLock {
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

  private DataLock() {}

  /** The writer lock of {@code layout}'s data directory. */
  public static WriterLock writerLock(RegistryLayout layout) {
    return () -> acquire(layout);
  }

  /** Blocks until this thread holds the lock of {@code layout}'s data directory. */
  public static Held acquire(RegistryLayout layout) throws IOException {
    ReentrantLock local = LOCAL.computeIfAbsent(layout.lock(), p -> new ReentrantLock());
    local.lock();
    if (local.getHoldCount() > 1) {
      return new Held(local, null); // the outer hold has the file lock
    }
    FileChannel channel = null;
    try {
      PrivateFiles.createDirectories(layout.data()); // keys, tokens, uploads: the owner's only
      channel =
          FileChannel.open(layout.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channel.lock(); // released when the channel closes, or when the process dies
      return new Held(local, channel);
    } catch (IOException | RuntimeException | Error e) {
      if (channel != null) {
        channel.close();
      }
      local.unlock();
      throw e;
    }
  }

  /** A held lock; closing it releases it. */
  public static final class Held implements WriterLock.Held {
    private final ReentrantLock local;
    private final FileChannel channel;

    private Held(ReentrantLock local, FileChannel channel) {
      this.local = local;
      this.channel = channel;
    }

    @Override
    public void close() throws IOException {
      try {
        if (channel != null) {
          channel.close();
        }
      } finally {
        local.unlock();
      }
    }
  }
}
