package dev.voicebridge.emulator.elevenlabs;

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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.pathmap.UriTemplatePathSpec;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A local ElevenLabs text-to-speech server on 127.0.0.1, built from the protocol note (never from
 * adapter code). It serves:
 *
 * <ul>
 *   <li>WebSocket {@code /v1/text-to-speech/{voice_id}/stream-input} (one generation stream per
 *       socket: buffering by {@code chunk_length_schedule}, {@code flush}, {@code
 *       try_trigger_generation}, {@code auto_mode}, alignment, {@code isFinal} then close 1000
 *       after {@code {"text": ""}}, inactivity timeout, 1008 errors);
 *   <li>WebSocket {@code /v1/text-to-speech/{voice_id}/multi-stream-input} (up to {@link
 *       Options#maxContexts()} contexts per socket, {@code close_context}, {@code close_socket});
 *   <li>HTTP {@code POST /v1/text-to-speech/{voice_id}/stream} (chunked audio), {@code
 *       .../stream/with-timestamps} (newline-delimited JSON), the non-streaming {@code
 *       /v1/text-to-speech/{voice_id}} and {@code .../with-timestamps}, and {@code POST
 *       /v1/single-use-token/tts_websocket}.
 * </ul>
 *
 * <p>Faults injected through {@link #control()} apply to the next WebSocket connection or HTTP
 * request; every session (a stream-input socket, one multi-stream context, one HTTP request) leaves
 * a record. See {@code emulator/README-elevenlabs.md} for the behaviour and its sources.
 */
public final class ElevenLabsEmulator implements VendorEmulator {

  /**
   * A realistic ElevenLabs latency (INFERRED, for demos and benchmarks): 135 ms before the first
   * audio of each generation (the vendor's ~75 ms {@code eleven_flash_v2_5} model latency plus
   * about 60 ms of network and server time), then real-time pacing, with up to 25 ms of jitter per
   * frame.
   */
  public static final LatencyProfile REALISTIC =
      new LatencyProfile(Duration.ofMillis(135), 1.0, Duration.ofMillis(25));

  /** This vendor, for {@link dev.voicebridge.emulator.Emulators}. */
  public static final EmulatorVendor VENDOR =
      EmulatorVendor.of("elevenlabs", REALISTIC, ElevenLabsEmulator::start);

  /** The fault kinds this emulator injects: all of them. */
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

  static final String STREAM_INPUT = "/v1/text-to-speech/{voice_id}/stream-input";
  static final String MULTI_STREAM_INPUT = "/v1/text-to-speech/{voice_id}/multi-stream-input";

  final EmulatorConfig config;
  final Options options;
  final EmulatorControl control;
  final Pacer pacer;
  final Set<String> singleUseTokens = ConcurrentHashMap.newKeySet();
  final AtomicInteger httpInFlight = new AtomicInteger();
  final CountDownLatch closing = new CountDownLatch(1);
  final Set<WsSession> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();
  final EmulatorServer server;

  private ElevenLabsEmulator(EmulatorConfig config, Options options) {
    this.config = Objects.requireNonNull(config, "config");
    this.options = Objects.requireNonNull(options, "options");
    this.control = new EmulatorControl(FAULTS);
    this.pacer = new Pacer("elevenlabs-emulator", config.profile(), config.seed());
    EmulatorServer s;
    try {
      s =
          EmulatorServer.start(
              "elevenlabs-emulator",
              config,
              control,
              srv -> {
                WebSocketUpgradeHandler ws =
                    WebSocketUpgradeHandler.from(
                        srv,
                        c -> {
                          c.setIdleTimeout(Duration.ofMinutes(10));
                          c.setMaxTextMessageSize(16 * 1024 * 1024);
                          c.setMaxBinaryMessageSize(16 * 1024 * 1024);
                          c.addMapping(
                              new UriTemplatePathSpec(STREAM_INPUT),
                              (rq, rs, cb) -> WsHandshake.create(this, rq, rs, cb, false));
                          c.addMapping(
                              new UriTemplatePathSpec(MULTI_STREAM_INPUT),
                              (rq, rs, cb) -> WsHandshake.create(this, rq, rs, cb, true));
                        });
                ws.setHandler(new HttpApi(this));
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
  public static ElevenLabsEmulator start(EmulatorConfig config) {
    return start(config, Options.defaults());
  }

  /**
   * Starts an emulator with vendor switches.
   *
   * @param config the emulator's configuration
   * @param options the vendor switches
   * @return the running emulator
   */
  public static ElevenLabsEmulator start(EmulatorConfig config, Options options) {
    return new ElevenLabsEmulator(config, options);
  }

  @Override
  public URI baseUrl() {
    return server.baseUrl();
  }

  /**
   * {@code ws://127.0.0.1:PORT}, the base of the WebSocket endpoints.
   *
   * @return the base URL of the WebSocket endpoints
   */
  public URI webSocketBaseUrl() {
    return URI.create("ws://" + config.host() + ":" + server.port());
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
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closing.countDown();
    for (WsSession s : sockets) {
      s.shutdown();
    }
    server.close();
    pacer.close();
  }

  @Override
  public String toString() {
    return "ElevenLabsEmulator[" + server.baseUrl() + ", " + options + "]";
  }

  /**
   * The ElevenLabs switches of an emulator. Immutable; build with {@link #builder()}.
   *
   * <p>Defaults: schedule enforced, alignment on, no {@code flush_done} frames, no-quota key {@code
   * no-quota-key}, unknown voice {@code unknown-voice}, 5 contexts per multi-stream socket, 20 s
   * inactivity, 5 concurrent HTTP requests.
   */
  public static final class Options {
    private final boolean enforceSchedule;
    private final boolean alignment;
    private final boolean flushDone;
    private final String noQuotaKey;
    private final String unknownVoiceId;
    private final int maxContexts;
    private final Duration defaultInactivity;
    private final int maxConcurrentRequests;

    private Options(Builder b) {
      this.enforceSchedule = b.enforceSchedule;
      this.alignment = b.alignment;
      this.flushDone = b.flushDone;
      this.noQuotaKey = b.noQuotaKey;
      this.unknownVoiceId = b.unknownVoiceId;
      this.maxContexts = b.maxContexts;
      this.defaultInactivity = b.defaultInactivity;
      this.maxConcurrentRequests = b.maxConcurrentRequests;
    }

    /** {@return the defaults} */
    public static Options defaults() {
      return builder().build();
    }

    /** {@return a builder with the defaults} */
    public static Builder builder() {
      return new Builder();
    }

    /** {@return a builder holding these values} */
    public Builder toBuilder() {
      return new Builder()
          .enforceSchedule(enforceSchedule)
          .alignment(alignment)
          .flushDone(flushDone)
          .noQuotaKey(noQuotaKey)
          .unknownVoiceId(unknownVoiceId)
          .maxContexts(maxContexts)
          .defaultInactivity(defaultInactivity)
          .maxConcurrentRequests(maxConcurrentRequests);
    }

    /**
     * {@return whether WebSocket text waits for {@code chunk_length_schedule} (true, the vendor's
     * way) or every message's complete words are generated at once (false)}
     */
    public boolean enforceSchedule() {
      return enforceSchedule;
    }

    /** {@return whether audio frames carry alignment (WebSocket and with-timestamps)} */
    public boolean alignment() {
      return alignment;
    }

    /** {@return whether a multi-stream flush is followed by a {@code flush_done} frame} */
    public boolean flushDone() {
      return flushDone;
    }

    /**
     * {@return the key that authenticates but has no quota left (401 / 1008 {@code
     * quota_exceeded})}
     */
    public String noQuotaKey() {
      return noQuotaKey;
    }

    /** {@return the voice id that does not exist (404 {@code voice_not_found} / 1008)} */
    public String unknownVoiceId() {
      return unknownVoiceId;
    }

    /** {@return the live contexts allowed per multi-stream socket; one more closes it with 1008} */
    public int maxContexts() {
      return maxContexts;
    }

    /** {@return the inactivity timeout when the client does not send {@code inactivity_timeout}} */
    public Duration defaultInactivity() {
      return defaultInactivity;
    }

    /** {@return the concurrent HTTP TTS requests allowed; one more gets 429} */
    public int maxConcurrentRequests() {
      return maxConcurrentRequests;
    }

    @Override
    public String toString() {
      return "Options[enforceSchedule="
          + enforceSchedule
          + ", alignment="
          + alignment
          + ", flushDone="
          + flushDone
          + ", maxContexts="
          + maxContexts
          + ", defaultInactivity="
          + defaultInactivity
          + ", maxConcurrentRequests="
          + maxConcurrentRequests
          + "]";
    }

    /** Builder of {@link Options}. */
    public static final class Builder {
      private boolean enforceSchedule = true;
      private boolean alignment = true;
      private boolean flushDone;
      private String noQuotaKey = "no-quota-key";
      private String unknownVoiceId = "unknown-voice";
      private int maxContexts = 5;
      private Duration defaultInactivity = Duration.ofSeconds(20);
      private int maxConcurrentRequests = 5;

      private Builder() {}

      /**
       * See {@link Options#enforceSchedule()}.
       *
       * @param on whether text waits for the schedule
       * @return this builder
       */
      public Builder enforceSchedule(boolean on) {
        this.enforceSchedule = on;
        return this;
      }

      /**
       * See {@link Options#alignment()}.
       *
       * @param on whether audio frames carry alignment
       * @return this builder
       */
      public Builder alignment(boolean on) {
        this.alignment = on;
        return this;
      }

      /**
       * See {@link Options#flushDone()}.
       *
       * @param on whether a multi-stream flush is followed by {@code flush_done}
       * @return this builder
       */
      public Builder flushDone(boolean on) {
        this.flushDone = on;
        return this;
      }

      /**
       * See {@link Options#noQuotaKey()}.
       *
       * @param key the key that authenticates but has no quota left
       * @return this builder
       */
      public Builder noQuotaKey(String key) {
        this.noQuotaKey = Objects.requireNonNull(key, "key");
        return this;
      }

      /**
       * See {@link Options#unknownVoiceId()}.
       *
       * @param voiceId the voice id that does not exist
       * @return this builder
       */
      public Builder unknownVoiceId(String voiceId) {
        this.unknownVoiceId = Objects.requireNonNull(voiceId, "voiceId");
        return this;
      }

      /**
       * See {@link Options#maxContexts()}; at least 1.
       *
       * @param n the live contexts allowed per socket
       * @return this builder
       */
      public Builder maxContexts(int n) {
        if (n < 1) {
          throw new IllegalArgumentException("maxContexts must be at least 1: " + n);
        }
        this.maxContexts = n;
        return this;
      }

      /**
       * See {@link Options#defaultInactivity()}; 100 ms to 180 s.
       *
       * @param d the inactivity timeout
       * @return this builder
       */
      public Builder defaultInactivity(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.compareTo(Duration.ofMillis(100)) < 0 || d.compareTo(Duration.ofSeconds(180)) > 0) {
          throw new IllegalArgumentException("defaultInactivity must be in 100 ms..180 s: " + d);
        }
        this.defaultInactivity = d;
        return this;
      }

      /**
       * See {@link Options#maxConcurrentRequests()}; at least 1.
       *
       * @param n the concurrent HTTP requests allowed
       * @return this builder
       */
      public Builder maxConcurrentRequests(int n) {
        if (n < 1) {
          throw new IllegalArgumentException("maxConcurrentRequests must be at least 1: " + n);
        }
        this.maxConcurrentRequests = n;
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
