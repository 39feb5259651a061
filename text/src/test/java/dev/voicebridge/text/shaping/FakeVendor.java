package dev.voicebridge.text.shaping;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.SynthesisSink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-memory vendor: at each flush and at the end it speaks the text it was given since the last
 * one, {@link #BYTES_PER_CHAR} bytes of PCM per character, reporting (when asked) a timing per
 * whitespace-separated word as a vendor would, without offsets. Its "server" is one named thread
 * that honours back pressure.
 */
final class FakeVendor implements StreamingSynthesizer {
  static final AudioFormat PCM = AudioFormat.pcm(16_000);
  static final int BYTES_PER_CHAR = 640; // 20 ms of audio per character
  static final int FRAME = 1_280;

  final boolean timings;
  final Capabilities caps;
  final ExecutorService server =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-vendor-server"));

  /** What each session was sent: its text events, "flush" and "finish". */
  final List<List<String>> sessions = new CopyOnWriteArrayList<>();

  /** The options each session was opened with. */
  final List<SynthesisOptions> opened = new CopyOnWriteArrayList<>();

  FakeVendor(boolean timings) {
    this.timings = timings;
    this.caps =
        Capabilities.builder()
            .streamingInput(true)
            .wordTimings(timings)
            .formats(PCM, AudioFormat.mulaw(8_000), AudioFormat.mp3(44_100))
            .defaultFormat(PCM)
            .transports("memory")
            .build();
  }

  @Override
  public String provider() {
    return "fake";
  }

  @Override
  public Capabilities capabilities() {
    return caps;
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    AudioFormat f = options.format().orElse(PCM);
    if (!caps.supports(f)) {
      throw new UnsupportedCapabilityException("fake", "format " + f);
    }
    opened.add(options);
    List<String> record = new CopyOnWriteArrayList<>();
    sessions.add(record);
    return SynthesisSessions.open("fake", f, SessionSettings.defaults(), new Backend(record, f));
  }

  @Override
  public void close() {
    server.shutdownNow();
  }

  /** The text session {@code i} was sent, joined. */
  String text(int i) {
    StringBuilder sb = new StringBuilder();
    for (String e : sessions.get(i)) {
      if (e.startsWith("text:")) {
        sb.append(e.substring(5));
      }
    }
    return sb.toString();
  }

  private final class Backend implements SessionBackend {
    final List<String> record;
    final AudioFormat format;
    final StringBuilder buffer = new StringBuilder();
    final ArrayDeque<Object> out = new ArrayDeque<>();
    SynthesisSink sink;
    long bytes;
    boolean finished;
    boolean pumping;
    volatile boolean cancelled;

    Backend(List<String> record, AudioFormat format) {
      this.record = record;
      this.format = format;
    }

    @Override
    public void start(SynthesisSink s) {
      sink = s;
      server.execute(() -> sink.connected(false));
    }

    @Override
    public void text(String t) {
      record.add("text:" + t);
      server.execute(() -> buffer.append(t));
    }

    @Override
    public void flush() {
      record.add("flush");
      server.execute(this::answer);
    }

    @Override
    public void finish() {
      record.add("finish");
      server.execute(
          () -> {
            finished = true;
            answer();
          });
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    private void answer() {
      String t = buffer.toString();
      buffer.setLength(0);
      int perChar = (int) Math.max(1, BYTES_PER_CHAR * format.bytesPerSecond() / 32_000);
      if (timings) {
        long at = bytes;
        int i = 0;
        while (i < t.length()) {
          while (i < t.length() && Character.isWhitespace(t.charAt(i))) {
            i++;
            at += perChar;
          }
          int j = i;
          while (j < t.length() && !Character.isWhitespace(t.charAt(j))) {
            j++;
          }
          if (j > i) {
            Duration start = format.durationOf(at);
            at += (long) (j - i) * perChar;
            out.add(WordTiming.of(t.substring(i, j), start, format.durationOf(at)));
          }
          i = j;
        }
      }
      byte[] audio = new byte[t.length() * perChar];
      bytes += audio.length;
      for (int off = 0; off < audio.length; off += FRAME) {
        out.add(ByteBuffer.wrap(audio, off, Math.min(FRAME, audio.length - off)).slice());
      }
      if (finished) {
        out.add("complete");
      }
      pump();
    }

    private void pump() {
      if (pumping || cancelled) {
        return;
      }
      Object o = out.poll();
      if (o == null) {
        return;
      }
      if (o instanceof ByteBuffer b) {
        sink.audio(b);
      } else if (o instanceof WordTiming w) {
        sink.wordTiming(w);
      } else {
        sink.complete();
        return;
      }
      pumping = true;
      sink.whenReady(
          () ->
              server.execute(
                  () -> {
                    pumping = false;
                    pump();
                  }));
    }
  }
}
