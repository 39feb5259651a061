package dev.voicebridge.emulator.fish;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A local Fish Audio server: the WebSocket {@code /v1/tts/live} (MessagePack events {@code start},
 * {@code text}, {@code flush}, {@code stop} in; {@code audio}, {@code finish}, {@code error} out)
 * and the HTTP {@code POST /v1/tts} (JSON or MessagePack body, chunked audio), written from the
 * Fish protocol notes. See the module README for what is inferred.
 *
 * <pre>{@code
 * try (FishEmulator fish = FishEmulator.start(EmulatorConfig.defaults())) {
 *   URI base = fish.baseUrl(); // http://127.0.0.1:PORT; the socket is ws://127.0.0.1:PORT/v1/tts/live
 * }
 * }</pre>
 */
public final class FishEmulator implements VendorEmulator {

  /**
   * Fish's published latency, for realistic runs: the first audio of each generation about 500 ms
   * after its text for {@code latency: normal} (the emulator scales this to 300 ms for {@code
   * balanced} and 200 ms for {@code low}), then audio paced at real time, with up to 50 ms of
   * jitter per frame.
   */
  public static final LatencyProfile REALISTIC =
      new LatencyProfile(Duration.ofMillis(500), 1.0, Duration.ofMillis(50));

  /** This vendor, for {@link dev.voicebridge.emulator.Emulators}. */
  public static final EmulatorVendor VENDOR =
      EmulatorVendor.of("fish", REALISTIC, FishEmulator::start);

  /** The WebSocket path. */
  public static final String LIVE_PATH = "/v1/tts/live";

  /** The HTTP path. */
  public static final String TTS_PATH = "/v1/tts";

  /** The models the {@code model} header may name; others fall back to {@link #DEFAULT_MODEL}. */
  public static final List<String> MODELS = List.of("s1", "s2-pro", "s2.1-pro", "s2.1-pro-free");

  /** The model used when the {@code model} header is missing or unknown, as the vendor does. */
  public static final String DEFAULT_MODEL = "s2.1-pro";

  static final Set<Class<? extends Fault>> SUPPORTED =
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

  static final ObjectMapper JSON = new ObjectMapper();

  private final EmulatorConfig config;
  private final Options options;
  private final EmulatorControl control;
  private final Pacer pacer;
  private final EmulatorServer server;
  private final AtomicInteger openSockets = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();

  private FishEmulator(EmulatorConfig config, Options options) {
    this.config = Objects.requireNonNull(config, "config");
    this.options = Objects.requireNonNull(options, "options");
    this.control = new EmulatorControl(SUPPORTED);
    this.pacer = new Pacer("fish-emulator", config.profile(), config.seed());
    EmulatorServer s;
    try {
      s =
          EmulatorServer.start(
              "fish-emulator",
              config,
              control,
              server -> {
                WebSocketUpgradeHandler ws =
                    WebSocketUpgradeHandler.from(
                        server,
                        c -> {
                          c.setIdleTimeout(options.idleTimeout);
                          c.setMaxBinaryMessageSize(16 * 1024 * 1024);
                          c.setMaxTextMessageSize(1024 * 1024);
                          c.addMapping(
                              LIVE_PATH, (rq, rs, cb) -> FishSocket.create(this, rq, rs, cb));
                        });
                ws.setHandler(new FishHttp(this));
                return ws;
              });
    } catch (RuntimeException e) {
      pacer.close();
      throw e;
    }
    this.server = s;
  }

  /**
   * Starts a Fish emulator with the default options.
   *
   * @param config the emulator's configuration
   * @return the running emulator
   */
  public static FishEmulator start(EmulatorConfig config) {
    return start(config, Options.builder().build());
  }

  /**
   * Starts a Fish emulator.
   *
   * @param config the emulator's configuration
   * @param options the vendor switches
   * @return the running emulator
   */
  public static FishEmulator start(EmulatorConfig config, Options options) {
    return new FishEmulator(config, options);
  }

  @Override
  public String vendor() {
    return "fish";
  }

  @Override
  public URI baseUrl() {
    return server.baseUrl();
  }

  /**
   * {@code ws://127.0.0.1:PORT/v1/tts/live}.
   *
   * @return the URL of the live WebSocket endpoint
   */
  public URI liveUrl() {
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

  /** {@return the switches this emulator runs with} */
  public Options options() {
    return options;
  }

  /**
   * {@return the effective model of every session, in the order of {@code control().sessions()}:
   * the {@code model} header if it names a known model, else {@value #DEFAULT_MODEL}}
   */
  public List<String> effectiveModels() {
    List<String> out = new ArrayList<>();
    for (Map<String, String> n : control.sessionNotes()) {
      out.add(n.get("model"));
    }
    return List.copyOf(out);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.close();
      pacer.close();
    }
  }

  EmulatorServer server() {
    return server;
  }

  Pacer pacer() {
    return pacer;
  }

  AtomicInteger openSockets() {
    return openSockets;
  }

  /** The model a {@code model} header selects. */
  static String effectiveModel(String header) {
    if (header == null) {
      return DEFAULT_MODEL;
    }
    String m = header.trim();
    return MODELS.contains(m) ? m : DEFAULT_MODEL;
  }

  /** Request headers as a map with lower-case names. */
  static Map<String, List<String>> headers(HttpFields fields) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (HttpField f : fields) {
      out.computeIfAbsent(f.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(f.getValue());
    }
    return out;
  }

