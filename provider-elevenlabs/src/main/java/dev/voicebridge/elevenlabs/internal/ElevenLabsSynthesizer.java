package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.elevenlabs.ElevenLabsOptions;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.Transports;
import dev.voicebridge.kit.http.Catalogs;
import dev.voicebridge.kit.ws.MultiplexPool;
import dev.voicebridge.kit.ws.WebSocketConnection;
import dev.voicebridge.kit.ws.WebSocketSource;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.VoiceCatalogCache;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ElevenLabs synthesizer: validates options into a {@link ElevenLabsRequest} before any I/O and
 * runs each session on the chosen transport. Thread-safe; no threads of its own: the process's
 * shared HTTP client (or the application's) carries everything; it owns the multi-context sockets.
 */
public final class ElevenLabsSynthesizer implements StreamingSynthesizer {
  /** The provider name. */
  public static final String NAME = "elevenlabs";

  private static final Set<String> WEBSOCKET_ONLY =
      Set.of(
          "chunk-length-schedule",
          "auto-mode",
          "inactivity-timeout",
          "sync-alignment",
          "enable-ssml-parsing");

  private final ElevenLabsSettings settings;
  private final NetworkSettings network;
  private final MultiplexPool<ServerFrame> pool;
  private final AtomicLong contextIds = new AtomicLong();
  private final Capabilities capabilities;
  private final VoiceCatalogCache catalog;
  private final Set<SynthesisSession> sessions = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Creates the synthesizer; no network I/O. */
  public ElevenLabsSynthesizer(ElevenLabsSettings settings) {
    this.settings = settings;
    this.network = settings.network();
    this.pool =
        new MultiplexPool<>(
            NAME,
            settings.maxContextsPerSocket(),
            settings.idleTimeout(),
            network.responseTimeout(),
            new MultiContextBackend.Protocol(),
            uri -> socketOptions((URI) uri));
    String t = settings.transport();
    boolean ws = ElevenLabsRequest.isWebSocket(t);
    this.capabilities =
        Capabilities.builder()
            .streamingInput(true)
            .wordTimings(!Transports.HTTP.equals(t))
            .multiplexing(Transports.MULTI_CONTEXT.equals(t))
            .network(true)
            .voiceCatalog(true)
            .formats(
                AudioFormat.pcm(8000),
                AudioFormat.PCM_16K,
                AudioFormat.pcm(22050),
                AudioFormat.PCM_24K,
                AudioFormat.pcm(32000),
                AudioFormat.pcm(44100),
                AudioFormat.pcm(48000),
                AudioFormat.mp3(44100),
                AudioFormat.mp3(22050),
                AudioFormat.mulaw(8000),
                AudioFormat.alaw(8000),
                AudioFormat.opus())
            .supports(
                f ->
                    Formats.supportedAnywhere(f)
                        && !(ws
                            && f.encoding() == AudioFormat.Encoding.MP3
                            && f.sampleRate() == 24000))
            .defaultFormat(AudioFormat.PCM_24K)
            .transports(ws ? Transports.WEBSOCKET : Transports.HTTP)
            .build();
    this.catalog = Catalogs.cache(network, q -> ElevenLabsCatalog.fetch(network, q));
  }

  ElevenLabsSettings settings() {
    return settings;
  }

  /** A WebSocket to {@code uri} (stream-input or multi-stream-input) with the key's header. */
  WebSocketConnection.Options socketOptions(URI uri) {
    return network
        .webSocketOptions(uri)
        .header("xi-api-key", network.apiKey().reveal())
        .accept(WebSocketConnection.Accept.TEXT, false)
        .handshakeErrors(
            (status, headers, body) ->
                ElevenLabsErrors.fromHttp(
                    status, headers, new String(body, StandardCharsets.UTF_8)))
        .build();
  }

  String nextContextId() {
    return "vb-" + contextIds.incrementAndGet();
  }

  /** Multi-context sockets alive now (for tests). */
  public int multiContextSockets() {
    return pool.size();
  }

  @Override
  public String provider() {
    return NAME;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    if (closed) {
      throw new IllegalStateException("the ElevenLabs synthesizer is closed");
    }
    ElevenLabsRequest plan = plan(options);
    SessionBackend backend =
        switch (plan.transport()) {
          case Transports.WEBSOCKET ->
              new WebSocketBackend(
                  WebSocketSource.perSession(
                      listener ->
                          WebSocketConnection.create(
                              socketOptions(plan.webSocketUri(settings.baseUrl())), listener)),
                  plan);
          case Transports.MULTI_CONTEXT -> new MultiContextBackend(this, pool, plan);
          default -> new HttpBackend(this, plan);
        };
    SynthesisSession session =
        SynthesisSessions.open(NAME, plan.format(), network.sessions(), backend);
    sessions.add(session);
    session.completion().whenComplete((r, t) -> sessions.remove(session));
    if (closed) {
      session.cancel();
    }
    return session;
  }

  /**
   * Lists {@code GET /v2/voices}, cached by query ({@code voices-cache-ttl}).
   *
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public CompletionStage<VoicePage> voices(VoiceQuery query) {
    Objects.requireNonNull(query, "query");
    if (closed) {
      throw new IllegalStateException("the ElevenLabs synthesizer is closed");
    }
    return catalog.get(query);
  }

  /**
   * Multi-context: opens a multi-stream-input socket for the session's URL (model, format...)
   * unless one with room is open. HTTP: asks for the first voice of the catalog, which opens the
   * HTTP client's connection (kept alive for the next request) and checks the key. Stream-input: a
   * socket serves one session only, so nothing is opened ahead.
   */
  @Override
  public CompletionStage<Void> prewarm(SynthesisOptions options) {
    if (closed) {
      throw new IllegalStateException("the ElevenLabs synthesizer is closed");
    }
    ElevenLabsRequest plan = plan(options);
    return switch (plan.transport()) {
      case Transports.MULTI_CONTEXT -> pool.prewarm(plan.webSocketUri(settings.baseUrl()));
      case Transports.WEBSOCKET -> CompletableFuture.completedFuture(null);
      default ->
          ElevenLabsCatalog.fetch(network, VoiceQuery.builder().pageSize(1).build())
              .thenApply(p -> (Void) null);
    };
  }

  /** Validates options into a plan; throws before any I/O. */
  ElevenLabsRequest plan(SynthesisOptions options) {
    List<String> warnings = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    String transport = options.get(ElevenLabsOptions.TRANSPORT).orElse(settings.transport());

    String voice = options.voice().orElse(settings.voice());
    String voiceProblem = VoiceIds.problem(voice);
    if (voiceProblem != null) {
      problems.add("voice: " + voiceProblem);
    }
    String model = options.model().orElse(settings.model());
    if (model.isBlank()) {
      problems.add("model: must not be blank");
    }

    String language = options.get(ElevenLabsOptions.LANGUAGE_CODE).orElse(null);
    if (language == null && options.language().isPresent()) {
      String l = options.language().get();
      int dash = l.indexOf('-') >= 0 ? l.indexOf('-') : l.indexOf('_');
      language = dash > 0 ? l.substring(0, dash) : l;
      if (!language.matches("[A-Za-z]{2,3}")) {
        problems.add("language: must be an ISO 639 code such as en, was '" + l + "'");
        language = null;
      }
    }
    if (language != null) {
      language = language.toLowerCase(Locale.ROOT);
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(NAME, problems);
    }

    if (ElevenLabsRequest.isWebSocket(transport)
        && model.toLowerCase(Locale.ROOT).startsWith("eleven_v3")) {
      throw new UnsupportedCapabilityException(
          NAME,
          "model "
              + model
              + " is not available on the ElevenLabs WebSockets (stream-input and"
              + " multi-stream-input); use eleven_flash_v2_5, or ElevenLabsOptions.TRANSPORT"
              + " http / http-timestamps");
    }

    AudioFormat format = options.format().orElse(AudioFormat.PCM_24K);
    Integer bitrate = options.get(ElevenLabsOptions.BITRATE).orElse(null);
    String outputFormat = Formats.outputFormat(format, transport, bitrate);

    Double speed = options.get(ElevenLabsOptions.SPEED).orElse(null);
    if (speed == null && options.speed().isPresent()) {
      speed = options.speed().get();
      if (speed < 0.7 || speed > 1.2) {
        throw new UnsupportedCapabilityException(
            NAME, "speed " + speed + " is outside what ElevenLabs offers (0.7..1.2)");
      }
    }

    for (Map.Entry<SynthesisOption<?>, Object> e : options.vendorOptions().entrySet()) {
      SynthesisOption<?> key = e.getKey();
      if (!key.provider().equals(NAME)) {
        warnings.add("option " + key + " is for provider " + key.provider() + "; ignored");
      } else if (!ElevenLabsRequest.isWebSocket(transport) && WEBSOCKET_ONLY.contains(key.name())) {
        warnings.add(
            "option " + key + " applies to the WebSockets only; ignored over " + transport);
      }
    }
    boolean normalized = options.get(ElevenLabsOptions.NORMALIZED_ALIGNMENT, false);
    if (Transports.HTTP.equals(transport)
        && options.get(ElevenLabsOptions.NORMALIZED_ALIGNMENT).isPresent()) {
      warnings.add(
          "option "
              + ElevenLabsOptions.NORMALIZED_ALIGNMENT
              + " needs word timings; transport http has none (use http-timestamps)");
    }
    boolean ws = ElevenLabsRequest.isWebSocket(transport);
    return new ElevenLabsRequest(
        transport,
        voice,
        model,
        format,
        outputFormat,
        new ElevenLabsRequest.VoiceSettings(
            options.get(ElevenLabsOptions.STABILITY).orElse(null),
            options.get(ElevenLabsOptions.SIMILARITY_BOOST).orElse(null),
            options.get(ElevenLabsOptions.STYLE).orElse(null),
            options.get(ElevenLabsOptions.USE_SPEAKER_BOOST).orElse(null),
            speed),
        ws ? options.get(ElevenLabsOptions.CHUNK_LENGTH_SCHEDULE).orElse(null) : null,
        options.get(ElevenLabsOptions.PRONUNCIATION_DICTIONARIES).orElse(null),
        ws ? options.get(ElevenLabsOptions.AUTO_MODE).orElse(null) : null,
        ws ? options.get(ElevenLabsOptions.INACTIVITY_TIMEOUT).orElse(null) : null,
        options.get(ElevenLabsOptions.APPLY_TEXT_NORMALIZATION).orElse(null),
        language,
        options.get(ElevenLabsOptions.SEED).orElse(null),
        normalized,
        ws && options.get(ElevenLabsOptions.SYNC_ALIGNMENT, true),
        options.get(ElevenLabsOptions.ENABLE_LOGGING).orElse(null),
        ws ? options.get(ElevenLabsOptions.ENABLE_SSML_PARSING).orElse(null) : null,
        options.get(ElevenLabsOptions.HTTP_SENTENCES, true),
        warnings);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (SynthesisSession sn : List.copyOf(sessions)) {
      sn.cancel();
    }
    pool.close();
    catalog.close();
  }

  @Override
  public String toString() {
    return "ElevenLabsSynthesizer[" + settings + "]";
  }
}
