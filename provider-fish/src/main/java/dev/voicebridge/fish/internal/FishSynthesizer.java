package dev.voicebridge.fish.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.fish.FishOptions;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.ProviderConfig;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.Ticker;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The Fish Audio synthesizer: validates options in {@link #open}, then runs each session over a
 * pooled {@code /v1/tts/live} WebSocket (the default) or over {@code POST /v1/tts}.
 */
public final class FishSynthesizer implements StreamingSynthesizer {
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final FishSettings settings;
  private final SessionSettings sessionSettings;
  private volatile HttpClient client; // dropped on close so the JDK can stop its threads
  private final ExecutorService executor; // null when the application supplied the client
  private final FishSocketPool pool;
  private final Set<SynthesisSession> sessions = ConcurrentHashMap.newKeySet();
  private final Capabilities capabilities;
  private volatile boolean closed;

  /**
   * Creates the synthesizer; no I/O.
   *
   * @param limits the provider's configuration, resolved with {@link Limits#keys()}: the
   *     session-level limits (max-buffered-audio-bytes, max-text-chars) come from it
   * @param sharedClient an application-owned client (not closed here), or null to create one
   */
  public FishSynthesizer(
      FishSettings settings, ProviderConfig limits, Ticker ticker, HttpClient sharedClient) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sessionSettings =
        Limits.apply(
            Objects.requireNonNull(limits, "limits"),
            SessionSettings.defaults()
                .withTicker(ticker)
                .withResponseTimeout(settings.responseTimeout()));
    HttpClient c;
    if (sharedClient != null) {
      c = sharedClient;
      this.executor = null;
    } else {
      int n = CLIENTS.incrementAndGet();
      AtomicInteger threads = new AtomicInteger();
      this.executor =
          Executors.newCachedThreadPool(
              r -> {
                Thread t =
                    new Thread(r, "voicebridge-fish-http-" + n + "-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      c =
          HttpClient.newBuilder()
              .executor(executor)
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(settings.connectTimeout())
              .build();
    }
    this.client = c;
    this.pool = new FishSocketPool(c, settings);
    this.capabilities =
        Capabilities.builder()
            .streamingInput(true)
            .wordTimings(false)
            .multiplexing(false)
            .network(true)
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
    AtomicReference<SynthesisSession> self = new AtomicReference<>();
    Runnable onEnd =
        () -> {
          SynthesisSession s = self.get();
          if (s != null) {
            sessions.remove(s);
          }
        };
    SessionBackend backend =
        request.transport().equals(FishOptions.HTTP)
            ? new FishHttpSession(() -> client, settings, request, onEnd)
            : new FishWsSession(pool, request, onEnd);
    SynthesisSession session =
        SynthesisSessions.open(FishCodec.PROVIDER, request.format(), sessionSettings, backend);
    self.set(session);
    sessions.add(session);
    session.completion().whenComplete((r, e) -> sessions.remove(session));
    return session;
  }

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
    for (SynthesisSession s : new ArrayList<>(sessions)) {
      s.cancel();
    }
    sessions.clear();
    pool.close();
    client = null;
    if (executor != null) {
      executor.shutdown();
    }
  }

  @Override
  public String toString() {
    return "FishSynthesizer[" + settings + "]";
  }
}
