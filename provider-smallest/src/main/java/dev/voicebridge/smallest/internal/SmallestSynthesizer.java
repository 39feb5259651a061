package dev.voicebridge.smallest.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.http.Catalogs;
import dev.voicebridge.kit.ws.WebSocketConnection;
import dev.voicebridge.kit.ws.WebSocketPool;
import dev.voicebridge.kit.ws.WebSocketSource;
import dev.voicebridge.smallest.SmallestOptions;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.VoiceCatalogCache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Smallest AI synthesizer: validates options before any I/O, then runs each session over the
 * WebSocket (pooled connections, one session per connection at a time) or over SSE. Thread-safe; no
 * threads of its own: the process's shared HTTP client (or the application's) carries everything.
 */
public final class SmallestSynthesizer implements StreamingSynthesizer {

  /** The sample rates Smallest produces. */
  public static final Set<Integer> SAMPLE_RATES = Set.of(8_000, 16_000, 24_000, 44_100);

  /** The format used when the options name none. */
  public static final AudioFormat DEFAULT_FORMAT = AudioFormat.pcm(24_000);

  private static final List<String> MODELS = List.of("lightning_v3.1", "lightning_v3.1_pro");

  /** Idle connections kept for reuse. */
  private static final int MAX_IDLE = 8;

  private final SmallestSettings settings;
  private final NetworkSettings network;
  private final WebSocketPool<Boolean> pool;
  private final Set<SynthesisSession> sessions = ConcurrentHashMap.newKeySet();
  private final Capabilities capabilities;
  private final VoiceCatalogCache catalog;
  private volatile boolean closed;

  /** Creates the synthesizer; no I/O, no threads. */
  public SmallestSynthesizer(SmallestSettings settings) {
    this.settings = settings;
    this.network = settings.network();
    this.pool =
        new WebSocketPool<>(
            MAX_IDLE,
            settings.keepAlive().isZero() ? Duration.ofHours(1) : settings.keepAlive(),
            WebSocketBackend::usableWhileIdle,
            network.sessions().ticker());
    boolean ws = settings.transport().equals(SmallestOptions.WEBSOCKET);
    Capabilities.Builder b =
        Capabilities.builder()
            .streamingInput(true)
            .wordTimings(ws)
            .multiplexing(false)
            .network(true)
            .voiceCatalog(true)
            .defaultFormat(DEFAULT_FORMAT)
            .supports(SmallestSynthesizer::supportsFormat)
            .transports(ws ? SmallestOptions.WEBSOCKET : SmallestOptions.SSE)
            .transports(ws ? SmallestOptions.SSE : SmallestOptions.WEBSOCKET);
    for (int rate : new int[] {8_000, 16_000, 24_000, 44_100}) {
      b.formats(AudioFormat.pcm(rate));
    }
    for (int rate : new int[] {8_000, 16_000, 24_000, 44_100}) {
      b.formats(AudioFormat.wav(rate));
    }
    b.formats(AudioFormat.mulaw(8_000), AudioFormat.alaw(8_000));
    this.capabilities = b.build();
    this.catalog =
        Catalogs.cache(
            network, q -> SmallestCatalog.fetch(network, q.model().orElse(settings.model()), q));
  }

  /**
   * Whether a format can be delivered: mono PCM at 8, 16, 24 or 44.1 kHz, or WAV, mu-law or A-law
   * converted from it locally.
   */
  public static boolean supportsFormat(AudioFormat f) {
    return f.channels() == 1
        && SAMPLE_RATES.contains(f.sampleRate())
        && switch (f.encoding()) {
          case PCM_S16LE, WAV, MULAW, ALAW -> true;
          case MP3, OPUS -> false;
        };
  }

