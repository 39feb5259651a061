package dev.voicebridge.benchmarks;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.elevenlabs.ElevenLabsOptions;
import dev.voicebridge.fish.FishOptions;
import dev.voicebridge.smallest.SmallestOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/** Shared helpers of the benchmark mains. */
final class Common {
  private Common() {}

  /** The API key every emulator started here accepts. */
  static final String KEY = "test-key";

  /** One vendor and transport. */
  record Target(String vendor, String transport) {
    @Override
    public String toString() {
      return vendor + "/" + transport;
    }
  }

  /** Every vendor and transport the adapters offer. */
  static final List<Target> ALL_TARGETS =
      List.of(
          new Target("fish", FishOptions.WEBSOCKET),
          new Target("fish", FishOptions.HTTP),
          new Target("elevenlabs", ElevenLabsOptions.WEBSOCKET),
          new Target("elevenlabs", ElevenLabsOptions.MULTI_CONTEXT),
          new Target("elevenlabs", ElevenLabsOptions.HTTP),
          new Target("elevenlabs", ElevenLabsOptions.HTTP_TIMESTAMPS),
          new Target("smallest", "websocket"),
          new Target("smallest", "sse"));

  static StreamingSynthesizer create(String vendor, URI baseUrl) {
    return StreamingSynthesizers.create(
        vendor,
        VoicebridgeConfig.of(
            Map.of(
                "voicebridge." + vendor + ".base-url",
                baseUrl.toString(),
                "voicebridge." + vendor + ".api-key",
                KEY)));
  }

  static SynthesisOption<String> transportOption(String vendor) {
    return switch (vendor) {
      case "fish" -> FishOptions.TRANSPORT;
      case "elevenlabs" -> ElevenLabsOptions.TRANSPORT;
      case "smallest" -> SmallestOptions.TRANSPORT;
      default -> throw new IllegalArgumentException(vendor);
    };
  }

  static SynthesisOptions options(Target t) {
    SynthesisOptions.Builder b =
        SynthesisOptions.builder()
            .format(AudioFormat.PCM_24K)
            .set(transportOption(t.vendor()), t.transport());
    if (t.vendor().equals("smallest") && t.transport().equals("websocket")) {
      // Smallest ends a session with 'complete' only after complete_backoff_ms without audio
      // (server default 4 s): a vendor wait, not ours, so keep it short as docs/providers advise
      b.set(SmallestOptions.COMPLETE_BACKOFF_MS, 50);
    }
    return b.build();
  }

  /** One chunk as the application saw it. */
  record Chunk(long receivedNanos, long appNanos, long byteOffset, int size, byte[] bytes) {}

  /** One finished session. */
  record Run(long startNanos, List<Chunk> chunks, SynthesisReport report) {
    long firstNanos() {
      return chunks.get(0).receivedNanos() - startNanos;
    }

    long lastNanos() {
      return chunks.get(chunks.size() - 1).receivedNanos() - startNanos;
    }

    long bytes() {
      Chunk c = chunks.get(chunks.size() - 1);
      return c.byteOffset() + c.size();
    }
  }

  /** Collects the audio chunks of one session; thread-safe enough for one publisher. */
  static final class Collector implements Flow.Subscriber<SynthesisEvent> {
    final List<Chunk> chunks = new ArrayList<>();
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final boolean keepBytes;
    private final ChunkListener listener;

    Collector(boolean keepBytes, ChunkListener listener) {
      this.keepBytes = keepBytes;
      this.listener = listener;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    /** When the first audio chunk reached the application, or -1. */
    private volatile long firstChunkNanos = -1;

    long firstChunkNanos() {
      return firstChunkNanos;
    }

    @Override
    public void onNext(SynthesisEvent e) {
      if (e instanceof AudioChunk c) {
        long app = System.nanoTime();
        if (firstChunkNanos < 0) {
          firstChunkNanos = app;
        }
        if (listener != null) {
          listener.onChunk(c);
        } else {
          synchronized (this) {
            chunks.add(
                new Chunk(
                    c.receivedNanos(),
                    app,
                    c.byteOffset(),
                    c.size(),
                    keepBytes ? c.bytes() : null));
          }
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      done.complete(null);
    }
  }

  /** A per-chunk callback (used by the scale benchmark, which keeps no list). */
  interface ChunkListener {
    void onChunk(AudioChunk c);
  }

  /** Opens a session, sends {@code text}, finishes and waits for the end. */
  static Run run(StreamingSynthesizer s, SynthesisOptions o, String text, boolean keepBytes)
      throws Exception {
    long start = System.nanoTime();
    SynthesisSession session = s.open(o);
    Collector c = new Collector(keepBytes, null);
    session.events().subscribe(c);
    session.sendText(text);
    session.finish();
    c.done.get(60, TimeUnit.SECONDS);
    SynthesisReport report = session.completion().toCompletableFuture().get(60, TimeUnit.SECONDS);
    session.close();
    if (c.chunks.isEmpty()) {
      throw new IllegalStateException("no audio from " + s.provider());
    }
    return new Run(start, c.chunks, report);
  }

  /** The q-quantile (0..1) of {@code values}, which it sorts. */
  static double quantile(long[] values, double q) {
    if (values.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(values);
    int i = (int) Math.ceil(q * values.length) - 1;
    return values[Math.max(0, Math.min(values.length - 1, i))];
  }

  static long[] toArray(List<Long> l) {
    return l.stream().mapToLong(Long::longValue).toArray();
  }

  static String ms(double nanos) {
    return String.format("%.3f", nanos / 1e6);
  }

  /** Date, cores, JVM and load: the header every table is printed with. */
  static String machine() {
    String load = "?";
    try {
      load = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      // not Linux
    }
    return "date "
        + Instant.now()
        + ", cores "
        + Runtime.getRuntime().availableProcessors()
        + ", java "
        + System.getProperty("java.vm.name")
        + " "
        + System.getProperty("java.runtime.version")
        + ", loadavg "
        + load;
  }

  static boolean flag(String[] args, String name) {
    return Arrays.asList(args).contains(name);
  }

  static String option(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
