package dev.voicebridge.fish.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.fish.FishOptions;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.http.Catalogs;
import dev.voicebridge.kit.ws.WebSocketConnection;
import dev.voicebridge.kit.ws.WebSocketPool;
import dev.voicebridge.kit.ws.WebSocketSource;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.VoiceCatalogCache;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Fish Audio synthesizer: validates options in {@link #open}, then runs each session over a
 * pooled {@code /v1/tts/live} WebSocket (the default; one pool per model, since the model is a
 * handshake header) or over {@code POST /v1/tts}. No threads of its own: the process's shared HTTP
 * client (or the application's) carries everything.
 */
public final class FishSynthesizer implements StreamingSynthesizer {
  /** How long a socket may wait idle in the pool. */
  static final Duration MAX_IDLE_TIME = Duration.ofSeconds(60);

  private final FishSettings settings;
  private final NetworkSettings network;
  private final WebSocketPool<String> pool;
  private final Set<SynthesisSession> sessions = ConcurrentHashMap.newKeySet();
  private final Capabilities capabilities;
  private final VoiceCatalogCache catalog;
  private volatile boolean closed;

  /** Creates the synthesizer; no I/O. */
  public FishSynthesizer(FishSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.network = settings.network();
    this.pool =
        new WebSocketPool<>(
            settings.maxIdleConnections(), MAX_IDLE_TIME, null, network.sessions().ticker());
    this.capabilities =
        Capabilities.builder()
            .streamingInput(true)
            .wordTimings(false)
            .multiplexing(false)
            .network(true)
            .voiceCatalog(true)
            .formats(
                AudioFormat.pcm(16_000),
                AudioFormat.pcm(24_000),
                AudioFormat.pcm(44_100),
                AudioFormat.wav(24_000),
                AudioFormat.mp3(44_100),
                AudioFormat.opus())
            .supports(FishRequest::supports)
            .defaultFormat(FishRequest.DEFAULT_FORMAT)
            .transports(FishOptions.WEBSOCKET, FishOptions.HTTP)
            .build();
    this.catalog = Catalogs.cache(network, q -> FishCatalog.fetch(network, q));
  }

  @Override
  public String provider() {
    return FishCodec.PROVIDER;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("this Fish synthesizer is closed");
    }
    FishRequest request = FishRequest.plan(options, settings);
    SessionBackend backend =
        request.transport().equals(FishOptions.HTTP)
            ? new HttpBackend(settings, request)
            : new WebSocketBackend(
                WebSocketSource.pooled(
                    pool, request.model(), listener -> connection(request.model(), listener)),
                request);
    SynthesisSession session =
        SynthesisSessions.open(FishCodec.PROVIDER, request.format(), network.sessions(), backend);
    sessions.add(session);
    session.completion().whenComplete((r, e) -> sessions.remove(session));
    if (closed) {
      session.cancel();
    }
    return session;
  }

  /**
   * Lists {@code GET /model}, cached by query ({@code voices-cache-ttl}).
   *
   * @throws IllegalArgumentException for a page token the catalog did not give
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public CompletionStage<VoicePage> voices(VoiceQuery query) {
    Objects.requireNonNull(query, "query");
    if (closed) {
      throw new IllegalStateException("this Fish synthesizer is closed");
    }
    query.pageToken().ifPresent(FishCatalog::pageNumber); // a foreign token is thrown at once
    return catalog.get(query);
  }

  /**
   * WebSocket: opens a {@code /v1/tts/live} connection for the session's model into the pool,
   * unless an idle one is there (the next session takes it). HTTP: asks for one catalog entry,
   * which opens the HTTP client's kept-alive connection and checks the key.
   */
  @Override
  public CompletionStage<Void> prewarm(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("this Fish synthesizer is closed");
    }
    FishRequest request = FishRequest.plan(options, settings);
    if (request.transport().equals(FishOptions.HTTP)) {
      return FishCatalog.fetch(network, VoiceQuery.builder().pageSize(1).build())
          .thenApply(p -> (Void) null);
    }
    return pool.prewarm(request.model(), listener -> connection(request.model(), listener));
  }

  // tag::connection[]
  /** A new {@code /v1/tts/live} connection for {@code model} (not yet connected). */
  private WebSocketConnection connection(String model, WebSocketConnection.Listener listener) {
    return WebSocketConnection.create(
        network
            .webSocketOptions("/v1/tts/live")
            .header("Authorization", "Bearer " + network.apiKey().reveal())
            .header("model", model)
            // Fish's docs: text frames "should be ignored by your client"
            .accept(WebSocketConnection.Accept.BINARY, true)
            .handshakeErrors(
                (status, headers, body) ->
                    FishErrors.forStatus(status, headers, body, "WebSocket handshake"))
            .build(),
        listener);
  }

  // end::connection[]

  /** Idle pooled sockets (for tests). */
  public int idleConnections() {
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
    return "FishSynthesizer[" + settings + "]";
  }
}
