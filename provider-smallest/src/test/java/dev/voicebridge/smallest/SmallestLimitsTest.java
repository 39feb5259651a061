package dev.voicebridge.smallest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.LimitExceededException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.Limits;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The limits of issue 9 against the emulator, over both transports: {@code max-frame-bytes} refuses
 * a server message larger than the cap (the emulator's frames carry 4800 bytes of audio, about 6.5
 * KB of JSON), {@code max-text-chars} refuses text beyond the cap.
 */
class SmallestLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private SmallestFixture fixture;

  @AfterEach
  void close() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private RecordingSubscriber run(String transport, Map<String, String> config, String text)
      throws InterruptedException {
    fixture = new SmallestFixture(transport, SmallestFixture.emulatorOptions(), config);
    SynthesisSession s = fixture.synthesizer.open(fixture.options());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    s.sendText(text);
    s.finish();
    assertThat(rec.awaitTerminal(WAIT)).as("terminal signal").isTrue();
    return rec;
  }

  @Test
  void theProviderAcceptsTheThreeLimitKeys() {
    assertThat(new SmallestProvider().configKeys().stream().map(ConfigKey::name))
        .containsAll(Limits.keys().stream().map(ConfigKey::name).toList());
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse"})
  void aFrameLargerThanMaxFrameBytesEndsTheSessionWithAProtocolException(String transport)
      throws Exception {
    RecordingSubscriber rec =
        run(
            transport,
            Map.of("voicebridge.smallest.max-frame-bytes", "1024"),
            "A normal sentence whose audio frames are larger than the tiny cap.");
    assertThat(rec.error())
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("max-frame-bytes")
        .hasMessageContaining("1024");
    assertThat(rec.audio().length).as("nothing of the refused frame").isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse"})
  void aCapAboveTheFramesLetsThemThrough(String transport) throws Exception {
    RecordingSubscriber rec =
        run(
            transport,
            Map.of("voicebridge.smallest.max-frame-bytes", String.valueOf(16 << 10)),
            "A normal sentence whose audio frames fit under the cap.");
    assertThat(rec.error()).isNull();
    assertThat(rec.completed()).isTrue();
    assertThat(rec.audio().length).isPositive();
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse"})
  void textBeyondMaxTextCharsEndsTheSessionWithLimitExceeded(String transport) throws Exception {
    RecordingSubscriber rec =
        run(
            transport,
            Map.of("voicebridge.smallest.max-text-chars", "20"),
            "This text is longer than twenty characters.");
    assertThat(rec.error()).isInstanceOf(LimitExceededException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "sse"})
  void textWithinMaxTextCharsIsSpoken(String transport) throws Exception {
    RecordingSubscriber rec =
        run(transport, Map.of("voicebridge.smallest.max-text-chars", "20"), "Short text.");
    assertThat(rec.error()).isNull();
    assertThat(rec.completed()).isTrue();
  }
}
