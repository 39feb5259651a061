package dev.voicebridge.cache;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.SynthesisSink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A vendor for tests, with no thread of its own: each word of the text becomes a word timing and an
 * audio chunk whose bytes depend on the word, the voice and the position (so different phrases have
 * different audio). It can hold its audio until {@link #release()}, or fail every session.
 */
final class FakeVendor implements StreamingSynthesizer {
  static final AudioFormat FORMAT = AudioFormat.pcm(16_000);

  final AtomicInteger opens = new AtomicInteger();
  final AtomicInteger cancels = new AtomicInteger();
  final List<String> texts = new CopyOnWriteArrayList<>();
  private final String name;
  private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
  volatile VoicebridgeException failure;
  volatile boolean closed;

  FakeVendor(String name) {
    this.name = name;
  }

  /** Sessions finished from now on hold their audio until {@link #release()}. */
  void hold() {
    gate = new CompletableFuture<>();
  }

  void release() {
    gate.complete(null);
  }

  @Override
  public String provider() {
    return name;
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.builder()
        .streamingInput(true)
        .wordTimings(true)
        .defaultFormat(FORMAT)
        .formats(FORMAT, AudioFormat.pcm(24_000))
        .transports("fake")
        .build();
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    opens.incrementAndGet();
    AudioFormat f = options.format().orElse(FORMAT);
    return SynthesisSessions.open(
        name, f, SessionSettings.defaults(), new Backend(options.voice().orElse("default"), f));
  }

  @Override
  public void close() {
    closed = true;
  }

  /** The audio {@link FakeVendor} makes for one word. */
  static byte[] audioOf(String voice, String word, int index) {
    byte[] b = new byte[64 * Math.max(1, word.length())];
    int seed = (voice + "/" + word + "/" + index).hashCode();
    for (int i = 0; i < b.length; i++) {
      seed = seed * 1103515245 + 12345;
      b[i] = (byte) (seed >>> 16);
    }
    return b;
  }

  private final class Backend implements SessionBackend {
    private final String voice;
    private final AudioFormat format;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder all = new StringBuilder();
    private SynthesisSink sink;
    private int words;
    private long bytes;

    Backend(String voice, AudioFormat format) {
      this.voice = voice;
      this.format = format;
    }

    @Override
    public void start(SynthesisSink s) {
      sink = s;
      s.attribute("transport", "fake");
      s.connected(false);
    }

    @Override
    public void text(String text) {
      pending.append(text);
      all.append(text);
    }

    @Override
    public void flush() {
      speak(pending.toString());
      pending.setLength(0);
    }

    @Override
    public void finish() {
      String rest = pending.toString();
      pending.setLength(0);
      texts.add(all.toString());
      gate.thenRun(
          () -> {
            VoicebridgeException f = failure;
            if (f != null) {
              sink.fail(f);
              return;
            }
            speak(rest);
            sink.warn("fake warning");
            sink.complete();
          });
    }

    private synchronized void speak(String text) {
      for (String w : text.trim().split("\\s+")) {
        if (w.isEmpty()) {
          continue;
        }
        int at = words * 16; // text offsets of its own, so a stored phrase must keep them
        byte[] audio = audioOf(voice, w, words++);
        Duration start = format.durationOf(bytes);
        bytes += audio.length;
        sink.wordTiming(
            new WordTiming(w, start, format.durationOf(bytes), false, false, at, at + w.length()));
        sink.audio(ByteBuffer.wrap(audio));
      }
    }

    @Override
    public void cancel() {
      cancels.incrementAndGet();
    }
  }
}
