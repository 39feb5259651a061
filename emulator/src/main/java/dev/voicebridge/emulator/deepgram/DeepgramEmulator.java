package dev.voicebridge.emulator.deepgram;

import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.EmulatorControl;
import dev.voicebridge.emulator.EmulatorVendor;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.spi.conformance.Fault;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A local Deepgram Aura text-to-speech server, written from the team's Deepgram protocol note: the
 * WebSocket {@code GET /v1/speak} ({@code Speak} text buffered and synthesized on {@code Flush}
 * only, raw audio in binary frames, {@code Metadata}, {@code Flushed} and {@code Cleared} with
 * sequence ids, {@code Warning} frames, the per-message and per-minute limits, the 60-minute cap
 * and the close codes 1003/1008/1009/1011) and the REST {@code POST /v1/speak} (a streamed audio
 * body with {@code dg-request-id} and {@code dg-char-count}, {@code {err_code, err_msg,
 * request_id}} errors). Both take the key as {@code Authorization: Token <key>} (the scheme in any
 * case, or {@code Bearer}); the WebSocket also as {@code Sec-WebSocket-Protocol: token, <key>}.
 * Bound to 127.0.0.1 only.
 *
 * <pre>{@code
 * try (DeepgramEmulator dg = DeepgramEmulator.start(EmulatorConfig.defaults())) {
 *   URI base = dg.baseUrl();        // http://127.0.0.1:PORT, REST and (as ws://) the WebSocket
 *   dg.control().inject(new Fault.ErrorFrame(2, Fault.ErrorKind.SERVER));
 * }
 * }</pre>
 *
 * <p>Every fault kind of {@link Fault} is supported where a transport can express it; see {@code
 * emulator/README-deepgram.md} for what each looks like on each transport.
 */
public final class DeepgramEmulator implements VendorEmulator {

  /** The path of both the WebSocket and the REST endpoint. */
  public static final String SPEAK_PATH = "/v1/speak";

  /**
   * Deepgram's published latency (Aura-2: "&lt;150 ms" time to first byte, "around 90 ms" in steady
   * state; a third party measured 130-145 ms from {@code Flush} to the first audio): 90 ms to the
   * first audio of each flush (or REST request) plus up to 60 ms of jitter per frame, so the first
   * audio comes 90-150 ms after the flush; then audio paced at real time.
   */
  public static final LatencyProfile REALISTIC =
      new LatencyProfile(Duration.ofMillis(90), 1.0, Duration.ofMillis(60));

  /** This vendor, for {@link dev.voicebridge.emulator.Emulators}. */
  public static final EmulatorVendor VENDOR =
      EmulatorVendor.of("deepgram", REALISTIC, DeepgramEmulator::start);

  /** The model when the query names none (Deepgram's documented default). */
  public static final String DEFAULT_MODEL = "aura-asteria-en";

