package dev.voicebridge.smallest.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.smallest.SmallestOptions;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.ProviderConfig;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.Ticker;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Smallest AI synthesizer: validates options before any I/O, then runs each session over the
 * WebSocket (pooled connections, one session per connection at a time) or over SSE. Thread-safe.
 * The HTTP client, its executor ({@code voicebridge-smallest-http-N}) and the keep-alive timer
 * ({@code voicebridge-smallest-timer}) are created on first use and stopped by {@link #close()}.
 */
public final class SmallestSynthesizer implements StreamingSynthesizer {

  /** The sample rates Smallest produces. */
  public static final Set<Integer> SAMPLE_RATES = Set.of(8_000, 16_000, 24_000, 44_100);

  /** The format used when the options name none. */
  public static final AudioFormat DEFAULT_FORMAT = AudioFormat.pcm(24_000);

  private static final List<String> MODELS = List.of("lightning_v3.1", "lightning_v3.1_pro");
  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  private final SmallestSettings settings;
  private final Ticker ticker;
  private final SessionSettings sessionSettings;
  private final HttpClient sharedClient;
  private final WsPool pool;
  private final Set<SynthesisSession> sessions = ConcurrentHashMap.newKeySet();
  private final Capabilities capabilities;

  private HttpClient ownClient; // guarded by this
  private ExecutorService executor; // guarded by this
  private ScheduledExecutorService timer; // guarded by this
  private volatile boolean closed;

  /**
   * Creates the synthesizer; no I/O, no threads.
   *
   * @param limits the provider's configuration, resolved with {@link Limits#keys()} among its keys:
   *     the sessions' {@code max-buffered-audio-bytes} and {@code max-text-chars}
   * @param sharedClient an application-owned client to use (and not close), or null
   */
  public SmallestSynthesizer(
      SmallestSettings settings, ProviderConfig limits, Ticker ticker, HttpClient sharedClient) {
    this.settings = settings;
    this.ticker = ticker;
    this.sessionSettings =
        Limits.apply(
            limits,
            SessionSettings.defaults()
                .withTicker(ticker)
                .withResponseTimeout(settings.responseTimeout()));
    this.sharedClient = sharedClient;
    this.pool = new WsPool(settings, this::client, ticker);
    boolean ws = settings.transport().equals("websocket");
    Capabilities.Builder b =
        Capabilities.builder()
            .streamingInput(true)
            .wordTimings(ws)
            .multiplexing(false)
            .network(true)
            .defaultFormat(DEFAULT_FORMAT)
            .supports(SmallestSynthesizer::supportsFormat)
            .transports(ws ? "websocket" : "sse")
            .transports(ws ? "sse" : "websocket");
    for (int rate : new int[] {8_000, 16_000, 24_000, 44_100}) {
      b.formats(AudioFormat.pcm(rate));
    }
    for (int rate : new int[] {8_000, 16_000, 24_000, 44_100}) {
      b.formats(AudioFormat.wav(rate));
    }
    b.formats(AudioFormat.mulaw(8_000), AudioFormat.alaw(8_000));
    this.capabilities = b.build();
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
    RequestSettings request = requestSettings(options, format, transport, warnings);
    SessionBackend backend =
        transport.equals("sse")
            ? new SseSessionBackend(
                this::client,
                settings,
                request,
                warnings,
                options.get(SmallestOptions.SSE_SPLIT, "sentence").equals("sentence"))
            : new WsSessionBackend(pool, request, warnings, timer(), settings.keepAlive(), ticker);
    SynthesisSession session =
        SynthesisSessions.open(SmallestCodec.PROVIDER, format, sessionSettings, backend);
    sessions.add(session);
    session.completion().whenComplete((r, e) -> sessions.remove(session));
    if (closed) {
      session.cancel();
    }
    return session;
  }

  /**
   * Checks the options against what Smallest accepts and builds the request fields.
   *
   * @throws UnsupportedCapabilityException for a format, model, speed or language Smallest refuses
   */
  RequestSettings requestSettings(
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
              + model
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
              + options.language().get()
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
    boolean sse = transport.equals("sse");
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
    return new RequestSettings(
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

  // ------------------------------------------------------------------ resources

  synchronized HttpClient client() {
    if (sharedClient != null) {
      return sharedClient;
    }
    if (closed) {
      throw new IllegalStateException("this Smallest synthesizer is closed");
    }
    if (ownClient == null) {
      int n = POOL_NUMBER.incrementAndGet();
      executor = Executors.newCachedThreadPool(named("voicebridge-smallest-http-" + n + "-"));
      ownClient =
          HttpClient.newBuilder()
              .executor(executor)
              .connectTimeout(settings.connectTimeout())
              .version(HttpClient.Version.HTTP_1_1)
              .build();
    }
    return ownClient;
  }

  private synchronized ScheduledExecutorService timer() {
    if (settings.keepAlive().isZero()) {
      return null;
    }
    if (timer == null) {
      ScheduledThreadPoolExecutor t =
          new ScheduledThreadPoolExecutor(1, named("voicebridge-smallest-timer-"));
      t.setRemoveOnCancelPolicy(true);
      timer = t;
    }
    return timer;
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Idle pooled WebSocket connections (for tests). */
  int idleConnections() {
    return pool.idleCount();
  }

  @Override
  public void close() {
    ExecutorService e;
    ScheduledExecutorService t;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      e = executor;
      t = timer;
      executor = null;
      timer = null;
      ownClient = null; // JDK 17: the client's selector thread ends once the client is unreachable
    }
    for (SynthesisSession s : List.copyOf(sessions)) {
      s.cancel();
    }
    pool.close();
    if (t != null) {
      t.shutdownNow();
    }
    if (e != null) {
      e.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "SmallestSynthesizer[" + settings + "]";
  }
}