  @Override
  public String provider() {
    return SmallestCodec.PROVIDER;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /** The resolved configuration. */
  public SmallestSettings settings() {
    return settings;
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    if (closed) {
      throw new IllegalStateException("this Smallest synthesizer is closed");
    }
    List<String> warnings = new ArrayList<>();
    AudioFormat format = options.format().orElse(DEFAULT_FORMAT);
    String transport = options.get(SmallestOptions.TRANSPORT, settings.transport());
    SmallestRequest request = requestSettings(options, format, transport, warnings);
    SessionBackend backend =
        transport.equals(SmallestOptions.SSE)
            ? new SseBackend(
                network,
                request,
                warnings,
                options.get(SmallestOptions.SSE_SPLIT, "sentence").equals("sentence"))
            : new WebSocketBackend(
                WebSocketSource.pooled(pool, Boolean.TRUE, this::connection),
                request,
                warnings,
                settings.keepAlive());
    SynthesisSession session =
        SynthesisSessions.open(SmallestCodec.PROVIDER, format, network.sessions(), backend);
    sessions.add(session);
    session.completion().whenComplete((r, e) -> sessions.remove(session));
    if (closed) {
      session.cancel();
    }
    return session;
  }

  /**
   * Lists {@code GET /waves/v1/{model}/get_voices} of the query's model (the configured one when it
   * names none), cached by query ({@code voices-cache-ttl}).
   *
   * @throws UnsupportedCapabilityException for a model Smallest does not have
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public CompletionStage<VoicePage> voices(VoiceQuery query) {
    Objects.requireNonNull(query, "query");
    if (closed) {
      throw new IllegalStateException("this Smallest synthesizer is closed");
    }
    String model = query.model().orElse(settings.model());
    if (!MODELS.contains(model)) {
      throw new UnsupportedCapabilityException(
          SmallestCodec.PROVIDER,
          "model '" + model + "' has no catalog: use lightning_v3.1 or lightning_v3.1_pro");
    }
    return catalog.get(query);
  }

  /**
   * WebSocket: opens a connection to the live endpoint into the pool unless an idle one is there
   * (the next session takes it). SSE: asks for the catalog of the session's model, which opens the
   * HTTP client's kept-alive connection and checks the key.
   */
  @Override
  public CompletionStage<Void> prewarm(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("this Smallest synthesizer is closed");
    }
    AudioFormat format = options.format().orElse(DEFAULT_FORMAT);
    String transport = options.get(SmallestOptions.TRANSPORT, settings.transport());
    SmallestRequest request = requestSettings(options, format, transport, new ArrayList<>());
    if (transport.equals(SmallestOptions.SSE)) {
      return SmallestCatalog.fetch(network, request.model(), VoiceQuery.all())
          .thenApply(p -> (Void) null);
    }
    return pool.prewarm(Boolean.TRUE, this::connection);
  }

  /** A new WebSocket to the live endpoint (not yet connected). */
  private WebSocketConnection connection(WebSocketConnection.Listener listener) {
    return WebSocketConnection.create(
        network
            .webSocketOptions(SmallestSettings.LIVE_PATH)
            .header("Authorization", "Bearer " + network.apiKey().reveal())
            .accept(WebSocketConnection.Accept.TEXT, false)
            .handshakeErrors(
                (status, headers, body) -> {
                  String text = new String(body, StandardCharsets.UTF_8);
                  return SmallestErrors.forHttp(
                      status,
                      text.isBlank() ? "the WebSocket handshake was refused" : text,
                      headers.firstValue("retry-after").orElse(null));
                })
            .build(),
        listener);
  }

