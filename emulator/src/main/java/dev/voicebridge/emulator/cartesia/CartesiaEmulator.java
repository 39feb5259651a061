package dev.voicebridge.emulator.cartesia;

import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.EmulatorControl;
import dev.voicebridge.emulator.EmulatorVendor;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.emulator.internal.FaultPlan;
import dev.voicebridge.spi.conformance.Fault;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A local Cartesia text-to-speech server on 127.0.0.1, built from the team's protocol note (never
 * from adapter code). Under {@link #baseUrl()} it serves:
 *
 * <ul>
 *   <li>WebSocket {@code /tts/websocket}: contexts multiplexed on one socket, the buffering rule
 *       ({@code max_buffer_delay_ms}), {@code continue}, flushes with {@code flush_id} and {@code
 *       flush_done}, word and phoneme {@code timestamps}, {@code done}, {@code error} frames shaped
 *       by the API version, cancel ({@link Options#cancelMode()}), the idle close, the concurrency
 *       limit;
 *   <li>{@code POST /tts/sse}: server-sent {@code chunk}, {@code timestamps}, {@code done} and
 *       {@code event: error} events;
 *   <li>{@code POST /tts/bytes}: the audio as a streamed body (raw, WAV or MP3);
 *   <li>{@code POST /access-token}: short-lived tokens that authenticate the {@code /tts}
 *       endpoints.
 * </ul>
 *
 * <p>The key is {@link EmulatorConfig#apiKey()}, as {@code Authorization: Bearer}, {@code
 * X-API-Key}, or on the WebSocket the {@code api_key} query parameter. Faults injected through
 * {@link #control()} apply to the next session: a WebSocket context (or, for the handshake faults,
 * the next upgrade) or an HTTP request. Every context and every request leaves a record. See {@code
 * emulator/README-cartesia.md} for the behaviour, its sources and what is inferred.
 */
public final class CartesiaEmulator implements VendorEmulator {

  /**
   * Cartesia's published latency: 190 ms before the first audio of a generation (the vendor's
   * launch figures for {@code sonic-3}: 90 ms model latency, 190 ms end to end; other models are
   * shifted by their published model latency), real-time pacing, up to 20 ms of jitter per frame.
   */
  public static final LatencyProfile REALISTIC =
      new LatencyProfile(Duration.ofMillis(190), 1.0, Duration.ofMillis(20));

  /** This vendor, for {@link dev.voicebridge.emulator.Emulators}. */
  public static final EmulatorVendor VENDOR =
      EmulatorVendor.of("cartesia", REALISTIC, CartesiaEmulator::start);

  /** The WebSocket path. */
  static final String WEBSOCKET = "/tts/websocket";

  /** The fault kinds this emulator injects: all of them (per transport, see the README). */
  static final Set<Class<? extends Fault>> FAULTS =
      Set.of(
          Fault.HandshakeStatus.class,
          Fault.ErrorFrame.class,
          Fault.Disconnect.class,
          Fault.Stall.class,
          Fault.MalformedFrame.class,
          Fault.OversizeFrame.class,
          Fault.WrongFrameType.class,
          Fault.CloseAfterCompletion.class,
          Fault.EchoCredentials.class,
          Fault.EndlessAudio.class,
          Fault.EndlessFrame.class,
          Fault.TruncatedFrame.class,
          Fault.HtmlInsteadOfAudio.class,
          Fault.SlowHandshake.class);

  final EmulatorConfig config;
  final Options options;
  final EmulatorControl control;
  final Pacer pacer;
  final CountDownLatch closing = new CountDownLatch(1);
  final Set<WsConnection> sockets = ConcurrentHashMap.newKeySet();
  final AtomicInteger activeContexts = new AtomicInteger();
  final AtomicInteger openSockets = new AtomicInteger();

  /** Access tokens and when they expire. */
  final Map<String, java.time.Instant> tokens = new ConcurrentHashMap<>();

  private final Object faultLock = new Object();
  private final Random random;
  private final AtomicBoolean closed = new AtomicBoolean();
  final EmulatorServer server;

  private CartesiaEmulator(EmulatorConfig config, Options options) {
    this.config = Objects.requireNonNull(config, "config");
    this.options = Objects.requireNonNull(options, "options");
    this.control = new EmulatorControl(FAULTS);
    this.random = new Random(config.seed());
    this.pacer = new Pacer("cartesia-emulator", config.profile(), config.seed());
    HttpApi http = new HttpApi(this);
    EmulatorServer s;
    try {
      s =
          EmulatorServer.start(
              "cartesia-emulator",
              config,
              control,
              srv -> {
                WebSocketUpgradeHandler ws =
                    WebSocketUpgradeHandler.from(
                        srv,
                        c -> {
                          // the emulator's own idle close acts first; Jetty's is a backstop
                          c.setIdleTimeout(options.idleTimeout().plusMinutes(5));
                          c.setMaxTextMessageSize(16 * 1024 * 1024);
                          c.setMaxBinaryMessageSize(16 * 1024 * 1024);
                          c.addMapping(new UriTemplatePathSpec(WEBSOCKET), http::upgrade);
                        });
                ws.setHandler(http);
                return ws;
              });
    } catch (RuntimeException e) {
      pacer.close();
      throw e;
    }
    this.server = s;
  }

  /** Starts an emulator with the default {@link Options}. */
  public static CartesiaEmulator start(EmulatorConfig config) {
    return start(config, Options.defaults());
  }

  /** Starts an emulator with Cartesia switches. */
  public static CartesiaEmulator start(EmulatorConfig config, Options options) {
    return new CartesiaEmulator(config, options);
  }

  @Override
  public URI baseUrl() {
    return server.baseUrl();
  }

  @Override
  public EmulatorControl control() {
    return control;
  }

  @Override
  public EmulatorConfig config() {
    return config;
  }

  /** The Cartesia switches it runs with. */
  public Options options() {
    return options;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing.countDown();
    for (WsConnection c : sockets) {
      c.shutdown();
    }
    server.close();
    pacer.close();
  }

  @Override
  public String toString() {
    return "CartesiaEmulator[" + server.baseUrl() + ", " + options + "]";
  }

  // ---------------------------------------------------------------- shared by the transports

  /** A fresh request id (a UUID from the seeded random). */
  String requestId() {
    synchronized (random) {
      return new UUID(random.nextLong(), random.nextLong()).toString();
    }
  }

  /** A fresh access token. */
  String newToken() {
    synchronized (random) {
      return "at_" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }
  }

  /**
   * Takes the next fault for a handshake or an HTTP request (any kind).
   *
   * @param credential the credential as the client sent it (echoed by EchoCredentials)
   */
  FaultPlan takeFault(String credential) {
    synchronized (faultLock) {
      return FaultPlan.take(control, credential);
    }
  }

  /**
   * Takes the next fault for a context on an open socket: a handshake fault is left in the queue
   * for the next handshake (an open socket cannot take it), so it takes nothing then.
   */
  FaultPlan takeContextFault(String credential) {
    synchronized (faultLock) {
      Fault next = control.peekFault();
      if (next == null || FaultPlan.isHandshakeFault(next)) {
        return FaultPlan.none();
      }
      return FaultPlan.of(control.takeFault(), credential);
    }
  }

  /**
   * The error for a request's credential, or null if it authenticates.
   *
   * @param tokensAllowed whether access tokens are accepted (the {@code /tts} endpoints)
   */
  ApiError authError(Credentials c, boolean tokensAllowed) {
    if (c.method() == null || c.value() == null || c.value().isEmpty()) {
      return ApiError.unauthorized(true);
    }
    if (c.mayBeKey() && c.value().equals(config.apiKey())) {
      return null;
    }
    if (c.mayBeKey() && c.value().equals(options.noCreditKey())) {
      return ApiError.noCredits();
    }
    if (tokensAllowed && c.mayBeToken()) {
      java.time.Instant expiry = tokens.get(c.value());
      if (expiry != null && options.clock().instant().isBefore(expiry)) {
        return null;
      }
    }
    return ApiError.unauthorized(false);
  }

  /** Takes a concurrency slot (a context or an HTTP request), or returns false at the limit. */
  boolean acquireSlot() {
    while (true) {
      int n = activeContexts.get();
      if (n >= options.concurrencyLimit()) {
        return false;
      }
      if (activeContexts.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Gives a slot back. */
  void releaseSlot() {
    activeContexts.decrementAndGet();
  }

  /** The first-audio delay of a generation of {@code model}. */
  Duration firstAudio(String model) {
    return Models.firstAudio(config.profile().firstAudio(), model);
  }

  /** What a context does when the client cancels it (protocol note sections 2.3 and 7.3). */
  public enum CancelMode {
    /**
     * The default: queued input is dropped, the context stops after the chunk being sent, and no
     * further frame (not even {@code done}) is sent for it.
     */
    DROP,
    /**
     * The docs' reading: input not yet generating is dropped, generations already under way finish,
     * then {@code done} is sent.
     */
    FINISH_IN_FLIGHT
  }

  /**
   * The Cartesia switches of an emulator. Immutable; build with {@link #builder()}.
   *
   * <p>Defaults: cancel {@link CancelMode#DROP}, concurrency limit 15 (the Scale plan), 150 open
   * sockets (10 times the concurrency limit), idle close after 5 minutes, no context expiry, {@code
   * flush_done} only for flushes, no-credit key {@code no-credit-key}, unknown voice {@code
   * unknown-voice}, the system clock.
   */
  public static final class Options {
    private final CancelMode cancelMode;
    private final int concurrencyLimit;
    private final int maxSockets;
    private final Duration idleTimeout;
    private final Duration contextExpiry;
    private final boolean flushDoneOnEverySubmission;
    private final String noCreditKey;
    private final String unknownVoiceId;
    private final Clock clock;

    private Options(Builder b) {
      this.cancelMode = b.cancelMode;
      this.concurrencyLimit = b.concurrencyLimit;
      this.maxSockets = b.maxSockets > 0 ? b.maxSockets : 10 * b.concurrencyLimit;
      this.idleTimeout = b.idleTimeout;
      this.contextExpiry = b.contextExpiry;
      this.flushDoneOnEverySubmission = b.flushDoneOnEverySubmission;
      this.noCreditKey = b.noCreditKey;
      this.unknownVoiceId = b.unknownVoiceId;
      this.clock = b.clock;
    }

    /** The defaults. */
    public static Options defaults() {
      return builder().build();
    }

    /** A builder with the defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** What a cancel does. */
    public CancelMode cancelMode() {
      return cancelMode;
    }

    /**
     * Contexts and HTTP requests that may be active at once (Cartesia's concurrency limit: unique
     * contexts, each HTTP request counting one); one more gets 429 {@code concurrency_limited}.
     */
    public int concurrencyLimit() {
      return concurrencyLimit;
    }

    /** Open WebSockets allowed; one more upgrade is refused with 429. */
    public int maxSockets() {
      return maxSockets;
    }

    /** A socket without traffic for this long is closed (1000). */
    public Duration idleTimeout() {
      return idleTimeout;
    }

    /**
     * How long after its last audio a context still open for input expires (the docs' one second);
     * zero (the default) keeps contexts open until {@code continue: false}, cancel, an error or the
     * socket's end.
     */
    public Duration contextExpiry() {
      return contextExpiry;
    }

    /**
     * Whether, with {@code max_buffer_delay_ms} 0, every submission ends with a {@code flush_done}
     * (as one integration reports) instead of flushes only.
     */
    public boolean flushDoneOnEverySubmission() {
      return flushDoneOnEverySubmission;
    }

    /** The key that authenticates but has no credit (402). */
    public String noCreditKey() {
      return noCreditKey;
    }

    /** The voice id that does not exist (400 {@code voice_not_found}). */
    public String unknownVoiceId() {
      return unknownVoiceId;
    }

    /** The clock of access-token expiry. */
    public Clock clock() {
      return clock;
    }

    @Override
    public String toString() {
      return "Options[cancelMode="
          + cancelMode
          + ", concurrencyLimit="
          + concurrencyLimit
          + ", maxSockets="
          + maxSockets
          + ", idleTimeout="
          + idleTimeout
          + ", contextExpiry="
          + contextExpiry
          + ", flushDoneOnEverySubmission="
          + flushDoneOnEverySubmission
          + "]";
    }

    /** Builder of {@link Options}. */
    public static final class Builder {
      private CancelMode cancelMode = CancelMode.DROP;
      private int concurrencyLimit = 15;
      private int maxSockets;
      private Duration idleTimeout = Duration.ofMinutes(5);
      private Duration contextExpiry = Duration.ZERO;
      private boolean flushDoneOnEverySubmission;
      private String noCreditKey = "no-credit-key";
      private String unknownVoiceId = "unknown-voice";
      private Clock clock = Clock.systemUTC();

      private Builder() {}

      /** See {@link Options#cancelMode()}. */
      public Builder cancelMode(CancelMode mode) {
        this.cancelMode = Objects.requireNonNull(mode, "mode");
        return this;
      }

      /** See {@link Options#concurrencyLimit()}; at least 1. */
      public Builder concurrencyLimit(int n) {
        if (n < 1) {
          throw new IllegalArgumentException("concurrencyLimit must be at least 1: " + n);
        }
        this.concurrencyLimit = n;
        return this;
      }

      /** See {@link Options#maxSockets()}; at least 1 (default: 10 times the concurrency limit). */
      public Builder maxSockets(int n) {
        if (n < 1) {
          throw new IllegalArgumentException("maxSockets must be at least 1: " + n);
        }
        this.maxSockets = n;
        return this;
      }

      /** See {@link Options#idleTimeout()}; 10 ms to 1 hour. */
      public Builder idleTimeout(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.compareTo(Duration.ofMillis(10)) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
          throw new IllegalArgumentException("idleTimeout must be in 10 ms..1 h: " + d);
        }
        this.idleTimeout = d;
        return this;
      }

      /** See {@link Options#contextExpiry()}; zero (off) to 1 hour. */
      public Builder contextExpiry(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative() || d.compareTo(Duration.ofHours(1)) > 0) {
          throw new IllegalArgumentException("contextExpiry must be in 0..1 h: " + d);
        }
        this.contextExpiry = d;
        return this;
      }

      /** See {@link Options#flushDoneOnEverySubmission()}. */
      public Builder flushDoneOnEverySubmission(boolean on) {
        this.flushDoneOnEverySubmission = on;
        return this;
      }

      /** See {@link Options#noCreditKey()}. */
      public Builder noCreditKey(String key) {
        this.noCreditKey = Objects.requireNonNull(key, "key");
        return this;
      }

      /** See {@link Options#unknownVoiceId()}. */
      public Builder unknownVoiceId(String voiceId) {
        this.unknownVoiceId = Objects.requireNonNull(voiceId, "voiceId");
        return this;
      }

      /** See {@link Options#clock()}. */
      public Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
      }

      /** Builds the options. */
      public Options build() {
        return new Options(this);
      }
    }
  }
}
