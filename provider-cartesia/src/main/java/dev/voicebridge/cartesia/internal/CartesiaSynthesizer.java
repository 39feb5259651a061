package dev.voicebridge.cartesia.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.cartesia.CartesiaOptions;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.Transports;
import dev.voicebridge.kit.http.Catalogs;
import dev.voicebridge.kit.http.HttpExchange;
import dev.voicebridge.kit.ws.MultiplexPool;
import dev.voicebridge.kit.ws.WebSocketConnection;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.VoiceCatalogCache;
import dev.voicebridge.text.SentenceSegmenter;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The Cartesia synthesizer: validates options into a {@link CartesiaRequest} before any I/O, then
 * runs each session on its transport: as a context of a shared {@code /tts/websocket} (the default;
 * up to {@code max-contexts-per-socket} sessions per socket, idle sockets kept for {@code
 * idle-timeout}), or as requests to {@code /tts/sse} or {@code /tts/bytes}. Thread-safe; no threads
 * of its own: the process's shared HTTP client (or the application's) carries everything.
 */
public final class CartesiaSynthesizer implements StreamingSynthesizer {
  /** The provider's name. */
  public static final String NAME = CartesiaOptions.PROVIDER;

  /** The WebSocket path. */
  static final String WEBSOCKET_PATH = "/tts/websocket";

  /** Segments of the HTTP transports: the first may end at a clause once this long. */
  static final int FIRST_SEGMENT_MIN_CHARS = 30;

  private static final Object SOCKET_KEY = WEBSOCKET_PATH; // every session can share every socket

  private final CartesiaSettings settings;
  private final NetworkSettings network;
  private final MultiContextBackend.Protocol protocol = new MultiContextBackend.Protocol();
  private final MultiplexPool<ServerFrame> pool;
  private final WebSocketConnection.Connector connector;
  private final Capabilities capabilities;
  private final VoiceCatalogCache catalog;
  private final Set<SynthesisSession> sessions = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Creates the synthesizer; no I/O. */
  public CartesiaSynthesizer(CartesiaSettings settings) {
    this(settings, null);
  }

  /**
   * Creates the synthesizer with another way to open its WebSockets (tests script the server).
   *
   * @param connector opens the JDK WebSocket; null for the HTTP client's own
   */
  CartesiaSynthesizer(CartesiaSettings settings, WebSocketConnection.Connector connector) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.network = settings.network();
    this.connector = connector;
    this.pool =
        new MultiplexPool<>(
            NAME,
            settings.maxContextsPerSocket(),
            settings.idleTimeout(),
            network.responseTimeout(),
            protocol,
            k -> socketOptions());
    String t = settings.transport();
    this.capabilities =
        Capabilities.builder()
            .streamingInput(true)
            .wordTimings(!Transports.BYTES.equals(t))
            .multiplexing(Transports.WEBSOCKET.equals(t))
            .network(true)
            .voiceCatalog(true)
            .formats(
                AudioFormat.pcm(8000),
                AudioFormat.PCM_16K,
                AudioFormat.pcm(22050),
                AudioFormat.PCM_24K,
                AudioFormat.pcm(44100),
                AudioFormat.pcm(48000),
                AudioFormat.wav(24000),
                AudioFormat.mulaw(8000),
                AudioFormat.alaw(8000))
            .supports(CartesiaRequest::supports)
            .defaultFormat(CartesiaRequest.DEFAULT_FORMAT)
            .transports(t)
            .build();
    this.catalog =
        Catalogs.cache(network, q -> CartesiaCatalog.fetch(network, settings.version(), q));
  }

  CartesiaSettings settings() {
    return settings;
  }

  NetworkSettings network() {
    return network;
  }

  /** A WebSocket to {@code /tts/websocket}: the key and the version as headers, never the URL. */
  private WebSocketConnection.Options socketOptions() {
    WebSocketConnection.Options.Builder b =
        network
            .webSocketOptions(WEBSOCKET_PATH)
            .header("Authorization", "Bearer " + network.apiKey().reveal())
            .header("Cartesia-Version", settings.version())
            .accept(WebSocketConnection.Accept.TEXT, false)
            .handshakeErrors(CartesiaErrors::forHttp);
    if (connector != null) {
      b.connector(connector);
    }
    return b.build();
  }

  /** The settings of a session's HTTP exchanges, successes checked by {@code contentType}. */
  HttpExchange.Options httpOptions(Predicate<String> contentType) {
    return network.httpOptions(CartesiaErrors::forHttp, contentType);
  }

  /** A POST of {@code json} to {@code path} with the key, the version and {@code accept}. */
  HttpRequest post(String path, String accept, String json) {
    return network
        .request(path)
        .header("Authorization", "Bearer " + network.apiKey().reveal())
        .header("Cartesia-Version", settings.version())
        .header("Content-Type", "application/json")
        .header("Accept", accept)
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build();
  }

  /** The segmenter of an HTTP session: per sentence, or null for one request per flush. */
  static SentenceSegmenter segmenter(CartesiaRequest plan) {
    return CartesiaOptions.PER_FLUSH.equals(plan.httpUnit())
        ? null
        : SentenceSegmenter.builder()
            .firstSegmentMinChars(FIRST_SEGMENT_MIN_CHARS)
            .maxSegmentChars(SentenceSegmenter.DEFAULT_MAX_SEGMENT_CHARS)
            .build();
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
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("this Cartesia synthesizer is closed");
    }
    CartesiaRequest plan = CartesiaRequest.plan(options, settings);
    SessionBackend backend =
        switch (plan.transport()) {
          case Transports.SSE -> new SseBackend(this, plan);
          case Transports.BYTES -> new BytesBackend(this, plan);
          default ->
              new MultiContextBackend(
                  pool, protocol, SOCKET_KEY, plan, UUID.randomUUID().toString());
        };
    SynthesisSession session =
        SynthesisSessions.open(NAME, plan.format(), network.sessions(), backend);
    sessions.add(session);
    session.completion().whenComplete((r, e) -> sessions.remove(session));
    if (closed) {
      session.cancel();
    }
    return session;
  }

  /**
   * Lists {@code GET /voices}, cached by query ({@code voices-cache-ttl}).
   *
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public CompletionStage<VoicePage> voices(VoiceQuery query) {
    Objects.requireNonNull(query, "query");
    if (closed) {
      throw new IllegalStateException("this Cartesia synthesizer is closed");
    }
    return catalog.get(query);
  }

  /**
   * WebSocket: opens a {@code /tts/websocket} socket unless one with room for a context is open
   * (the next session's context goes on it). SSE and bytes: asks for one catalog voice, which opens
   * the HTTP client's kept-alive connection and checks the key.
   */
  @Override
  public CompletionStage<Void> prewarm(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("this Cartesia synthesizer is closed");
    }
    CartesiaRequest plan = CartesiaRequest.plan(options, settings);
    if (Transports.SSE.equals(plan.transport()) || Transports.BYTES.equals(plan.transport())) {
      return CartesiaCatalog.fetch(
              network, settings.version(), VoiceQuery.builder().pageSize(1).build())
          .thenApply(p -> (Void) null);
    }
    return pool.prewarm(SOCKET_KEY);
  }

  /** WebSockets alive now (for tests). */
  public int webSockets() {
    return pool.size();
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
    return "CartesiaSynthesizer[" + settings + "]";
  }
}