  /**
   * Checks the key of a request; returns null if accepted, else {status, message}. The key is never
   * echoed.
   */
  Object[] authProblem(String authorization) {
    String prefix = "bearer ";
    if (authorization == null
        || authorization.length() <= prefix.length()
        || !authorization.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return new Object[] {401, "Invalid Token"};
    }
    String key = authorization.substring(prefix.length()).trim();
    if (options.noCreditKey != null && options.noCreditKey.equals(key)) {
      return new Object[] {402, "Insufficient API credit"};
    }
    if (!config.apiKey().equals(key)) {
      return new Object[] {401, "Invalid Token"};
    }
    return null;
  }

  /** The JSON error body {@code {"status":s,"message":m}}. */
  static byte[] errorBody(int status, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", status);
    m.put("message", message);
    try {
      return JSON.writeValueAsBytes(m);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The message of a refusal for an injected fault: the status's phrase with {@code (injected
   * fault)}, or with {@code detail} (echoed credentials) instead.
   */
  static String statusMessage(int status, String detail) {
    String phrase =
        switch (status) {
          case 400 -> "Bad Request";
          case 401 -> "Invalid Token";
          case 402 -> "Insufficient API credit";
          case 403 -> "Forbidden";
          case 404 -> "Not Found";
          case 429 -> "Too Many Requests";
          case 500 -> "Internal Server Error";
          case 502 -> "Bad Gateway";
          case 503 -> "The server cannot process the request due to a high load";
          default -> "Error";
        };
    return phrase + " (" + (detail == null ? Fault.MESSAGE : detail) + ")";
  }

  /**
   * The {@code finish{error}} message of an injected {@link Fault.ErrorFrame}, or of echoed
   * credentials ({@code detail}).
   */
  static String errorFrameMessage(Fault.ErrorKind kind, String detail) {
    return switch (kind) {
          case SERVER -> "Internal server error";
          case AUTHENTICATION -> "Invalid Token";
          case QUOTA -> "Insufficient API credit";
          case RATE_LIMIT -> "Too many concurrent requests";
          case INVALID_REQUEST -> "Invalid request";
        }
        + " ("
        + (detail == null ? Fault.MESSAGE : detail)
        + ")";
  }

  /** The first-audio delay (without jitter) for a request's {@code latency} mode. */
  Duration firstAudio(String latency) {
    Duration base = config.profile().firstAudio();
    return switch (latency) {
      case "balanced" -> base.multipliedBy(3).dividedBy(5);
      case "low" -> base.multipliedBy(2).dividedBy(5);
      default -> base;
    };
  }

  /** The switches of a {@link FishEmulator}. Immutable; build with {@link #builder()}. */
  public static final class Options {
    final boolean closeAfterFinish;
    final boolean closeFrameAfterFinish;
    final String noCreditKey;
    final int maxConnections;
    final Duration idleTimeout;

    private Options(Builder b) {
      this.closeAfterFinish = b.closeAfterFinish;
      this.closeFrameAfterFinish = b.closeFrameAfterFinish;
      this.noCreditKey = b.noCreditKey;
      this.maxConnections = b.maxConnections;
      this.idleTimeout = b.idleTimeout;
    }

    /** {@return a builder with the defaults (the current vendor behaviour)} */
    public static Builder builder() {
      return new Builder();
    }

    /** {@return whether the server closes the socket after each {@code finish}} */
    public boolean closeAfterFinish() {
      return closeAfterFinish;
    }

    /** {@return whether that close sends a close frame (1000) or just drops the connection} */
    public boolean closeFrameAfterFinish() {
      return closeFrameAfterFinish;
    }

    /** {@return the key that is answered with 402 (no credit), or null} */
    public String noCreditKey() {
      return noCreditKey;
    }

    /** {@return the most WebSocket connections open at once (more get 429), 0 for no limit} */
    public int maxConnections() {
      return maxConnections;
    }

    /** {@return how long an idle WebSocket stays open} */
    public Duration idleTimeout() {
      return idleTimeout;
    }

    /** Builder of {@link Options}. */
    public static final class Builder {
      private boolean closeAfterFinish;
      private boolean closeFrameAfterFinish = true;
      private String noCreditKey = "no-credit";
      private int maxConnections;
      private Duration idleTimeout = Duration.ofMinutes(5);

      private Builder() {}

      /**
       * Close the socket after each {@code finish} (older servers, the AsyncAPI spec and the Go
       * SDK); default false: the socket stays open for another {@code start}, as the current server
       * does.
       *
       * @param value whether to close the socket after each {@code finish}
       * @return this builder
       */
      public Builder closeAfterFinish(boolean value) {
        this.closeAfterFinish = value;
        return this;
      }

      /**
       * With {@link #closeAfterFinish}: send a close frame (1000, the default) or drop the
       * connection without one (the Go SDK says the server "often closes without a formal close
       * frame").
       *
       * @param value true for a close frame, false to drop the connection
       * @return this builder
       */
      public Builder closeFrameAfterFinish(boolean value) {
        this.closeFrameAfterFinish = value;
        return this;
      }

      /**
       * The key answered with 402 "Insufficient API credit" (default {@code no-credit}).
       *
       * @param key the key without credit, or null
       * @return this builder
       */
      public Builder noCreditKey(String key) {
        this.noCreditKey = key;
        return this;
      }

      /**
       * The most WebSocket connections open at once; more get 429 (0, the default: no limit).
       *
       * @param value the limit, 0 for none
       * @return this builder
       */
      public Builder maxConnections(int value) {
        if (value < 0) {
          throw new IllegalArgumentException("maxConnections must be >= 0: " + value);
        }
        this.maxConnections = value;
        return this;
      }

      /**
       * How long an idle WebSocket stays open (default 5 minutes; undocumented by Fish).
       *
       * @param value the idle timeout
       * @return this builder
       */
      public Builder idleTimeout(Duration value) {
        this.idleTimeout = Objects.requireNonNull(value, "idleTimeout");
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
