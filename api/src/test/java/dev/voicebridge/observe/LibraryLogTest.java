package dev.voicebridge.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.TransportException;
import dev.voicebridge.fallback.FallbackSynthesizer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the library logs through {@code System.Logger} (here its default backend, {@code
 * java.util.logging}, captured at the finest level): the session lifecycle at debug, failovers at
 * info, protocol violations at warn, never the text spoken.
 */
class LibraryLogTest {
  static final AudioFormat PCM = AudioFormat.pcm(16_000);
  static final String TEXT = "Quartz-canary-text-7f3a spoken here.";

  final List<LogRecord> records = new CopyOnWriteArrayList<>();
  final Logger root = Logger.getLogger("dev.voicebridge");
  final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          records.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  Level previous;

  @BeforeEach
  void capture() {
    previous = root.getLevel();
    root.setLevel(Level.ALL);
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  @AfterEach
  void release() {
    root.removeHandler(handler);
    root.setLevel(previous);
  }

  private String logged() {
    return records.stream()
        .map(r -> (r.getLevel() + " " + r.getLoggerName() + " " + r.getMessage()))
        .collect(Collectors.joining("\n"));
  }

  @Test
  void theSessionLifecycleIsLoggedAtDebugWithoutTheText() {
    MemorySynthesizer m = new MemorySynthesizer("mem");
    SynthesisSession s = m.open(SynthesisOptions.defaults());
    SynthesisStream stream = s.stream();
    m.sink().connected(false);
    s.sendText(TEXT);
    s.finish();
    m.sink().audio(ByteBuffer.wrap(new byte[320]));
    m.sink().complete();
    assertThat(stream.readAllAudio()).hasSize(320);
    String log = logged();
    assertThat(log)
        .contains("FINE dev.voicebridge.session [mem] session opened: transport=memory")
        .contains("[mem] session connected in")
        .contains("[mem] session first audio after")
        .contains("[mem] session completed: first audio")
        .contains(TEXT.length() + " chars, 320 bytes in 1 chunks");
    assertThat(log).doesNotContain("canary");
    assertThat(records).allMatch(r -> r.getLevel().intValue() < Level.INFO.intValue());
  }

  @Test
  void aProtocolViolationIsAWarning() {
    MemorySynthesizer m = new MemorySynthesizer("mem");
    SynthesisSession s = m.open(SynthesisOptions.defaults());
    s.stream();
    m.sink().fail(new ProtocolException("mem", "a frame that is not MessagePack"));
    assertThat(logged())
        .contains(
            "WARNING dev.voicebridge.session [mem] session failed on a protocol violation:"
                + " ProtocolException: [mem] a frame that is not MessagePack");
  }

  @Test
  void aFailoverIsLoggedAtInfo() {
    MemorySynthesizer a = new MemorySynthesizer("a");
    MemorySynthesizer b = new MemorySynthesizer("b");
    StreamingSynthesizer tts = FallbackSynthesizer.builder().add(a).add(b).build();
    SynthesisSession s = tts.open(SynthesisOptions.defaults());
    SynthesisStream stream = s.stream();
    s.sendText(TEXT);
    s.finish();
    a.sink().fail(new TransportException("a", "connection refused", null));
    b.sink().audio(ByteBuffer.wrap(new byte[320]));
    b.sink().complete();
    assertThat(stream.readAllAudio()).hasSize(320);
    assertThat(logged())
        .contains(
            "INFO dev.voicebridge.fallback fallback(a,b): a failed before audio"
                + " (TransportException: [a] connection refused); failing over to b")
        .contains("INFO dev.voicebridge.fallback fallback: a cools down for 30000 ms")
        .doesNotContain("canary");
  }
}
