package dev.voicebridge.deepgram.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.deepgram.DeepgramOptions;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.http.Catalogs;
import dev.voicebridge.kit.ws.WebSocketConnection;
import dev.voicebridge.kit.ws.WebSocketSource;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.VoiceCatalogCache;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Deepgram synthesizer: validates options in {@link #open}, then runs each session over a speak
 * WebSocket of its own (the default) or over REST {@code POST /v1/speak}.
 *
 * <p>Sockets are per session, not pooled: the handshake's query fixes model, encoding and sample
 * rate for the life of the socket, Deepgram's guidance is one socket per conversation, {@code
 * Close} ends the socket, and a pooled socket would carry its flush and character windows (and its
 * 60-minute limit) from one session into the next. No threads of its own: the process's shared HTTP
 * client (or the application's) carries everything; the library's timer paces held text and
 * flushes.
 */
public final class DeepgramSynthesizer implements StreamingSynthesizer {
  private final DeepgramSettings settings;
  private final NetworkSettings network;
  private final WebSocketConnection.Connector connector;
  private final Set<SynthesisSession> sessions = ConcurrentHashMap.newKeySet();
  private final Capabilities capabilities;
  private final VoiceCatalogCache catalog;
  private volatile boolean closed;

  /** Creates the synthesizer; no I/O. */
  public DeepgramSynthesizer(DeepgramSettings settings) {
    this(settings, null);
  }

  /**
   * Creates the synthesizer with another way to open its WebSockets (tests script the server).
   *
   * @param connector opens the JDK socket, or null for the HTTP client's own
   */
  DeepgramSynthesizer(DeepgramSettings settings, WebSocketConnection.Connector connector) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.network = settings.network();
    this.connector = connector;
    boolean http = settings.transport().equals(DeepgramOptions.HTTP);
    Capabilities.Builder b =
        Capabilities.builder()
            .streamingInput(true)
            .wordTimings(false)
            .multiplexing(false)
            .network(true)
            .voiceCatalog(true)
            .defaultFormat(DeepgramRequest.DEFAULT_FORMAT)
            .supports(http ? DeepgramRequest::supportsHttp : DeepgramRequest::supportsWebSocket)
            .transports(
                http ? DeepgramOptions.HTTP : DeepgramOptions.WEBSOCKET,
                http ? DeepgramOptions.WEBSOCKET : DeepgramOptions.HTTP);
    for (int rate : new int[] {8_000, 16_000, 24_000, 32_000, 48_000}) {
      b.formats(AudioFormat.pcm(rate), AudioFormat.wav(rate));
    }
    b.formats(
        AudioFormat.mulaw(8_000),
        AudioFormat.mulaw(16_000),
        AudioFormat.alaw(8_000),
        AudioFormat.alaw(16_000));
    if (http) {
      b.formats(AudioFormat.mp3(DeepgramRequest.MP3_RATE), AudioFormat.opus());
    }
    this.capabilities = b.build();
    this.catalog = Catalogs.cache(network, q -> DeepgramCatalog.fetch(network, q));
  }

  @Override
  public String provider() {
    return DeepgramCodec.PROVIDER;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("this Deepgram synthesizer is closed");
    }
    DeepgramRequest request = DeepgramRequest.plan(options, settings);
    WebSocketBackend ws = null;
    SessionBackend backend;
    if (request.transport().equals(DeepgramOptions.HTTP)) {
      backend = new HttpBackend(network, request);
    } else {
      ws =
          new WebSocketBackend(
              WebSocketSource.perSession(listener -> connection(request, listener)),
              request,
              network.sessions().ticker());
      backend = ws;
    }
    SynthesisSession session =
        SynthesisSessions.open(
            DeepgramCodec.PROVIDER, request.format(), network.sessions(), backend);
    sessions.add(session);
    WebSocketBackend timed = ws;
    session
        .completion()
        .whenComplete(
            (r, e) -> {
              sessions.remove(session);
              if (timed != null) {
                timed.stopTimer();
              }
            });
    if (closed) {
      session.cancel();
    }
    return session;
  }

  /**
   * Lists the TTS models of {@code GET /v1/models} (a Deepgram voice is a model), cached by query
   * ({@code voices-cache-ttl}).
   *
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public CompletionStage<VoicePage> voices(VoiceQuery query) {
    Objects.requireNonNull(query, "query");
    if (closed) {
      throw new IllegalStateException("this Deepgram synthesizer is closed");
    }
    return catalog.get(query);
  }

  /**
   * HTTP: asks for the model list, which opens the HTTP client's kept-alive connection and checks
   * the key. WebSocket: a speak socket is opened per session with the session's model and format in
   * its URL, so nothing is opened ahead (the options are checked).
   */
  @Override
  public CompletionStage<Void> prewarm(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("this Deepgram synthesizer is closed");
    }
    DeepgramRequest request = DeepgramRequest.plan(options, settings);
    if (request.transport().equals(DeepgramOptions.HTTP)) {
      return DeepgramCatalog.fetch(network, VoiceQuery.all()).thenApply(p -> (Void) null);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** A new speak WebSocket for {@code request} (not yet connected). */
  private WebSocketConnection connection(
      DeepgramRequest request, WebSocketConnection.Listener listener) {
    WebSocketConnection.Options.Builder b =
        network
            .webSocketOptions(request.webSocketPath())
            .header("Authorization", "Token " + network.apiKey().reveal())
            .accept(WebSocketConnection.Accept.BOTH, false)
            .handshakeErrors(
                (status, headers, body) ->
                    DeepgramErrors.forStatus(status, headers, body, "WebSocket handshake"));
    if (connector != null) {
      b.connector(connector);
    }
    return WebSocketConnection.create(b.build(), listener);
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
    catalog.close();
  }

  @Override
  public String toString() {
    return "DeepgramSynthesizer[" + settings + "]";
  }
}
