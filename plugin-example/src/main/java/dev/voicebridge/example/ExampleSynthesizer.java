package dev.voicebridge.example;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.Transports;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The example synthesizer. All of its work runs on one named daemon thread, {@code
 * voicebridge-example-<n>}, started by the first session and stopped by {@link #close()}; the
 * sessions' backends never block the caller.
 */
final class ExampleSynthesizer implements StreamingSynthesizer {
  /** The transport that makes the tones in this process. */
  static final String IN_PROCESS = "in-process";

  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final Set<Integer> RATES = Set.of(8_000, 16_000, 22_050, 24_000, 44_100, 48_000);

  private final String name;
  private final ToneGenerator tones;
  private final SessionSettings settings;
  private final NetworkSettings network;
  private final String transport;
  private final ThreadPoolExecutor worker;
  private final Set<SynthesisSession> running = ConcurrentHashMap.newKeySet();
  private final Capabilities capabilities;
  private volatile boolean closed;

  ExampleSynthesizer(String name, ToneGenerator tones, NetworkSettings network, String transport) {
    this.name = name;
    this.tones = tones;
    this.network = network;
    this.settings = network.sessions();
    this.transport = transport;
    String threadName = "voicebridge-" + name + "-" + COUNT.incrementAndGet();
    // one thread, created lazily by the first task (so create() starts nothing)
    this.worker =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    Capabilities.Builder b =
        Capabilities.builder()
            .streamingInput(true)
            .wordTimings(transport.equals(IN_PROCESS)) // the tone API sends audio only
            .multiplexing(false)
            .network(transport.equals(Transports.HTTP))
            .defaultFormat(AudioFormat.PCM_16K)
            .supports(
                f ->
                    f.encoding() == AudioFormat.Encoding.PCM_S16LE
                        && f.channels() == 1
                        && RATES.contains(f.sampleRate()))
            .transports(transport);
    for (int rate : List.of(8_000, 16_000, 22_050, 24_000, 44_100, 48_000)) {
      b.formats(AudioFormat.pcm(rate));
    }
    this.capabilities = b.build();
  }

  @Override
  public String provider() {
    return name;
  }

  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    if (closed) {
      throw new IllegalStateException("[" + name + "] the synthesizer is closed");
    }
    AudioFormat format = options.format().orElse(capabilities.defaultFormat());
    if (!capabilities.supports(format)) {
      throw new UnsupportedCapabilityException(
          name, "format " + format + " is not supported; use 16-bit mono PCM at " + RATES + " Hz");
    }
    SessionBackend backend =
        transport.equals(Transports.HTTP)
            ? new HttpBackend(network, tones, options)
            : new ExampleBackend(worker, tones, options);
    SynthesisSession session = SynthesisSessions.open(name, format, settings, backend);
    running.add(session);
    session.completion().whenComplete((r, e) -> running.remove(session));
    return session;
  }

  /** Cancels running sessions and stops the worker thread. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (SynthesisSession s : List.copyOf(running)) {
      s.cancel();
    }
    worker.shutdownNow();
  }

  /** The worker, for tests. */
  ExecutorService worker() {
    return worker;
  }
}
