package org.warder.registry.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loopback TCP port for a server that a test starts later, or starts again, on a fixed port.
 *
 * <p>The port is below the range the kernel hands to outgoing connections (and to a bind to port
 * 0): a port in that range can be taken by any connection the suite opens before the server binds
 * it, or held in TIME_WAIT after such a connection closed, and the server then cannot listen.
 */
public final class FreePort {
  private static final Path OUTGOING_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private FreePort() {}

  /**
   * The first port of the range the kernel hands to outgoing connections (Linux's {@code
   * ip_local_port_range}).
   */
  public static int outgoingRangeStart() throws IOException {
    // Files.readString reads a /proc/sys file short: read it as lines
    return Integer.parseInt(Files.readAllLines(OUTGOING_RANGE).get(0).strip().split("\\s+")[0]);
  }

  /** A port below the outgoing range that nothing is bound to on loopback now. */
  public static int belowOutgoingRange() throws IOException {
    int first = outgoingRangeStart();
    int low = first > 21024 ? first - 20000 : 1024;
    if (first <= low + 100) {
      throw new IOException(
          "expected an outgoing port range that starts above 1124 in "
              + OUTGOING_RANGE
              + ", found one starting at "
              + first
              + "; raise its start (sysctl net.ipv4.ip_local_port_range)");
    }
    for (int tries = 0; tries < 200; tries++) {
      int port = ThreadLocalRandom.current().nextInt(low, first);
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        return port;
      } catch (IOException inUse) {
        // taken: try another
      }
    }
    throw new IOException(
        "expected a free loopback port in "
            + low
            + "-"
            + (first - 1)
            + ", found none in 200 tries");
  }
}
