package dev.voicebridge.emulator.internal;

import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.EmulatorControl;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * A Jetty 12 server on loopback with named daemon threads, which counts TCP connections in an
 * {@link EmulatorControl} (an upgraded WebSocket connection stays the same connection) and gives
 * each one an id. Shared by the vendor emulators; not public API.
 */
public final class EmulatorServer implements AutoCloseable {
  static {
    EmulatorLogging.quietWithoutBackend(); // before Jetty's first logger
  }

  private final Server server;
  private final ServerConnector connector;
  private final EmulatorControl control;
  private final Map<EndPoint, Integer> ids = new ConcurrentHashMap<>();
  private final Map<EndPoint, Integer> active = new ConcurrentHashMap<>();
  private final Set<EndPoint> upgraded = ConcurrentHashMap.newKeySet();
  private volatile int port = -1;

  private EmulatorServer(
      String name,
      EmulatorConfig config,
      EmulatorControl control,
      Function<Server, Handler> handler) {
    this.control = control;
    control.checkBeforeCounting(this::forgetClosed);
    control.countBusyWith(this::busyConnections);
    QueuedThreadPool pool = new QueuedThreadPool(32, 4);
    pool.setName(name + "-qtp");
    pool.setDaemon(true);
    this.server = new Server(pool, new ScheduledExecutorScheduler(name + "-scheduler", true), null);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(false);
    this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(config.host());
    connector.setPort(config.port());
    connector.addBean(
        new Connection.Listener() {
          @Override
          public void onOpened(Connection connection) {
            ids.computeIfAbsent(connection.getEndPoint(), e -> control.connectionOpened());
          }

          @Override
          public void onClosed(Connection connection) {
            EndPoint e = connection.getEndPoint();
            if (!e.isOpen()) {
              release(e);
            }
          }
        });
    server.addConnector(connector);
    server.setHandler(new ExchangeTracker(handler.apply(server)));
  }

  /**
   * Counts the requests in progress on each connection and marks the connections a request upgraded
   * (status 101), so that {@link #busyConnections()} can tell an HTTP connection idle in a client's
   * pool from one the server is still answering on.
   */
  private final class ExchangeTracker extends Handler.Wrapper {
    ExchangeTracker(Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      EndPoint e = endPoint(request);
      active.merge(e, 1, Integer::sum);
      Request.addCompletionListener(
          request,
          failure -> {
            if (failure == null
                && response.getStatus() == HttpStatus.SWITCHING_PROTOCOLS_101
                && ids.containsKey(e)) {
              upgraded.add(e);
            }
            active.computeIfPresent(e, (k, n) -> n == 1 ? null : n - 1);
          });
      return super.handle(request, response, callback);
    }
  }

  /** The open connections that are upgraded or in the middle of an exchange, in one pass. */
  private int busyConnections() {
    int n = 0;
    for (EndPoint e : ids.keySet()) {
      if (e.isOpen() && (upgraded.contains(e) || active.containsKey(e))) {
        n++;
      }
    }
    return n;
  }

  /**
   * Starts a server.
   *
   * @param name the prefix of its threads' names
   * @param handler builds the handler from the server (e.g. a WebSocket upgrade handler)
   */
  public static EmulatorServer start(
      String name,
      EmulatorConfig config,
      EmulatorControl control,
      Function<Server, Handler> handler) {
    EmulatorServer s = new EmulatorServer(name, config, control, handler);
    try {
      s.server.start();
      s.port = s.connector.getLocalPort();
    } catch (Exception e) {
      s.close();
      throw new IllegalStateException("cannot start the " + name + " server: " + e, e);
    }
    return s;
  }

  /** The port it listens on (still known after {@link #close()}). */
  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI baseUrl() {
    return URI.create("http://" + connector.getHost() + ":" + port());
  }

  /** The Jetty server. */
  public Server server() {
    return server;
  }

  /** The id of the connection {@code request} came on (0 if unknown). */
  public int connectionId(Request request) {
    EndPoint e = request.getConnectionMetaData().getConnection().getEndPoint();
    Integer id = ids.get(e);
    if (id == null) {
      id = ids.computeIfAbsent(e, x -> control.connectionOpened());
    }
    return id;
  }

  /** Counts as closed every tracked connection whose socket is closed. */
  private void forgetClosed() {
    for (EndPoint e : ids.keySet()) {
      if (!e.isOpen()) {
        release(e);
      }
    }
  }

  /** The end point of the connection {@code request} came on. */
  public static EndPoint endPoint(Request request) {
    return request.getConnectionMetaData().getConnection().getEndPoint();
  }

  /**
   * Closes the connection of a response the emulator holds open without writing (a stall) as soon
   * as the client leaves, as a vendor's server does. While a handler neither reads nor writes,
   * Jetty does not read the socket, so a client's FIN or reset would go unseen (the socket sits in
   * CLOSE_WAIT until the idle timeout) and the client would look as if it kept the connection.
   * Bytes the client sends meanwhile are discarded: a stalled exchange has no next request.
   */
  public static void closeWhenClientLeaves(EndPoint endPoint) {
    Callback watcher =
        new Callback() {
          @Override
          public void succeeded() {
            ByteBuffer buffer = BufferUtil.allocate(512);
            try {
              while (true) {
                BufferUtil.clear(buffer);
                int n = endPoint.fill(buffer);
                if (n < 0) {
                  endPoint.close();
                  return;
                }
                if (n == 0) {
                  endPoint.tryFillInterested(this);
                  return;
                }
              }
            } catch (IOException e) {
              endPoint.close(e);
            }
          }

          @Override
          public void failed(Throwable x) {
            endPoint.close(x);
          }
        };
    endPoint.tryFillInterested(watcher);
  }

  /**
   * Counts the connection of {@code endPoint} as closed if it was not already (for upgraded
   * connections whose close the listener does not see). Idempotent.
   */
  public void release(EndPoint endPoint) {
    if (endPoint != null) {
      active.remove(endPoint);
      upgraded.remove(endPoint);
    }
    if (endPoint != null && ids.remove(endPoint) != null) {
      control.connectionClosed();
    }
  }

  /** Stops the server and its threads. Idempotent. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // stopping is best effort
    }
    for (EndPoint e : ids.keySet()) {
      release(e);
    }
  }
}