  /**
   * Checks the options against what Smallest accepts and builds the request fields.
   *
   * @throws UnsupportedCapabilityException for a format, model, speed or language Smallest refuses
   */
  SmallestRequest requestSettings(
      SynthesisOptions options, AudioFormat format, String transport, List<String> warnings) {
    String p = SmallestCodec.PROVIDER;
    if (!supportsFormat(format)) {
      throw new UnsupportedCapabilityException(
          p,
          "format "
              + format
              + " is not available: Smallest streams mono 16-bit PCM at 8000, 16000, 24000 or"
              + " 44100 Hz (delivered as pcm, wav, mulaw or alaw); no mp3 or opus while"
              + " streaming");
    }
    String voice = options.voice().orElse(settings.voice());
    if (voice.isBlank()) {
      throw new UnsupportedCapabilityException(p, "the voice id must not be blank");
    }
    String model = options.model().orElse(settings.model());
    if (!MODELS.contains(model)) {
      throw new UnsupportedCapabilityException(
          p,
          "model '"
              + ConfigKey.printable(model)
              + "' is not available: use lightning_v3.1 or lightning_v3.1_pro (lightning-v2 and"
              + " lightning-large are retired)");
    }
    Double speed = options.speed().orElse(null);
    if (speed != null && (speed < 0.5 || speed > 2.0)) {
      throw new UnsupportedCapabilityException(
          p, "speed must be in 0.5..2.0 for Smallest, was " + speed);
    }
    String language = options.language().map(SmallestSynthesizer::normalizeLanguage).orElse(null);
    if (language != null && !SmallestOptions.LANGUAGES.contains(language)) {
      throw new UnsupportedCapabilityException(
          p,
          "language '"
              + ConfigKey.printable(options.language().get())
              + "' is not available; Smallest speaks "
              + SmallestOptions.LANGUAGES);
    }
    for (SynthesisOption<?> key : options.vendorOptions().keySet()) {
      if (!key.provider().equals(p)) {
        warnings.add("option " + key + " belongs to provider '" + key.provider() + "'; ignored");
      } else if (!SmallestOptions.ALL.contains(key)) {
        warnings.add("option " + key + " is not a Smallest option; ignored");
      }
    }
    boolean sse = transport.equals(SmallestOptions.SSE);
    Integer maxBufferFlush = options.get(SmallestOptions.MAX_BUFFER_FLUSH_MS).orElse(null);
    Integer backoff = options.get(SmallestOptions.COMPLETE_BACKOFF_MS).orElse(null);
    Boolean words = options.get(SmallestOptions.WORD_TIMESTAMPS).orElse(null);
    if (sse) {
      if (maxBufferFlush != null) {
        warnings.add("max-buffer-flush-ms applies to the WebSocket only; ignored over SSE");
        maxBufferFlush = null;
      }
      if (backoff != null) {
        warnings.add("complete-backoff-ms applies to the WebSocket only; ignored over SSE");
        backoff = null;
      }
      if (Boolean.TRUE.equals(words)) {
        warnings.add("word timestamps are only sent over the WebSocket; none over SSE");
      }
      words = null;
    } else if (options.get(SmallestOptions.SSE_SPLIT).isPresent()) {
      warnings.add("sse-split applies to SSE only; ignored over the WebSocket");
    }
    if (!sse
        && Boolean.TRUE.equals(words)
        && !SmallestOptions.WORD_TIMESTAMP_VOICES.contains(voice.toLowerCase(Locale.ROOT))) {
      warnings.add(
          "voice '"
              + voice
              + "' is not known to send word timestamps (known: "
              + SmallestOptions.WORD_TIMESTAMP_VOICES
              + "); expect none");
    }
    return new SmallestRequest(
        voice,
        model,
        language,
        format.sampleRate(),
        speed,
        maxBufferFlush,
        backoff,
        words,
        options.get(SmallestOptions.SESSION_ID).orElse(null),
        options.get(SmallestOptions.REQUEST_ID).orElse(null),
        options.get(SmallestOptions.PRONUNCIATION_DICTS).orElse(null),
        options.get(SmallestOptions.NUMBER_PRONUNCIATION_LANGUAGE).orElse(null),
        options.get(SmallestOptions.MATH_NOTATION).orElse(null));
  }

  static String normalizeLanguage(String language) {
    String l = language.trim().toLowerCase(Locale.ROOT);
    int cut = l.indexOf('-');
    if (cut < 0) {
      cut = l.indexOf('_');
    }
    return cut > 0 ? l.substring(0, cut) : l;
  }

  /** Idle pooled WebSocket connections (for tests). */
  int idleConnections() {
    return pool.idleCount();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (SynthesisSession s : List.copyOf(sessions)) {
      s.cancel();
    }
    pool.close();
    catalog.close();
  }

  @Override
  public String toString() {
    return "SmallestSynthesizer[" + settings + "]";
  }
}