  /** The faults this emulator can inject: all of them (see the README for each transport). */
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
  private final AtomicInteger openStreams = new AtomicInteger();
  private final AtomicInteger activeRequests = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  private DeepgramEmulator(EmulatorConfig config, Options options) {
    this.config = Objects.requireNonNull(config, "config");
    this.options = Objects.requireNonNull(options, "options");
    this.control = new EmulatorControl(SUPPORTED_FAULTS);
    String name = "deepgram-emulator-" + INSTANCES.incrementAndGet();
    this.pacer = new Pacer(name, config.profile(), config.seed());
    EmulatorServer s;
    try {
      s =
          EmulatorServer.start(
              name,
              config,
              control,
              server -> {
                DeepgramHttp http = new DeepgramHttp(this);
                WebSocketUpgradeHandler ws =
                    WebSocketUpgradeHandler.from(
                        server,
                        container -> {
                          container.setMaxTextMessageSize(4 * DeepgramSocket.MAX_MESSAGE_BYTES);
                          container.setMaxBinaryMessageSize(4 * DeepgramSocket.MAX_MESSAGE_BYTES);
                          // the session cap closes first; Jetty's own timeout is only a backstop
                          container.setIdleTimeout(options.sessionLimit().plusMinutes(1));
                          container.addMapping(SPEAK_PATH, http::upgrade);
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

  /** Starts an emulator with the default {@link Options} (Deepgram's documented behaviour). */
  public static DeepgramEmulator start(EmulatorConfig config) {
    return start(config, Options.defaults());
  }

  /** Starts an emulator. */
  public static DeepgramEmulator start(EmulatorConfig config, Options options) {
    return new DeepgramEmulator(config, options);
  }

  @Override
  public String vendor() {
    return "deepgram";
  }

  @Override
  public URI baseUrl() {
    return server.baseUrl();
  }

  /** {@code ws://127.0.0.1:PORT/v1/speak}, without a query. */
  public URI webSocketUrl() {
    return URI.create("ws://" + config.host() + ":" + server.port() + SPEAK_PATH);
  }

  @Override
  public EmulatorControl control() {
    return control;
  }

  @Override
  public EmulatorConfig config() {
    return config;
  }

  /** The Deepgram switches it runs with. */
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
    return "DeepgramEmulator[" + (closed.get() ? "closed" : baseUrl()) + "]";
  }

  // --- for the package ---

  Pacer pacer() {
    return pacer;
  }

  EmulatorServer server() {
    return server;
  }

  /** Whether a new WebSocket may open ({@link Options#maxConcurrentStreams()}). */
  boolean streamSlotFree() {
    int limit = options.maxConcurrentStreams();
    return limit <= 0 || openStreams.get() < limit;
  }

  void streamOpened() {
    openStreams.incrementAndGet();
  }

  void streamClosed() {
    openStreams.decrementAndGet();
  }

  /** Takes a REST slot; false when {@link Options#maxConcurrentRequests()} are running. */
  boolean acquireRequest() {
    return acquire(activeRequests, options.maxConcurrentRequests());
  }

  void releaseRequest() {
    activeRequests.decrementAndGet();
  }

  private static boolean acquire(AtomicInteger counter, int limit) {
    while (true) {
      int n = counter.get();
      if (limit > 0 && n >= limit) {
        return false;
      }
      if (counter.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  /** Which fields a {@code Warning} frame carries (the note's conflict 1). */
  public enum WarningFields {
    /** {@code warn_code} and {@code warn_msg}: what the live API sends (the default). */
    LIVE,
    /** {@code code} and {@code description}: what the AsyncAPI spec and its generated SDKs read. */
    SPEC,
    /** All four fields. */
    BOTH
  }

  /** What the server does on the client's {@code {"type":"Close"}} (the note's conflict 5). */
  public enum CloseMode {
    /**
     * Text not yet flushed is dropped (no audio, no {@code Flushed}); flushes already accepted
     * finish (their audio and their {@code Flushed}); then close 1000. The default.
     */
    DRAIN,
    /** Everything still queued is dropped; close 1000 at once ("close immediately"). */
    IMMEDIATE,
    /**
     * The buffered text is flushed as if a {@code Flush} had come, everything finishes, then close
     * 1000 (the spec's "flush the buffer and close after all audio is generated").
     */
    FLUSH_AND_DRAIN
  }

  /** The Deepgram switches of an emulator. Immutable; build with {@link #builder()}. */
  public static final class Options {
    private final WarningFields warningFields;
    private final CloseMode closeMode;
    private final int maxSpeakCharacters;
    private final int maxCharactersPerWindow;
    private final int maxFlushesPerWindow;
    private final Duration rateWindow;
    private final int maxRestCharacters;
    private final Duration sessionLimit;
    private final Duration idleTimeout;
    private final int maxConcurrentStreams;
    private final int maxConcurrentRequests;
    private final String noCreditKey;
    private final Set<String> deniedModels;
    private final Set<Integer> webSocketSampleRates;
    private final boolean autoFlush;
    private final Clock clock;

    private Options(Builder b) {
      this.warningFields = b.warningFields;
      this.closeMode = b.closeMode;
      this.maxSpeakCharacters = b.maxSpeakCharacters;
      this.maxCharactersPerWindow = b.maxCharactersPerWindow;
      this.maxFlushesPerWindow = b.maxFlushesPerWindow;
      this.rateWindow = b.rateWindow;
      this.maxRestCharacters = b.maxRestCharacters;
      this.sessionLimit = b.sessionLimit;
      this.idleTimeout = b.idleTimeout;
      this.maxConcurrentStreams = b.maxConcurrentStreams;
      this.maxConcurrentRequests = b.maxConcurrentRequests;
      this.noCreditKey = b.noCreditKey;
      this.deniedModels = Set.copyOf(b.deniedModels);
      this.webSocketSampleRates = Set.copyOf(b.webSocketSampleRates);
      this.autoFlush = b.autoFlush;
      this.clock = b.clock;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
      return new Builder();
    }

    /** The defaults: Deepgram's documented behaviour. */
    public static Options defaults() {
      return builder().build();
    }

    /** A builder holding these values. */
    public Builder toBuilder() {
      return new Builder()
          .warningFields(warningFields)
          .closeMode(closeMode)
          .maxSpeakCharacters(maxSpeakCharacters)
          .maxCharactersPerWindow(maxCharactersPerWindow)
          .maxFlushesPerWindow(maxFlushesPerWindow)
          .rateWindow(rateWindow)
          .maxRestCharacters(maxRestCharacters)
          .sessionLimit(sessionLimit)
          .idleTimeout(idleTimeout)
          .maxConcurrentStreams(maxConcurrentStreams)
          .maxConcurrentRequests(maxConcurrentRequests)
          .noCreditKey(noCreditKey)
          .deniedModels(deniedModels)
          .webSocketSampleRates(webSocketSampleRates)
          .autoFlush(autoFlush)
          .clock(clock);
    }

    /** The fields of {@code Warning} frames. */
    public WarningFields warningFields() {
      return warningFields;
    }

    /** What {@code Close} does. */
    public CloseMode closeMode() {
      return closeMode;
    }

    /** The most characters one {@code Speak} may carry (more: close 1009 {@code BIG-0001}). */
    public int maxSpeakCharacters() {
      return maxSpeakCharacters;
    }

    /**
     * The most characters a socket may send within {@link #rateWindow()} (more: close 1008 {@code
     * DATA-0001}); 0 for no limit.
     */
    public int maxCharactersPerWindow() {
      return maxCharactersPerWindow;
    }

    /**
     * The most accepted {@code Flush} messages within {@link #rateWindow()}; one more gets a {@code
     * Warning} {@code EXCESSIVE_FLUSH} and no {@code Flushed}. 0 for no limit.
     */
    public int maxFlushesPerWindow() {
      return maxFlushesPerWindow;
    }

    /** The sliding window of the character and flush limits. */
    public Duration rateWindow() {
      return rateWindow;
    }

    /** The most characters of a REST request's text (more: 413). */
    public int maxRestCharacters() {
      return maxRestCharacters;
    }

    /** How long a WebSocket may stay open (then close 1011 {@code NET-0003}). */
    public Duration sessionLimit() {
      return sessionLimit;
    }

    /**
     * How long a WebSocket may go without a client message (then close 1011 {@code NET-0001}), or
     * null for no idle timeout (the default: Deepgram documents none for {@code /v1/speak}).
     */
    public Duration idleTimeout() {
      return idleTimeout;
    }

    /** WebSockets open at once before a handshake gets 429; 0 for no limit. */
    public int maxConcurrentStreams() {
      return maxConcurrentStreams;
    }

    /** REST requests in flight at once before one gets 429; 0 for no limit. */
    public int maxConcurrentRequests() {
      return maxConcurrentRequests;
    }

    /** A key that authenticates but has no credit left (402), or null for none. */
    public String noCreditKey() {
      return noCreditKey;
    }

    /** Models the project may not use (403 {@code INSUFFICIENT_PERMISSIONS}). */
    public Set<String> deniedModels() {
      return deniedModels;
    }

    /** The sample rates the WebSocket accepts for {@code linear16}. */
    public Set<Integer> webSocketSampleRates() {
      return webSocketSampleRates;
    }

    /**
     * Whether buffered text is also synthesized when a {@code Speak} ends a sentence, without a
     * {@code Flush} (and without a {@code Flushed}): the 2024 launch post's "takes any partial
     * text" reading. Default false: synthesis on {@code Flush} only.
     */
    public boolean autoFlush() {
      return autoFlush;
    }

    /** The clock of the rate windows. */
    public Clock clock() {
      return clock;
    }

    @Override
    public String toString() {
      return "Options[warningFields="
          + warningFields
          + ", closeMode="
          + closeMode
          + ", maxSpeakCharacters="
          + maxSpeakCharacters
          + ", maxCharactersPerWindow="
          + maxCharactersPerWindow
          + ", maxFlushesPerWindow="
          + maxFlushesPerWindow
          + ", rateWindow="
          + rateWindow
          + ", maxRestCharacters="
          + maxRestCharacters
          + ", sessionLimit="
          + sessionLimit
          + ", idleTimeout="
          + idleTimeout
          + ", maxConcurrentStreams="
          + maxConcurrentStreams
          + ", maxConcurrentRequests="
          + maxConcurrentRequests
          + ", deniedModels="
          + deniedModels
          + ", webSocketSampleRates="
          + webSocketSampleRates
          + ", autoFlush="
          + autoFlush
          + "]";
    }

    /** Builder of {@link Options}. */
    public static final class Builder {
      private WarningFields warningFields = WarningFields.LIVE;
      private CloseMode closeMode = CloseMode.DRAIN;
      private int maxSpeakCharacters = 2000;
      private int maxCharactersPerWindow = 2400;
      private int maxFlushesPerWindow = 20;
      private Duration rateWindow = Duration.ofSeconds(60);
      private int maxRestCharacters = 2000;
      private Duration sessionLimit = Duration.ofMinutes(60);
      private Duration idleTimeout;
      private int maxConcurrentStreams = 5;
      private int maxConcurrentRequests = 5;
      private String noCreditKey = "no-credit";
      private Set<String> deniedModels = Set.of();
      private Set<Integer> webSocketSampleRates = Set.of(8000, 16000, 24000, 32000, 48000);
      private boolean autoFlush;
      private Clock clock = Clock.systemUTC();

      private Builder() {}

      /** The fields of {@code Warning} frames (default {@link WarningFields#LIVE}). */
      public Builder warningFields(WarningFields fields) {
        this.warningFields = Objects.requireNonNull(fields, "fields");
        return this;
      }

      /** What {@code Close} does (default {@link CloseMode#DRAIN}). */
      public Builder closeMode(CloseMode mode) {
        this.closeMode = Objects.requireNonNull(mode, "mode");
        return this;
      }

      /**
       * Characters per {@code Speak} (default 2000).
       *
       * @throws IllegalArgumentException if not positive
       */
      public Builder maxSpeakCharacters(int n) {
        this.maxSpeakCharacters = positive("maxSpeakCharacters", n);
        return this;
      }

      /**
       * Characters per socket per {@link #rateWindow} (default 2400); 0 for no limit.
       *
       * @throws IllegalArgumentException if negative
       */
      public Builder maxCharactersPerWindow(int n) {
        this.maxCharactersPerWindow = notNegative("maxCharactersPerWindow", n);
        return this;
      }

      /**
       * Accepted flushes per socket per {@link #rateWindow} (default 20); 0 for no limit.
       *
       * @throws IllegalArgumentException if negative
       */
      public Builder maxFlushesPerWindow(int n) {
        this.maxFlushesPerWindow = notNegative("maxFlushesPerWindow", n);
        return this;
      }

      /**
       * The sliding window of the character and flush limits (default 60 s).
       *
       * @throws IllegalArgumentException if not positive
       */
      public Builder rateWindow(Duration window) {
        this.rateWindow = positive("rateWindow", window);
        return this;
      }

      /**
       * Characters per REST request (default 2000; the docs' REST error quotes 2400).
       *
       * @throws IllegalArgumentException if not positive
       */
      public Builder maxRestCharacters(int n) {
        this.maxRestCharacters = positive("maxRestCharacters", n);
        return this;
      }

      /**
       * How long a WebSocket may stay open (default 60 minutes).
       *
       * @throws IllegalArgumentException if not positive
       */
      public Builder sessionLimit(Duration limit) {
        this.sessionLimit = positive("sessionLimit", limit);
        return this;
      }

      /**
       * The WebSocket idle timeout, or null for none (the default).
       *
       * @throws IllegalArgumentException if not positive
       */
      public Builder idleTimeout(Duration timeout) {
        this.idleTimeout = timeout == null ? null : positive("idleTimeout", timeout);
        return this;
      }

      /**
       * WebSockets open at once (default 5, Aura-2's streaming limit); 0 for no limit.
       *
       * @throws IllegalArgumentException if negative
       */
      public Builder maxConcurrentStreams(int n) {
        this.maxConcurrentStreams = notNegative("maxConcurrentStreams", n);
        return this;
      }

      /**
       * REST requests in flight at once (default 5, Aura's REST limit); 0 for no limit.
       *
       * @throws IllegalArgumentException if negative
       */
      public Builder maxConcurrentRequests(int n) {
        this.maxConcurrentRequests = notNegative("maxConcurrentRequests", n);
        return this;
      }

      /** The key that has no credit (default {@code no-credit}), or null for none. */
      public Builder noCreditKey(String key) {
        this.noCreditKey = key;
        return this;
      }

      /** Models the project may not use (default none). */
      public Builder deniedModels(Set<String> models) {
        this.deniedModels = Set.copyOf(models);
        return this;
      }

      /**
       * The WebSocket's {@code linear16} sample rates (default 8000, 16000, 24000, 32000, 48000,
       * the AsyncAPI spec's set; the older reference lists 44100 instead of 32000).
       *
       * @throws IllegalArgumentException if empty or not all positive
       */
      public Builder webSocketSampleRates(Set<Integer> rates) {
        if (rates.isEmpty() || rates.stream().anyMatch(r -> r == null || r <= 0)) {
          throw new IllegalArgumentException("webSocketSampleRates must be positive: " + rates);
        }
        this.webSocketSampleRates = Set.copyOf(rates);
        return this;
      }

      /** Synthesize at sentence ends without a {@code Flush} too (default false). */
      public Builder autoFlush(boolean auto) {
        this.autoFlush = auto;
        return this;
      }

      /** The clock of the rate windows (default the system clock; tests move their own). */
      public Builder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
      }

      /** Builds the options. */
      public Options build() {
        return new Options(this);
      }

      private static int positive(String name, int n) {
        if (n <= 0) {
          throw new IllegalArgumentException(name + " must be positive: " + n);
        }
        return n;
      }

      private static int notNegative(String name, int n) {
        if (n < 0) {
          throw new IllegalArgumentException(name + " must be >= 0: " + n);
        }
        return n;
      }

      private static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
          throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
      }
    }
  }
}
