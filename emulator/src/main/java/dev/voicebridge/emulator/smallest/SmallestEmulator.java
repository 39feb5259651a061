package dev.voicebridge.emulator.smallest;

import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.EmulatorControl;
import dev.voicebridge.emulator.EmulatorVendor;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.spi.conformance.Fault;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A local Smallest AI "Waves" TTS server (Lightning v3.1), faithful to the wire protocol as written
 * in the protocol note: the WebSocket {@code GET /waves/v1/tts/live} (JSON text frames, {@code
 * continue}/{@code flush} buffering, {@code chunk}, {@code word_timestamp}, {@code complete} and
 * {@code error} frames, the {@code complete_backoff_ms} idle rule, the {@code ?timeout=N} idle
 * timeout), SSE on {@code POST /waves/v1/tts/live}, the synchronous {@code POST /waves/v1/tts}, the
 * legacy {@code /waves/v1/lightning-v3.1/*} aliases, 410 on retired models, Bearer authentication
 * and a per-key concurrency limit on HTTP. Bound to 127.0.0.1 only.
 *
 * <pre>{@code
 * try (SmallestEmulator emulator = SmallestEmulator.start(EmulatorConfig.defaults(),
 *     SmallestEmulator.Options.builder().completeBackoffOverride(Duration.ofMillis(50)).build())) {
 *   URI ws = emulator.webSocketUrl(); // ws://127.0.0.1:PORT/waves/v1/tts/live
 *   ...
 * }
 * }</pre>
 *
 * <p>Every fault kind of {@link Fault} is supported; see {@code README-smallest.md} for what each
 * looks like on each transport.
 */
public final class SmallestEmulator implements VendorEmulator {

  /** The WebSocket and SSE path. */
  public static final String LIVE_PATH = "/waves/v1/tts/live";

  /** The synchronous path. */
  public static final String SYNC_PATH = "/waves/v1/tts";

  /** The legacy WebSocket path (same protocol). */
  public static final String LEGACY_WS_PATH = "/waves/v1/lightning-v3.1/get_speech/stream";

  /** The legacy SSE path (same protocol). */
  public static final String LEGACY_SSE_PATH = "/waves/v1/lightning-v3.1/stream";

  /** The legacy synchronous path (same protocol). */
  public static final String LEGACY_SYNC_PATH = "/waves/v1/lightning-v3.1/get_speech";

  /**
   * Smallest's realistic latency, as documented ("first chunk in ~100 ms", TTFB ~100-200 ms
   * in-region): 150 ms to the first audio of each request, real-time pacing, up to 20 ms of jitter
   * per frame.
   */
  public static final LatencyProfile SMALLEST_PROFILE =
      new LatencyProfile(Duration.ofMillis(150), 1.0, Duration.ofMillis(20));

  /** This vendor, for {@link dev.voicebridge.emulator.Emulators}. */
  public static final EmulatorVendor VENDOR =
      EmulatorVendor.of("smallest", SMALLEST_PROFILE, SmallestEmulator::start);

  /** The voices that send {@code word_timestamp} frames when asked (the note, §2.4). */
  public static final Set<String> WORD_TIMESTAMP_VOICES =
      Set.of("meher", "devansh", "kartik", "maithili", "liam", "avery");

  /** The faults this emulator can inject: all of them. */
  public static final Set<Class<? extends Fault>> SUPPORTED_FAULTS =
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

  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final EmulatorConfig config;
  private final Options options;
  private final EmulatorControl control;
  private final Pacer pacer;
  private final EmulatorServer server;
  private final AtomicInteger activeHttp = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  private SmallestEmulator(EmulatorConfig config, Options options) {
    this.config = Objects.requireNonNull(config, "config");
    this.options = Objects.requireNonNull(options, "options");
    this.control = new EmulatorControl(SUPPORTED_FAULTS);
    String name = "smallest-emulator-" + INSTANCES.incrementAndGet();
    this.pacer = new Pacer(name, config.profile(), config.seed());
    EmulatorServer s;
    try {
      s =
          EmulatorServer.start(
              name,
              config,
              control,
              server -> {
                HttpRoutes routes = new HttpRoutes(this);
                WebSocketUpgradeHandler ws =
                    WebSocketUpgradeHandler.from(
                        server,
                        container -> {
                          container.setMaxTextMessageSize(4 * 1024 * 1024);
                          container.setIdleTimeout(Duration.ofHours(1));
                          container.addMapping(LIVE_PATH, routes::upgrade);
                          container.addMapping(LEGACY_WS_PATH, routes::upgrade);
                        });
                ws.setHandler(routes);
                return ws;
              });
    } catch (RuntimeException e) {
      pacer.close();
      throw e;
    }
    this.server = s;
  }

  /**
   * Starts an emulator with the default {@link Options}.
   *
   * @param config the emulator's configuration
   * @return the running emulator
   */
  public static SmallestEmulator start(EmulatorConfig config) {
    return start(config, Options.defaults());
  }

  /**
   * Starts an emulator.
   *
   * @param config the emulator's configuration
   * @param options the vendor switches
   * @return the running emulator
   */
  public static SmallestEmulator start(EmulatorConfig config, Options options) {
    return new SmallestEmulator(config, options);
  }

  @Override
  public String vendor() {
    return "smallest";
  }

  @Override
  public URI baseUrl() {
    return server.baseUrl();
  }

  /**
   * {@code ws://127.0.0.1:PORT/waves/v1/tts/live}.
   *
   * @return the URL of the live WebSocket endpoint
   */
  public URI webSocketUrl() {
    return URI.create("ws://" + config.host() + ":" + server.port() + LIVE_PATH);
  }

  @Override
  public EmulatorControl control() {
    return control;
  }

  @Override
  public EmulatorConfig config() {
    return config;
  }

  /** {@return the vendor switches it runs with} */
  public Options options() {
    return options;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.close();
      pacer.close();
    }
  }

  @Override
  public String toString() {
    return "SmallestEmulator[" + (closed.get() ? "closed" : baseUrl()) + "]";
  }

  // --- for the package ---

  Pacer pacer() {
    return pacer;
  }

  EmulatorServer server() {
    return server;
  }

  /** Takes an HTTP concurrency slot; false when the limit is reached. */
  boolean acquireHttpSlot() {
    int limit = options.maxConcurrentRequests();
    if (limit <= 0) {
      activeHttp.incrementAndGet();
      return true;
    }
    while (true) {
      int n = activeHttp.get();
      if (n >= limit) {
        return false;
      }
      if (activeHttp.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void releaseHttpSlot() {
    activeHttp.decrementAndGet();
  }

  /** The shape of WebSocket {@code error} frames (the note, §2.4: both are documented). */
  public enum ErrorShape {
    /** {@code {"status":"error","message":"..."}}: the idle-timeout example; the default. */
    MESSAGE,
    /** {@code {"status":"error","error":{"message":"...","code":N}}}: the AsyncAPI schema. */
    NESTED,
    /** Both: a top-level {@code message} and the nested {@code error} object. */
    BOTH
  }

  /** The Smallest switches of an emulator. Immutable; build with {@link #builder()}. */
  public static final class Options {
    private final boolean closeAfterComplete;
    private final Duration completeBackoff;
    private final ErrorShape errorShape;
    private final boolean legacyComplete;
    private final int maxConcurrentRequests;
    private final Duration defaultIdleTimeout;
    private final int sseChunkBytes;

    private Options(Builder b) {
      this.closeAfterComplete = b.closeAfterComplete;
      this.completeBackoff = b.completeBackoff;
      this.errorShape = b.errorShape;
      this.legacyComplete = b.legacyComplete;
      this.maxConcurrentRequests = b.maxConcurrentRequests;
      this.defaultIdleTimeout = b.defaultIdleTimeout;
      this.sseChunkBytes = b.sseChunkBytes;
    }

    /** {@return a builder with the defaults} */
    public static Builder builder() {
      return new Builder();
    }

    /** {@return the defaults (Smallest's documented behaviour)} */
    public static Options defaults() {
      return builder().build();
    }

    /** {@return a builder holding these values} */
    public Builder toBuilder() {
      return new Builder()
          .closeAfterComplete(closeAfterComplete)
          .completeBackoffOverride(completeBackoff)
          .errorShape(errorShape)
          .legacyComplete(legacyComplete)
          .maxConcurrentRequests(maxConcurrentRequests)
          .defaultIdleTimeout(defaultIdleTimeout)
          .sseChunkBytes(sseChunkBytes);
    }

    /** {@return whether the server closes the WebSocket (code 1000) after each {@code complete}} */
    public boolean closeAfterComplete() {
      return closeAfterComplete;
    }

    /**
     * {@return the idle time before {@code complete} that overrides the client's {@code
     * complete_backoff_ms} (default 4000 ms), or null to honour the client's value}
     */
    public Duration completeBackoffOverride() {
      return completeBackoff;
    }

    /** {@return the shape of WebSocket error frames} */
    public ErrorShape errorShape() {
      return errorShape;
    }

    /**
     * {@return whether {@code complete} frames have the legacy shape with {@code "message":"All
     * chunks sent","done":true}}
     */
    public boolean legacyComplete() {
      return legacyComplete;
    }

    /**
     * {@return the active HTTP/SSE syntheses allowed at once per key (more get 429); 0 means no
     * limit}
     */
    public int maxConcurrentRequests() {
      return maxConcurrentRequests;
    }

    /** {@return the WebSocket idle timeout when the client gives no {@code ?timeout=N}} */
    public Duration defaultIdleTimeout() {
      return defaultIdleTimeout;
    }

    /** {@return the decoded audio bytes per SSE {@code audio} event} */
    public int sseChunkBytes() {
      return sseChunkBytes;
    }

    @Override
    public String toString() {
      return "Options[closeAfterComplete="
          + closeAfterComplete
          + ", completeBackoffOverride="
          + completeBackoff
          + ", errorShape="
          + errorShape
          + ", legacyComplete="
          + legacyComplete
          + ", maxConcurrentRequests="
          + maxConcurrentRequests
          + ", defaultIdleTimeout="
          + defaultIdleTimeout
          + ", sseChunkBytes="
          + sseChunkBytes
          + "]";
    }

    /** Builder of {@link Options}. */
    public static final class Builder {
      private boolean closeAfterComplete;
      private Duration completeBackoff;
      private ErrorShape errorShape = ErrorShape.MESSAGE;
      private boolean legacyComplete;
      private int maxConcurrentRequests = 1;
      private Duration defaultIdleTimeout = Duration.ofSeconds(60);
      private int sseChunkBytes = 1024;

      private Builder() {}

      /**
       * Close the WebSocket after each {@code complete} (default false: keep it open).
       *
       * @param close whether to close the WebSocket after each {@code complete}
       * @return this builder
       */
      public Builder closeAfterComplete(boolean close) {
        this.closeAfterComplete = close;
        return this;
      }

      /**
       * Overrides every client's {@code complete_backoff_ms} (for fast tests), or null (the
       * default) to honour it.
       *
       * @param backoff the backoff every client gets, or null
       * @return this builder
       * @throws IllegalArgumentException if negative
       */
      public Builder completeBackoffOverride(Duration backoff) {
        if (backoff != null && backoff.isNegative()) {
          throw new IllegalArgumentException(
              "completeBackoffOverride must not be negative: " + backoff);
        }
        this.completeBackoff = backoff;
        return this;
      }

      /**
       * The shape of WebSocket error frames (default {@link ErrorShape#MESSAGE}).
       *
       * @param shape the shape
       * @return this builder
       */
      public Builder errorShape(ErrorShape shape) {
        this.errorShape = Objects.requireNonNull(shape, "shape");
        return this;
      }

      /**
       * Send the legacy {@code complete} shape (default false).
       *
       * @param legacy whether to send the legacy shape
       * @return this builder
       */
      public Builder legacyComplete(boolean legacy) {
        this.legacyComplete = legacy;
        return this;
      }

      /**
       * Active HTTP/SSE syntheses per key (default 1, Smallest's base plan); 0 for no limit.
       *
       * @param n the limit, 0 for none
       * @return this builder
       * @throws IllegalArgumentException if negative
       */
      public Builder maxConcurrentRequests(int n) {
        if (n < 0) {
          throw new IllegalArgumentException("maxConcurrentRequests must be >= 0: " + n);
        }
        this.maxConcurrentRequests = n;
        return this;
      }

      /**
       * The WebSocket idle timeout without {@code ?timeout=N} (default 60 s).
       *
       * @param timeout the idle timeout
       * @return this builder
       * @throws IllegalArgumentException if not positive
       */
      public Builder defaultIdleTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
          throw new IllegalArgumentException("defaultIdleTimeout must be positive: " + timeout);
        }
        this.defaultIdleTimeout = timeout;
        return this;
      }

      /**
       * Decoded audio bytes per SSE event (default 1024).
       *
       * @param bytes the bytes per event
       * @return this builder
       * @throws IllegalArgumentException if not in 2..1048576
       */
      public Builder sseChunkBytes(int bytes) {
        if (bytes < 2 || bytes > 1 << 20) {
          throw new IllegalArgumentException("sseChunkBytes must be in 2..1048576: " + bytes);
        }
        this.sseChunkBytes = bytes;
        return this;
      }

      /**
       * Builds the options.
       *
       * @return the options
       */
      public Options build() {
        return new Options(this);
      }
    }
  }
}
