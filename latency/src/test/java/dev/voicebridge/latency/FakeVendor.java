package dev.voicebridge.latency;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.SynthesisSink;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A deterministic in-memory vendor on a fake clock: the first audio of each flush or finish comes
 * {@code latencyMs} (plus seeded jitter) after it, so comparisons have a known answer without
 * depending on the machine's speed.
 */
final class FakeVendor implements StreamingSynthesizer {
  private final String name;
  private final long latencyMs;
  private final long jitterMs;
  private final Random random;
  private final AtomicLong clock = new AtomicLong(1_000_000_000L);

  FakeVendor(String name, long latencyMs, long jitterMs, Random random) {
    this.name = name;
    this.latencyMs = latencyMs;
    this.jitterMs = jitterMs;
    this.random = random;
  }

  @Override
  public String provider() {
    return name;
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.builder()
        .defaultFormat(AudioFormat.PCM_16K)
        .formats(AudioFormat.PCM_16K)
        .build();
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    SessionSettings settings = SessionSettings.defaults().withTicker(clock::get);
    return SynthesisSessions.open(
        name,
        AudioFormat.PCM_16K,
        settings,
        new SessionBackend() {
          SynthesisSink sink;
          int pending;

          @Override
          public void start(SynthesisSink s) {
            sink = s;
            clock.addAndGet(5_000_000);
            s.connected(false);
          }

          @Override
          public void text(String text) {
            pending += text.length();
          }

          @Override
          public void flush() {
            speak();
          }

          @Override
          public void finish() {
            speak();
            sink.complete();
          }

          private void speak() {
            if (pending == 0) {
              return;
            }
            long jitter;
            synchronized (random) {
              jitter = jitterMs == 0 ? 0 : random.nextInt((int) jitterMs + 1);
            }
            clock.addAndGet((latencyMs + jitter) * 1_000_000);
            int bytes = pending * 640; // 20 ms of 16 kHz audio per character
            pending = 0;
            while (bytes > 0) {
              int n = Math.min(3200, bytes);
              sink.audio(ByteBuffer.allocate(n));
              bytes -= n;
              clock.addAndGet(10_000_000);
            }
          }

          @Override
          public void cancel() {}
        });
  }

  @Override
  public void close() {}
}
