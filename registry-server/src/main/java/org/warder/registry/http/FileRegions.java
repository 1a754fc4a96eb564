package org.warder.registry.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingNestedCallback;

/**
 * Zero-copy sending of blobs (sendfile(2) through {@link FileChannel#transferTo}), which Jetty 12.1
 * does not do by itself.
 *
 * <p>A blob's bytes are written as a read-only memory mapping of the file, which is registered here
 * with the file's channel while the write is in flight. The {@link Connector}'s end points send a
 * registered buffer with {@code transferTo} from the file, advancing the buffer's position as a
 * normal write would; any other path (a buffer copied or aggregated by Jetty, an encrypting end
 * point) reads the mapping itself, which holds the same bytes. Nothing is read onto the heap either
 * way. Thread-safe.
 */
final class FileRegions {
  /** Mappings larger than this are split (a ByteBuffer holds at most 2 GiB). */
  static final int MAX_MAPPING = 1 << 30;

  /**
   * The most one sendfile call is asked to send; a flush makes calls of this size while the socket
   * takes all of each, as nginx does ({@code sendfile_max_chunk}, 2 MiB by default), rather than
   * one call for all a socket buffer takes (up to 4 MiB on Linux): on 16 concurrent downloads over
   * loopback a little more throughput, within the noise of a shared machine (bench/README.md).
   */
  static final int MAX_TRANSFER = 2 << 20;

  private record Region(FileChannel file, long start) {}

  /** Buffers being written, by identity, with the file and offset their position 0 stands for. */
  private static final Map<ByteBuffer, Region> REGIONS =
      Collections.synchronizedMap(new IdentityHashMap<>());

  /** Bytes sent with {@code transferTo} since the start. */
  private static final LongAdder TRANSFERRED = new LongAdder();

  /** The most bytes one {@code transferTo} call has sent since the start. */
  private static final LongAccumulator LARGEST_TRANSFER = new LongAccumulator(Math::max, 0);

  private FileRegions() {}

  /** How many buffers are registered now (for tests: none once every write completed). */
  static int inFlight() {
    return REGIONS.size();
  }

  /** Bytes sent zero-copy so far (for tests). */
  static long transferred() {
    return TRANSFERRED.sum();
  }

  /**
   * The most bytes one sendfile call has sent so far (for tests: at most {@link #MAX_TRANSFER}).
   */
  static long largestTransfer() {
    return LARGEST_TRANSFER.get();
  }

  /**
   * Writes {@code length} bytes of {@code file} from {@code offset} (all the rest when {@code
   * length < 0}) to {@code sink} as the last content, then completes {@code callback}.
   */
  static void write(Path file, Content.Sink sink, long offset, long length, Callback callback) {
    FileChannel channel;
    long end;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      long size = channel.size();
      if (offset < 0 || offset > size || (length >= 0 && offset + length > size)) {
        channel.close();
        throw new IllegalArgumentException(
            "bytes " + offset + "+" + length + " outside " + file + " (" + size + " bytes)");
      }
      end = length < 0 ? size : offset + length;
    } catch (Throwable x) {
      callback.failed(x);
      return;
    }
    if (offset == end) {
      closeQuietly(channel);
      sink.write(true, ByteBuffer.allocate(0), callback);
      return;
    }
    new IteratingNestedCallback(callback) {
      private long position = offset;
      private ByteBuffer current;

      @Override
      protected Action process() throws IOException {
        release();
        if (position == end) {
          return Action.SUCCEEDED;
        }
        int n = (int) Math.min(MAX_MAPPING, end - position);
        MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, position, n);
        current = mapped;
        REGIONS.put(mapped, new Region(channel, position));
        position += n;
        sink.write(position == end, mapped, this);
        return Action.SCHEDULED;
      }

      @Override
      protected void onCompleteSuccess() {
        release();
        closeQuietly(channel);
        super.onCompleteSuccess();
      }

      @Override
      protected void onCompleteFailure(Throwable cause) {
        release();
        closeQuietly(channel);
        super.onCompleteFailure(cause);
      }

      private void release() {
        if (current != null) {
          REGIONS.remove(current);
          current = null;
        }
      }
    }.iterate();
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // read-only: nothing was lost
    }
  }

  /**
   * Sends what it can of a registered buffer straight from its file, at most {@link #MAX_TRANSFER}
   * bytes a call, until the socket takes less than it was offered; {@code false} when {@code
   * buffer} is not registered.
   */
  private static boolean transfer(ByteBuffer buffer, SocketChannel socket) throws IOException {
    Region region = REGIONS.isEmpty() ? null : REGIONS.get(buffer);
    if (region == null) {
      return false;
    }
    while (buffer.hasRemaining()) {
      int offered = Math.min(buffer.remaining(), MAX_TRANSFER);
      long sent = region.file().transferTo(region.start() + buffer.position(), offered, socket);
      if (sent > 0) {
        buffer.position(buffer.position() + (int) sent);
        TRANSFERRED.add(sent);
        LARGEST_TRANSFER.accumulate(sent);
      }
      if (sent < offered) {
        break; // the socket is full
      }
    }
    return true;
  }

  /** A {@link ServerConnector} whose end points send registered blob buffers with sendfile. */
  static final class Connector extends ServerConnector {
    /**
     * With {@code selectors} selector threads (Jetty's default is half the cores): writes complete
     * on the selector threads, and each sendfile call runs the socket's send path in the calling
     * thread, so the selectors are what bounds the cores a burst of downloads can use.
     */
    Connector(Server server, int selectors, ConnectionFactory factory) {
      super(server, -1, selectors, factory);
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(
        SocketChannel channel, ManagedSelector selector, SelectionKey key) {
      SocketChannelEndPoint endPoint = new TransferringEndPoint(channel, selector, key, this);
      endPoint.setIdleTimeout(getIdleTimeout());
      return endPoint;
    }
  }

  /**
   * Writes like {@link SocketChannelEndPoint}, but registered buffers through {@code transferTo}.
   */
  private static final class TransferringEndPoint extends SocketChannelEndPoint {
    TransferringEndPoint(
        SocketChannel channel, ManagedSelector selector, SelectionKey key, Connector connector) {
      super(channel, selector, key, connector.getScheduler());
    }

    @Override
    public boolean flush(ByteBuffer... buffers) throws IOException {
      int i = 0;
      while (i < buffers.length) {
        ByteBuffer buffer = buffers[i];
        if (!buffer.hasRemaining()) {
          i++;
          continue;
        }
        int before = buffer.remaining();
        boolean transferred;
        try {
          transferred = transfer(buffer, getChannel());
        } catch (IOException e) {
          throw new EofException(e);
        }
        if (transferred) {
          if (buffer.remaining() < before) {
            notIdle();
          }
          if (buffer.hasRemaining()) {
            return false; // the socket is full: Jetty waits until it is writable and calls again
          }
          i++;
          continue;
        }
        // A run of ordinary buffers: one gathering write, as SocketChannelEndPoint does.
        int j = i + 1;
        while (j < buffers.length && (REGIONS.isEmpty() || !REGIONS.containsKey(buffers[j]))) {
          j++;
        }
        long written;
        try {
          written = getChannel().write(buffers, i, j - i);
        } catch (IOException e) {
          throw new EofException(e);
        }
        if (written > 0) {
          notIdle();
        }
        for (int k = i; k < j; k++) {
          if (buffers[k].hasRemaining()) {
            return false;
          }
        }
        i = j;
      }
      return true;
    }
  }
}
