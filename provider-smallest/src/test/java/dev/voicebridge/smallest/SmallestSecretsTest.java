package dev.voicebridge.smallest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.conformance.Fault;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A canary API key run through every fault the emulator can inject, on both transports, while
 * everything the library could print is captured: System.out, System.err and java.util.logging at
 * level ALL. The key must appear nowhere: not in output, logs, exception messages or stack traces,
 * reports, warnings or toStrings. Also configuration errors about a bad secret value.
 */
class SmallestSecretsTest {
  private static final String KEY = SmallestFixture.KEY;

  private PrintStream oldOut;
  private PrintStream oldErr;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private final List<String> logged = new ArrayList<>();
  private Handler handler;
  private Level oldLevel;

  @BeforeEach
  void capture() {
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(new Tee(oldOut, captured), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(oldErr, captured), true, StandardCharsets.UTF_8));
    handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            StringBuilder b = new StringBuilder().append(r.getLoggerName()).append(": ");
            b.append(r.getMessage());
            if (r.getParameters() != null) {
              for (Object p : r.getParameters()) {
                b.append(" | ").append(p);
              }
            }
            if (r.getThrown() != null) {
              b.append(" | ").append(stackTrace(r.getThrown()));
            }
            synchronized (logged) {
              logged.add(b.toString());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    handler.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    oldLevel = root.getLevel();
    root.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  @AfterEach
  void restore() {
    Logger root = Logger.getLogger("");
    root.removeHandler(handler);
    root.setLevel(oldLevel);
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse"})
  void theKeyAppearsNowhereWhateverTheServerDoes(String transport) throws Exception {
    List<String> texts = new ArrayList<>();
    int sessions = 0;
    try (SmallestFixture f =
        new SmallestFixture(transport, SmallestFixture.emulatorOptions(), Map.of())) {
      texts.add(f.synthesizer.toString());
      texts.add(f.synthesizer.capabilities().toString());
      for (Fault fault : faults()) {
        if (fault != null) {
          if (!f.emulator.control().supportedFaults().contains(fault.getClass())) {
            continue;
          }
          f.emulator.control().inject(fault);
        }
        sessions++;
        SynthesisSession s = f.synthesizer.open(f.options());
        texts.add(s.toString());
        RecordingSubscriber rec = new RecordingSubscriber();
        s.events().subscribe(rec);
        s.sendText("Keep the key secret. ");
        s.sendText("Even when the server misbehaves.");
        s.finish();
        assertThat(rec.awaitTerminal(f.timeout())).as("terminal signal after %s", fault).isTrue();
        if (rec.error() != null) {
          texts.add(stackTrace(rec.error()));
        }
        SynthesisReport r = s.report();
        texts.add(r.toString());
        texts.addAll(r.warnings());
        texts.add(r.attributes().toString());
        s.close();
      }
      // a session cancelled mid-stream
      SynthesisSession s = f.synthesizer.open(f.options());
      RecordingSubscriber rec = new RecordingSubscriber();
      s.events().subscribe(rec);
      s.sendText("Cancel me while I am speaking, please.");
      s.finish();
      rec.awaitFirstAudio(f.timeout());
      s.cancel();
      assertThat(rec.awaitTerminal(f.timeout())).isTrue();
      if (rec.error() != null) {
        texts.add(stackTrace(rec.error()));
      }
      texts.add(s.report().toString());
    }
    assertThat(sessions).isGreaterThan(10);
    System.out.flush();
    System.err.flush();
    texts.add(captured.toString(StandardCharsets.UTF_8));
    synchronized (logged) {
      texts.addAll(logged);
    }
    for (String t : texts) {
      assertThat(t).as("captured text").doesNotContain(KEY);
    }
  }

  private static List<Fault> faults() {
    List<Fault> faults = new ArrayList<>();
    faults.add(null);
    faults.add(new Fault.HandshakeStatus(401, null));
    faults.add(new Fault.HandshakeStatus(403, null));
    faults.add(new Fault.HandshakeStatus(429, Duration.ofSeconds(1)));
    faults.add(new Fault.HandshakeStatus(500, null));
    for (Fault.ErrorKind k : Fault.ErrorKind.values()) {
      faults.add(new Fault.ErrorFrame(1, k));
    }
    faults.add(new Fault.ErrorFrame(0, Fault.ErrorKind.AUTHENTICATION));
    faults.add(new Fault.Disconnect(1, false));
    faults.add(new Fault.Disconnect(1, true));
    faults.add(new Fault.Stall(1));
    faults.add(new Fault.MalformedFrame(1));
    faults.add(new Fault.OversizeFrame(1, 2 << 20));
    faults.add(new Fault.WrongFrameType(1));
    faults.add(new Fault.CloseAfterCompletion());
    faults.add(null);
    return faults;
  }

  @Test
  void aBlankSecretIsRefusedWithoutEchoingIt() {
    assertThatThrownBy(() -> create(Map.of("voicebridge.smallest.api-key", "   ")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("api-key");
  }

  /**
   * A key with a line break would otherwise end up in the JDK's "invalid header value" message,
   * which quotes the whole header value.
   */
  @Test
  void aKeyWithALineBreakIsRefusedAtCreateWithoutEchoingIt() {
    String bad = KEY + "\r\nX-Injected: yes";
    assertThatThrownBy(() -> create(Map.of("voicebridge.smallest.api-key", bad)))
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e -> {
              assertThat(e.getMessage()).contains("api-key").doesNotContain(KEY);
              assertThat(stackTrace(e)).doesNotContain(KEY);
            });
  }

  @Test
  void otherProblemsNeverEchoTheSecret() {
    Map<String, String> props = new HashMap<>();
    props.put("voicebridge.smallest.api-key", KEY);
    props.put("voicebridge.smallest.base-url", "ftp://example.com");
    props.put("voicebridge.smallest.model", "lightning-v0");
    props.put("voicebridge.smallest.response-timeout", "soon");
    assertThatThrownBy(() -> create(props))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .contains("base-url", "model", "response-timeout")
                    .doesNotContain(KEY));
    // every secret key's parse error stays quiet about the value
    for (ConfigKey<?> k : new SmallestProvider().configKeys()) {
      if (k.isSecret()) {
        assertThat(k.toString()).doesNotContain(KEY);
      }
    }
  }

  private static StreamingSynthesizer create(Map<String, String> props) {
    return new SmallestProvider()
        .create(ProviderContext.of("smallest", VoicebridgeConfig.of(props)));
  }

  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return t + "\n" + w;
  }

  /** Writes to the original stream and to the capture buffer. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
