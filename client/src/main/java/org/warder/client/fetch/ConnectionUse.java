package org.warder.client.fetch;

import java.net.InetSocketAddress;
import java.net.Proxy;
import okhttp3.Call;
import okhttp3.Connection;
import okhttp3.EventListener;
import okhttp3.Response;

/**
 * How one request used its connection, as OkHttp's events tell it: whether the connection came from
 * the pool (no connect for this request) and whether an answer's headers arrived. A failure on a
 * pooled connection before any answer is the connection's (the server closed it after its previous
 * answer), never the server's answer to this request. Set by OkHttp's call thread, read after the
 * call by the same thread.
 */
final class ConnectionUse {
  /** Fills the {@link ConnectionUse} tag of each request. */
  static final EventListener.Factory LISTENER =
      call -> {
        ConnectionUse use = call.request().tag(ConnectionUse.class);
        return use == null ? EventListener.NONE : use.new Listener();
      };

  private boolean acquired;
  private boolean connected;
  private boolean answered;

  /** Whether the request failed on a connection from the pool before any answer came. */
  boolean staleConnection() {
    return acquired && !connected && !answered;
  }

  private final class Listener extends EventListener {
    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
      connected = true;
    }

    @Override
    public void connectionAcquired(Call call, Connection connection) {
      acquired = true;
    }

    @Override
    public void responseHeadersEnd(Call call, Response response) {
      answered = true;
    }
  }
}
