package dev.voicebridge.elevenlabs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.WordTiming;
import dev.voicebridge.conformance.RecordingSubscriber;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** Helpers shared by the session tests against the emulator. */
final class SessionTestSupport {
  static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  private SessionTestSupport() {}

  static RecordingSubscriber subscribe(SynthesisSession s) {
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    return rec;
  }

  static void assertCompleted(RecordingSubscriber rec) throws InterruptedException {
    assertThat(rec.awaitTerminal(TIMEOUT)).as("terminal signal").isTrue();
    if (rec.error() != null) {
      throw new AssertionError("the session failed: " + rec.error(), rec.error());
    }
    assertThat(rec.completed()).isTrue();
    assertThat(rec.terminalSignals()).isEqualTo(1);
  }

  static Throwable awaitError(RecordingSubscriber rec) throws InterruptedException {
    assertThat(rec.awaitTerminal(TIMEOUT)).as("terminal signal").isTrue();
    assertThat(rec.error()).as("the session's error").isNotNull();
    assertThat(rec.terminalSignals()).isEqualTo(1);
    return rec.error();
  }

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<JsonNode> json(List<String> frames) {
    return frames.stream().map(SessionTestSupport::json).toList();
  }

  static String squash(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  static void assertMonotonic(List<WordTiming> timings) {
    Duration prev = Duration.ZERO;
    for (WordTiming t : timings) {
      assertThat(t.start()).isGreaterThanOrEqualTo(prev);
      assertThat(t.end()).isGreaterThanOrEqualTo(t.start());
      prev = t.start();
    }
  }
}
