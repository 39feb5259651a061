package dev.voicebridge.kit.ws;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.internal.Timers;
import dev.voicebridge.internal.Utf8;
import dev.voicebridge.kit.Endpoints;
import dev.voicebridge.kit.Failures;
import dev.voicebridge.kit.HttpErrorMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One WebSocket over {@code java.net.http}, hardened once for every vendor. An adapter creates it,
 * keeps the reference, then {@link #connect()}s (the JDK may run the first callbacks on the calling
 * thread before its {@code buildAsync} returns: an owner that learned of the connection only from a
 * return value would not recognise it there).
 *
 * <ul>
 *   <li><b>Receive</b>: whole messages, joined from fragments and counted as they arrive against
 *       {@code maxMessageBytes} (a {@code long}); the moment a message passes it the connection is
 *       aborted and the listener fails with a {@link ProtocolException}, so an endless message is
 *       never read to its end. One message at a time, on demand: the listener calls {@link
 *       #request()} when its consumer has room (a slow application slows the socket). The server's
 *       first message is read as soon as the connection opens, before queued messages go out (a
 *       server that refuses the first message and drops the connection is still heard); it is held
 *       until requested.
 *   <li><b>Send</b>: text and binary messages in order, one outstanding at a time, queued while the
 *       connection opens; more than {@code maxQueuedBytes} waiting means the server stopped
 *       reading, and the connection fails.
 *   <li><b>Liveness</b>: while a message is awaited and the server has been silent for {@code
 *       pingAfter}, a ping goes out; no answer of any kind within another {@code pingAfter} fails
 *       the connection (some ends of a connection are never reported by the JDK), long before a
 *       session's response timeout.
 *   <li><b>Close</b>: {@link #close()} sends a Close after what is queued and reads (dropping
 *       messages) until the server's Close, so the JDK releases the TCP connection at once instead
 *       of leaving it in CLOSE-WAIT; it aborts if the server does not answer within {@code
 *       closeGrace}. {@link #abort()} drops the connection at once.
 *   <li><b>Failures</b> are worded by {@link Failures} and name the host, never a header; a refused
 *       handshake is read by the vendor's {@link HttpErrorMapper}; a header value the JDK refuses
 *       is reported without quoting it; a failure before the server's first message says the
 *       request may have been refused.
 * </ul>
 *
 * <p>Threads: listener methods are called one at a time (never concurrently), on the HTTP client's
 * threads or the library's timer thread; they must not block. The listener hears of the end of the
 * connection exactly once ({@link Listener#onClose} or {@link Listener#onFailure}), and not at all
 * after its owner called {@link #close()} or {@link #abort()}. Methods of this class may be called
 * from any thread, but {@link #connect()} not while holding a lock the listener takes.
 */
public final class WebSocketConnection {
  private static final AtomicInteger IDS = new AtomicInteger();

  /** What a connection reports. */
  public interface Listener {
    /**
     * The handshake completed. Call {@link #request()} to receive.
     *
     * @param connection the connection
     */
    void onOpen(WebSocketConnection connection);

    /**
     * A whole text message; call {@link #request()} for the next one.
     *
     * @param connection the connection
     * @param text the text
     */
    void onText(WebSocketConnection connection, String text);

    /**
     * A whole binary message, valid only during this call (copy what you keep); call {@link
     * #request()} for the next one.
     *
     * @param connection the connection
     * @param data the data
     */
    void onBinary(WebSocketConnection connection, ByteBuffer data);

    /**
     * The server closed the connection (a terminal event).
     *
     * @param connection the connection
     * @param code the code
     * @param reason the reason
     */
    void onClose(WebSocketConnection connection, int code, String reason);

    /**
     * The connection could not be opened, failed, or broke the protocol (a terminal event).
     *
     * @param connection the connection
     * @param error the error
     */
    void onFailure(WebSocketConnection connection, VoicebridgeException error);
  }

  /** The kinds of data message a vendor sends. */
  public enum Accept {
    /** Text messages only (JSON vendors). */
    TEXT,
    /** Binary messages only (MessagePack, raw audio). */
    BINARY,
    /** Both. */
    BOTH
  }

  /**
   * Opens the JDK WebSocket: the seam a test replaces with a scripted socket. The default builds it
   * with {@code client.newWebSocketBuilder()}.
   */
  @FunctionalInterface
  public interface Connector {
    /**
     * Starts the handshake.
     *
     * @param uri the URI
     * @param headers the headers
     * @param timeout the timeout
     * @param listener the listener
     * @return a future of the open socket
     * @throws IllegalArgumentException if a header is refused
     */
    CompletableFuture<WebSocket> connect(
        URI uri, Map<String, String> headers, Duration timeout, WebSocket.Listener listener);

    /**
     * {@return the JDK's own: {@code client.newWebSocketBuilder()}}
     *
     * @param client the HTTP client
     */
    static Connector of(HttpClient client) {
      return (uri, headers, timeout, listener) -> {
        WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(timeout);
        headers.forEach(b::header);
        return b.buildAsync(uri, listener);
      };
    }
  }

  /** The settings of a connection. Build with {@link #builder(String, URI, HttpClient)}. */
  public static final class Options {
    private final String provider;
    private final URI uri;
    private final HttpClient client;
    private final Map<String, String> headers;
    private final Duration connectTimeout;
    private final long maxMessageBytes;
    private final Duration pingAfter;
    private final Duration closeGrace;
    private final long maxQueuedBytes;
    private final Accept accept;
    private final boolean ignoreOther;
    private final HttpErrorMapper handshakeErrors;
    private final boolean allowInsecure;
    private final Connector connector;

    private Options(Builder b) {
      this.provider = b.provider;
      this.uri = b.uri;
      this.client = b.client;
      this.headers = Map.copyOf(b.headers);
      this.connectTimeout = b.connectTimeout;
      this.maxMessageBytes = b.maxMessageBytes;
      this.pingAfter = b.pingAfter;
      this.closeGrace = b.closeGrace;
      this.maxQueuedBytes = b.maxQueuedBytes;
      this.accept = b.accept;
      this.ignoreOther = b.ignoreOther;
      this.handshakeErrors = b.handshakeErrors;
      this.allowInsecure = b.allowInsecure;
      this.connector = b.connector != null ? b.connector : Connector.of(b.client);
    }

    /** {@return the URI connected to} */
    public URI uri() {
      return uri;
    }

    /**
     * {@return a builder for a connection of {@code provider} to {@code uri} through {@code
     * client}}
     *
     * @param provider the provider's name
     * @param uri the URI
     * @param client the HTTP client
     */
    public static Builder builder(String provider, URI uri, HttpClient client) {
      return new Builder(provider, uri, client);
    }

    /** Builds {@link Options}. */
    public static final class Builder {
      private final String provider;
      private final URI uri;
      private final HttpClient client;
      private final Map<String, String> headers = new LinkedHashMap<>();
      private Duration connectTimeout = Duration.ofSeconds(10);
      private long maxMessageBytes = 16L << 20;
      private Duration pingAfter = Duration.ofSeconds(5);
      private Duration closeGrace = Duration.ofSeconds(2);
      private long maxQueuedBytes = 16L << 20;
      private Accept accept = Accept.BOTH;
      private boolean ignoreOther;
      private HttpErrorMapper handshakeErrors;
      private boolean allowInsecure;
      private Connector connector;

      private Builder(String provider, URI uri, HttpClient client) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.uri = Objects.requireNonNull(uri, "uri");
        this.client = Objects.requireNonNull(client, "client");
      }

      /**
       * A handshake header (an API key among them: it is never quoted in a message).
       *
       * @param name the name
       * @param value the value
       * @return this builder
       */
      public Builder header(String name, String value) {
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
        return this;
      }

      /**
       * How long the TCP, TLS and WebSocket handshakes may take (default 10 s).
       *
       * @param d the duration
       * @return this builder
       */
      public Builder connectTimeout(Duration d) {
        this.connectTimeout = positive(d, "connectTimeout");
        return this;
      }

      /**
       * The largest message accepted, in bytes (UTF-8 for text; default 16 MiB).
       *
       * @param bytes the bytes
       * @return this builder
       */
      public Builder maxMessageBytes(long bytes) {
        if (bytes < 1) {
          throw new IllegalArgumentException("maxMessageBytes must be positive");
        }
        this.maxMessageBytes = bytes;
        return this;
      }

      /**
       * Silence after which a ping checks that the connection is alive while a message is awaited
       * (default 5 s); {@link Duration#ZERO} turns the probe off.
       *
       * @param d the duration
       * @return this builder
       */
      public Builder pingAfter(Duration d) {
        Objects.requireNonNull(d, "pingAfter");
        if (d.isNegative()) {
          throw new IllegalArgumentException("pingAfter must not be negative");
        }
        this.pingAfter = d;
        return this;
      }

      /**
       * How long a close handshake may take before the connection is dropped (default 2 s).
       *
       * @param d the duration
       * @return this builder
       */
      public Builder closeGrace(Duration d) {
        this.closeGrace = positive(d, "closeGrace");
        return this;
      }

      /**
       * Bytes of messages that may wait to be sent before the connection fails (16 MiB).
       *
       * @param bytes the bytes
       * @return this builder
       */
      public Builder maxQueuedBytes(long bytes) {
        if (bytes < 1) {
          throw new IllegalArgumentException("maxQueuedBytes must be positive");
        }
        this.maxQueuedBytes = bytes;
        return this;
      }

      /**
       * The kinds of message the vendor sends (default both). A message of the other kind is a
       * {@link ProtocolException}, or ignored when {@code ignoreOther} (a vendor whose protocol
       * tells clients to ignore them).
       *
       * @param kinds the kinds
       * @param ignoreOther whether ignore other
       * @return this builder
       */
      public Builder accept(Accept kinds, boolean ignoreOther) {
        this.accept = Objects.requireNonNull(kinds, "kinds");
        this.ignoreOther = ignoreOther;
        return this;
      }

      /**
       * How the vendor's refusal of the handshake (status, headers, body) reads.
       *
       * @param m the m
       * @return this builder
       */
      public Builder handshakeErrors(HttpErrorMapper m) {
        this.handshakeErrors = m;
        return this;
      }

      /**
       * Whether plain {@code ws} may go to a host that is not loopback ({@code allow-insecure}).
       * Without it, a host name is resolved before connecting and must be loopback.
       *
       * @param allow whether allow
       * @return this builder
       */
      public Builder allowInsecure(boolean allow) {
        this.allowInsecure = allow;
        return this;
      }

      /**
       * Another way to open the JDK socket (tests script one).
       *
       * @param c the character
       * @return this builder
       */
      public Builder connector(Connector c) {
        this.connector = c;
        return this;
      }

      /** {@return the options} */
      public Options build() {
        return new Options(this);
      }

      private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException(what + " must be positive");
        }
        return d;
      }
    }
  }

  private enum State {
    NEW,
    CONNECTING,
    OPEN,
    CLOSING,
    ENDED
  }

  /** A message sent before the socket opened, or one waiting for its turn. */
  private record Outgoing(
      CharSequence text, ByteBuffer binary, long size, CompletableFuture<Void> done) {}

  /** A message received before the listener asked for one. */
  private record Held(String text, ByteBuffer binary) {}

  private final int id = IDS.incrementAndGet();
  private final Options options;
  private final Executor executor;
  private final JdkListener jdk = new JdkListener();
  private final ReentrantLock callbacks = new ReentrantLock();
  private volatile Listener listener;

  // guarded by this
  private State state = State.NEW;
  private WebSocket ws;
  private CompletableFuture<WebSocket> opening; // until the handshake completes
  private boolean openSeen;
  private boolean silenced; // the owner closed or aborted: no more listener calls
  private boolean terminalSent;
  private final List<Outgoing> early = new ArrayList<>();
  private CompletableFuture<Void> sendChain = CompletableFuture.completedFuture(null);
  private long queuedBytes;
  private int demand; // messages the listener asked for and has not received
  private boolean jdkRequested; // a request(1) is outstanding at the JDK
  private Held held;
  private ScheduledFuture<?> probe;
  private ScheduledFuture<?> closeTimer;
  private long pingSentNanos = -1;

  private volatile boolean answered;
  private volatile long lastActivityNanos = System.nanoTime();

  // receive state: the JDK calls its listener one call at a time
  private StringBuilder textParts;
  private byte[] binaryParts;
  private int binaryLength;
  private long messageBytes;

  private WebSocketConnection(Options options, Listener listener) {
    this.options = Objects.requireNonNull(options, "options");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.executor = options.client.executor().orElse(ForkJoinPool.commonPool());
  }

  /**
   * {@return a connection not yet connected; keep the reference, then call {@link #connect()}}
   *
   * @param options the options
   * @param listener the listener
   */
  public static WebSocketConnection create(Options options, Listener listener) {
    return new WebSocketConnection(options, listener);
  }

  /** {@return a number unique in this process, for logs and tests} */
  public int id() {
    return id;
  }

  /** The provider's name, for messages. */
  String provider() {
    return options.provider;
  }

  /** {@return the URI this connection goes to} */
  public URI uri() {
    return options.uri;
  }

  /**
   * Directs what the connection reports to {@code l} from now on (a pool hands it on).
   *
   * @param l the l
   */
  public void bind(Listener l) {
    this.listener = Objects.requireNonNull(l, "listener");
  }

  /** {@return whether the server has sent a message on this connection} */
  public boolean hasAnswered() {
    return answered;
  }

  /**
   * {@return {@link System#nanoTime()} of the last thing received (a message, a ping or a pong)}
   */
  public long lastActivityNanos() {
    return lastActivityNanos;
  }

  /** {@return whether the connection is open for use: handshake done, not closing, not ended} */
  public boolean isOpen() {
    WebSocket w;
    synchronized (this) {
      if (state != State.OPEN) {
        return false;
      }
      w = ws;
    }
    return w != null && !w.isInputClosed() && !w.isOutputClosed();
  }

  /** {@return whether the connection has ended or is closing (it will not open again)} */
  public synchronized boolean isEnded() {
    return state == State.ENDED || state == State.CLOSING;
  }

  /**
   * Starts the handshake. The listener hears of the outcome, possibly before this returns and on
   * this thread. Messages sent before the connection opens are queued.
   */
  public void connect() {
    synchronized (this) {
      if (state != State.NEW) {
        return;
      }
      state = State.CONNECTING;
    }
    String insecure = Endpoints.plainTextProblem(options.uri, options.allowInsecure);
    if (insecure != null) {
      end(new ConfigurationException(options.provider, insecure));
      return;
    }
    CompletableFuture<WebSocket> opening;
    try {
      opening =
          options.connector.connect(options.uri, options.headers, options.connectTimeout, jdk);
    } catch (IllegalArgumentException e) {
      // never quote the JDK's message: it contains the header value, an API key among them
      end(
          new ConfigurationException(
              options.provider,
              "a header value was refused by the HTTP client for "
                  + Failures.target(options.uri)
                  + " (only visible ASCII is allowed)"));
      return;
    } catch (RuntimeException e) {
      end(Failures.connecting(options.provider, options.uri, e, options.connectTimeout, null));
      return;
    }
    boolean cancelled;
    synchronized (this) {
      cancelled = state != State.CONNECTING;
      this.opening = cancelled ? null : opening;
    }
    if (cancelled) {
      opening.cancel(true); // closed or aborted while the handshake started
    }
    opening.whenComplete(
        (w, t) -> {
          synchronized (this) {
            this.opening = null;
          }
          if (t != null) {
            end(
                Failures.connecting(
                    options.provider,
                    options.uri,
                    t,
                    options.connectTimeout,
                    options.handshakeErrors));
          } else {
            opened(w);
          }
        });
  }

  private void opened(WebSocket w) {
    List<Outgoing> queued;
    synchronized (this) {
      if (openSeen) {
        return; // onOpen came first (or the reverse)
      }
      openSeen = true;
      if (state != State.CONNECTING) {
        queued = null; // closed or aborted while connecting
      } else {
        ws = w;
        state = State.OPEN;
        // read from the start, before the queued messages go out: a server that refuses the first
        // message answers and may drop the connection while a later write of ours is in flight
        jdkRequested = true;
        queued = new ArrayList<>(early);
        early.clear();
      }
    }
    if (queued == null) {
      w.abort();
      return;
    }
    lastActivityNanos = System.nanoTime();
    w.request(1);
    synchronized (this) {
      for (Outgoing o : queued) {
        chain(o);
      }
    }
    scheduleProbe(pingNanos());
    call(l -> l.onOpen(this));
  }

  // ------------------------------------------------------------------ demand

  /** Asks for the next whole message. */
  public void request() {
    Held h;
    WebSocket w = null;
    synchronized (this) {
      if (state == State.ENDED) {
        return;
      }
      demand++;
      h = held;
      if (h != null) {
        held = null;
        demand--;
      } else if (!jdkRequested && ws != null && state != State.CONNECTING) {
        jdkRequested = true;
        w = ws;
      }
    }
    if (h != null) {
      // on another thread: the caller may hold locks of its own (a session delivering events) that
      // the listener takes too
      run(
          () -> {
            deliver(h.text, h.binary);
            requestMoreIfWanted();
          });
    } else if (w != null) {
      w.request(1);
    }
  }

  /** After a delivery: asks the JDK for the next message if the listener wants one. */
  private void requestMoreIfWanted() {
    WebSocket w = null;
    synchronized (this) {
      if ((demand > 0 || state == State.CLOSING) && !jdkRequested && ws != null) {
        jdkRequested = true;
        w = ws;
      }
    }
    if (w != null) {
      w.request(1);
    }
  }

  /**
   * Asks the JDK for the next message or part of one at once, inside the callback that delivered
   * this one, as the JDK's own {@code WebSocket.Listener} example does. Handing the request to the
   * client's executor instead costs a thread hop for every split message (a read that ends inside a
   * frame splits it: about one message in four of 5 KB, which made every later audio frame of a
   * session wait) and protects nothing: when the server ends the connection right after a split
   * message, JDK 17 sometimes loses the end of that message either way, about as often (a loopback
   * experiment of 1,000 connections each way).
   */
  private void requestInCallback(WebSocket w) {
    synchronized (this) {
      jdkRequested = true;
    }
    w.request(1);
  }

  // ------------------------------------------------------------------ send

  /**
   * Sends a text message after everything sent before; the future fails if it cannot go out.
   *
   * @param text the message
   * @return a future completed once the message is sent
   */
  public CompletableFuture<Void> sendText(CharSequence text) {
    Objects.requireNonNull(text, "text");
    return send(new Outgoing(text, null, text.length(), new CompletableFuture<>()));
  }

  /**
   * Sends a binary message after everything sent before; the buffer belongs to the connection until
   * the future completes.
   *
   * @param data the message
   * @return a future completed once the message is sent
   */
  public CompletableFuture<Void> sendBinary(ByteBuffer data) {
    Objects.requireNonNull(data, "data");
    return send(new Outgoing(null, data, data.remaining(), new CompletableFuture<>()));
  }

  private CompletableFuture<Void> send(Outgoing o) {
    boolean overflow;
    synchronized (this) {
      if (state == State.ENDED || state == State.CLOSING) {
        o.done.completeExceptionally(
            new TransportException(
                options.provider,
                "the connection to " + Failures.target(options.uri) + " is closed"));
        return o.done;
      }
      queuedBytes += o.size;
      overflow = queuedBytes > options.maxQueuedBytes;
      if (!overflow) {
        if (ws == null) {
          early.add(o);
        } else {
          chain(o);
        }
      }
    }
    if (overflow) {
      fail(
          new TransportException(
              options.provider,
              "the server at "
                  + Failures.target(options.uri)
                  + " stopped reading: more than "
                  + options.maxQueuedBytes
                  + " bytes of messages wait to be sent"));
      o.done.completeExceptionally(
          new TransportException(options.provider, "the connection failed"));
    }
    return o.done;
  }

  private void chain(Outgoing o) {
    // called with this held
    WebSocket w = ws;
    sendChain =
        sendChain
            .thenCompose(
                v -> o.text != null ? w.sendText(o.text, true) : w.sendBinary(o.binary, true))
            .handle(
                (r, t) -> {
                  synchronized (this) {
                    queuedBytes -= o.size;
                  }
                  if (t != null) {
                    o.done.completeExceptionally(t);
                    sendFailed(t);
                    throw new java.util.concurrent.CompletionException(t);
                  }
                  o.done.complete(null);
                  return null;
                });
  }

  /**
   * A send failed: the connection is going away. The receiving side usually says why (an error
   * frame, a Close) a moment later, so the failure is reported only if nothing ended the connection
   * by then.
   */
  private void sendFailed(Throwable t) {
    long wait = Math.max(pingNanos() / 2, java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
    Timers.schedule(() -> fail(broken(t)), wait);
  }

  // ------------------------------------------------------------------ close

  /** Closes politely with code 1000 (normal closure); see {@link #close(int, String)}. */
  public void close() {
    close(WebSocket.NORMAL_CLOSURE, "");
  }

  /**
   * Closes politely after what is queued: sends a Close, then reads (and drops) until the server's
   * Close, which lets the JDK release the connection; aborts if the server does not answer within
   * {@code closeGrace}. The listener hears nothing more.
   *
   * @param code the code
   * @param reason the reason
   */
  public void close(int code, String reason) {
    WebSocket w;
    CompletableFuture<WebSocket> pending;
    synchronized (this) {
      silenced = true;
      if (state == State.ENDED || state == State.CLOSING) {
        return;
      }
      if (ws == null) {
        state = State.ENDED;
        early.clear();
        cancelTimers();
        pending = opening;
        opening = null;
      } else {
        pending = null;
      }
    }
    if (pending != null) {
      pending.cancel(true); // a handshake in flight is dropped (opened() aborts a late one)
      return;
    }
    synchronized (this) {
      if (state != State.OPEN) {
        return;
      }
      state = State.CLOSING;
      w = ws;
      held = null;
      sendChain =
          sendChain
              .handle((v, t) -> null)
              .thenCompose(v -> w.sendClose(code, reason))
              .handle((v, t) -> null);
      cancelProbe();
      closeTimer = Timers.schedule(this::dropConnection, options.closeGrace.toNanos());
    }
    // read on to the server's Close: unread, its FIN leaves the socket in CLOSE-WAIT
    requestMoreIfWanted();
  }

  /** Drops the connection at once. The listener hears nothing more. */
  public void abort() {
    WebSocket w;
    CompletableFuture<WebSocket> pending;
    synchronized (this) {
      silenced = true;
      state = State.ENDED;
      early.clear();
      held = null;
      cancelTimers();
      w = ws;
      pending = opening;
      opening = null;
    }
    if (w != null) {
      w.abort();
    } else if (pending != null) {
      pending.cancel(true); // the JDK drops a handshake still in flight
    }
  }

  private void dropConnection() {
    WebSocket w;
    synchronized (this) {
      state = State.ENDED;
      cancelTimers();
      w = ws;
    }
    if (w != null) {
      w.abort();
    }
  }

  // ------------------------------------------------------------------ failures

  /**
   * Ends the connection with {@code error}: the listener hears it (once, unless the owner closed
   * the connection), then the connection is aborted.
   *
   * @param error the error
   */
  public void fail(VoicebridgeException error) {
    WebSocket w;
    CompletableFuture<WebSocket> pending;
    synchronized (this) {
      if (state == State.ENDED) {
        return;
      }
      state = State.ENDED;
      early.clear();
      held = null;
      cancelTimers();
      w = ws;
      pending = opening;
      opening = null;
    }
    // the listener hears why first: aborting fails the sends in flight
    terminal(l -> l.onFailure(this, error));
    if (w != null) {
      w.abort();
    } else if (pending != null) {
      pending.cancel(true);
    }
  }

  private void end(VoicebridgeException error) {
    fail(error);
  }

  private VoicebridgeException broken(Throwable t) {
    if (!answered) {
      return new TransportException(
          options.provider,
          "the connection to "
              + Failures.target(options.uri)
              + " failed before the server's first message (it may have refused the request:"
              + " check the API key, the quota and the voice): "
              + Failures.describe(t),
          Failures.unwrap(t));
    }
    return Failures.broken(options.provider, options.uri, t);
  }

  // ------------------------------------------------------------------ liveness

  private long pingNanos() {
    return options.pingAfter.toNanos();
  }

  private void scheduleProbe(long nanos) {
    if (pingNanos() <= 0) {
      return;
    }
    synchronized (this) {
      if (state != State.OPEN) {
        return;
      }
      cancelProbe();
      probe = Timers.schedule(this::probe, Math.max(1, nanos));
    }
  }

  private void probe() {
    long now = System.nanoTime();
    long limit = pingNanos();
    WebSocket w;
    long sent;
    boolean waiting;
    synchronized (this) {
      probe = null;
      if (state != State.OPEN) {
        return;
      }
      w = ws;
      sent = pingSentNanos;
      waiting = jdkRequested;
    }
    if (!waiting) {
      // the application is slow, not the server: nothing is awaited
      synchronized (this) {
        pingSentNanos = -1;
      }
      scheduleProbe(limit);
      return;
    }
    if (sent >= 0) {
      if (now - sent >= limit) {
        fail(
            new TransportException(
                options.provider,
                "the connection to "
                    + Failures.target(options.uri)
                    + " stopped answering (no answer to a ping within "
                    + options.pingAfter.toMillis()
                    + " ms)"));
        return;
      }
      scheduleProbe(limit - (now - sent));
      return;
    }
    long silent = now - lastActivityNanos;
    if (silent < limit) {
      scheduleProbe(limit - silent);
      return;
    }
    synchronized (this) {
      pingSentNanos = now;
    }
    try {
      w.sendPing(ByteBuffer.allocate(0))
          .whenComplete(
              (v, t) -> {
                if (t != null) {
                  fail(broken(t));
                }
              });
    } catch (RuntimeException e) {
      fail(broken(e));
      return;
    }
    scheduleProbe(limit);
  }

  private void activity() {
    lastActivityNanos = System.nanoTime();
    synchronized (this) {
      pingSentNanos = -1;
      jdkRequested = false;
    }
  }

  private void cancelProbe() {
    // called with this held
    if (probe != null) {
      probe.cancel(false);
      probe = null;
    }
  }

  private void cancelTimers() {
    // called with this held
    cancelProbe();
    if (closeTimer != null) {
      closeTimer.cancel(false);
      closeTimer = null;
    }
  }

  // ------------------------------------------------------------------ listener calls

  private void call(java.util.function.Consumer<Listener> action) {
    callbacks.lock();
    try {
      synchronized (this) {
        if (silenced || terminalSent) {
          return;
        }
      }
      action.accept(listener);
    } finally {
      callbacks.unlock();
    }
  }

  private void terminal(java.util.function.Consumer<Listener> action) {
    callbacks.lock();
    try {
      synchronized (this) {
        if (silenced || terminalSent) {
          return;
        }
        terminalSent = true;
      }
      action.accept(listener);
    } finally {
      callbacks.unlock();
    }
  }

  private void deliver(String text, ByteBuffer binary) {
    if (text != null) {
      call(l -> l.onText(this, text));
    } else {
      call(l -> l.onBinary(this, binary));
    }
  }

  private void run(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // the client's executor is shut down: nothing more will be read
    }
  }

  // ------------------------------------------------------------------ the JDK's listener

  /** A whole message arrived: deliver it if the listener asked for one, else hold it. */
  private void received(String text, ByteBuffer binary) {
    answered = true;
    boolean now;
    synchronized (this) {
      if (state == State.CLOSING || state == State.ENDED) {
        now = false;
      } else if (demand > 0) {
        demand--;
        now = true;
      } else {
        now = false;
        ByteBuffer copy = null;
        if (binary != null) {
          copy = ByteBuffer.allocate(binary.remaining());
          copy.put(binary.duplicate()).flip();
        }
        held = new Held(text, copy);
      }
    }
    if (now) {
      deliver(text, binary);
    }
    requestMoreIfWanted();
  }

  private boolean tooBig(long more, boolean last) {
    messageBytes += more;
    if (messageBytes <= options.maxMessageBytes) {
      return false;
    }
    long seen = messageBytes;
    textParts = null;
    binaryParts = null;
    binaryLength = 0;
    messageBytes = 0;
    fail(
        new ProtocolException(
            options.provider,
            "a server message of "
                + (last ? "" : "more than ")
                + seen
                + " bytes exceeds max-frame-bytes ("
                + options.maxMessageBytes
                + ")"));
    return true;
  }

  private boolean wrongKind(WebSocket w, boolean text) {
    Accept a = options.accept;
    if (a == Accept.BOTH || (a == Accept.TEXT) == text) {
      return false;
    }
    if (options.ignoreOther) {
      requestInCallback(w);
      return true;
    }
    fail(
        new ProtocolException(
            options.provider,
            "the server sent a "
                + (text ? "text" : "binary")
                + " message; "
                + options.provider
                + " sends "
                + (a == Accept.TEXT ? "text" : "binary")
                + " messages only"));
    return true;
  }

  /** Whether messages are no longer for the listener: 1 while closing (drain), 2 once ended. */
  private int draining() {
    synchronized (this) {
      return state == State.ENDED ? 2 : state == State.CLOSING ? 1 : 0;
    }
  }

  private final class JdkListener implements WebSocket.Listener {
    @Override
    public void onOpen(WebSocket webSocket) {
      opened(webSocket);
    }

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      activity();
      int d = draining();
      if (d > 0) {
        textParts = null;
        messageBytes = 0;
        if (d == 1) {
          requestInCallback(w); // draining to the server's Close
        }
        return null;
      }
      if (messageBytes == 0 && textParts == null && wrongKind(w, true)) {
        return null;
      }
      if (tooBig(Utf8.length(data), last)) {
        return null;
      }
      if (!last) {
        if (textParts == null) {
          textParts = new StringBuilder(data.length() * 2);
        }
        textParts.append(data);
        requestInCallback(w);
        return null;
      }
      String message;
      if (textParts == null) {
        message = data.toString();
      } else {
        message = textParts.append(data).toString();
        textParts = null;
      }
      messageBytes = 0;
      received(message, null);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
      activity();
      int d = draining();
      if (d > 0) {
        binaryParts = null;
        binaryLength = 0;
        messageBytes = 0;
        if (d == 1) {
          requestInCallback(w); // draining to the server's Close
        }
        return null;
      }
      if (messageBytes == 0 && binaryParts == null && wrongKind(w, false)) {
        return null;
      }
      int n = data.remaining();
      if (tooBig(n, last)) {
        return null;
      }
      if (!last || binaryParts != null) {
        if (binaryParts == null) {
          binaryParts = new byte[Math.max(n * 2, 1024)];
        } else if (binaryLength + n > binaryParts.length) {
          long want = Math.max((long) binaryLength + n, 2L * binaryParts.length);
          binaryParts =
              java.util.Arrays.copyOf(
                  binaryParts,
                  (int) Math.min(want, Math.min(options.maxMessageBytes, Integer.MAX_VALUE - 8)));
        }
        data.get(binaryParts, binaryLength, n);
        binaryLength += n;
        if (!last) {
          requestInCallback(w);
          return null;
        }
        ByteBuffer whole = ByteBuffer.wrap(binaryParts, 0, binaryLength);
        binaryParts = null;
        binaryLength = 0;
        messageBytes = 0;
        received(null, whole);
        return null;
      }
      messageBytes = 0;
      received(null, data);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket w, ByteBuffer message) {
      activity(); // the JDK answers with a pong by itself
      synchronized (WebSocketConnection.this) {
        jdkRequested = true;
      }
      w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket w, ByteBuffer message) {
      activity();
      synchronized (WebSocketConnection.this) {
        jdkRequested = true;
      }
      w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
      activity();
      boolean ours;
      synchronized (WebSocketConnection.this) {
        ours = state == State.CLOSING || silenced;
        state = State.ENDED;
        early.clear();
        held = null;
        cancelProbe();
      }
      if (ours) {
        // both Close frames are through: drop the connection now, outside this callback
        run(WebSocketConnection.this::dropConnection);
        return null;
      }
      terminal(l -> l.onClose(WebSocketConnection.this, statusCode, reason));
      // the JDK answers the server's Close once this returns, then closes the connection; drop it
      // if that has not happened a moment later
      synchronized (WebSocketConnection.this) {
        if (closeTimer == null) {
          closeTimer =
              Timers.schedule(
                  WebSocketConnection.this::dropConnection, options.closeGrace.toNanos());
        }
      }
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      VoicebridgeException e;
      synchronized (WebSocketConnection.this) {
        e = state == State.CONNECTING && !openSeen ? null : broken(error);
      }
      if (e == null) {
        return; // the handshake's future reports it
      }
      fail(e);
    }
  }

  @Override
  public String toString() {
    return "WebSocketConnection#"
        + id
        + "["
        + Failures.target(options.uri)
        + ", "
        + stateName()
        + "]";
  }

  private synchronized String stateName() {
    return state.name().toLowerCase(java.util.Locale.ROOT);
  }
}
