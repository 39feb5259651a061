package dev.voicebridge.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.fallback.FallbackSynthesizer;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.SynthesisSink;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plugin composes with the api's failover: a chain whose first provider is down. */
class ExampleFallbackTest {

  /** A provider whose every session is refused at the handshake with a 503. */
  static final class Down implements StreamingSynthesizer {
    final Capabilities caps =
        Capabilities.builder()
            .network(true)
            .formats(AudioFormat.PCM_16K)
            .defaultFormat(AudioFormat.PCM_16K)
            .build();

    @Override
    public String provider() {
      return "down";
    }

    @Override
    public Capabilities capabilities() {
      return caps;
    }

    @Override
    public SynthesisSession open(SynthesisOptions options) {
      return SynthesisSessions.open(
          "down",
          AudioFormat.PCM_16K,
          SessionSettings.defaults(),
          new SessionBackend() {
            @Override
            public void start(SynthesisSink sink) {
              sink.fail(new ProviderUnavailableException("down", 503, null, "HTTP 503: down"));
            }

            @Override
            public void text(String text) {}

            @Override
            public void flush() {}

            @Override
            public void finish() {}

            @Override
            public void cancel() {}
          });
    }

    @Override
    public void close() {}
  }

  private static StreamingSynthesizer example() {
    return StreamingSynthesizers.fromConfig(
        VoicebridgeConfig.of(Map.of("voicebridge.provider", "example")));
  }

  @Test
  void aSessionRefusedByTheFirstProviderIsServedByTheExample() {
    byte[] expected;
    try (StreamingSynthesizer direct = example()) {
      expected = direct.synthesize("Hello there. How are you?").readAllAudio();
    }
    try (FallbackSynthesizer chain =
        FallbackSynthesizer.builder().add(new Down()).add(example()).build()) {
      assertThat(chain.provider()).isEqualTo("fallback(down,example)");
      try (SynthesisStream stream = chain.synthesize("Hello there. How are you?")) {
        assertThat(stream.readAllAudio()).isEqualTo(expected);
        SynthesisReport r = stream.report();
        assertThat(r.outcome()).isEqualTo(SynthesisReport.Outcome.COMPLETED);
        assertThat(r.attributes())
            .containsEntry("fallback.provider", "example")
            .containsEntry("fallback.switches", "1")
            .containsEntry("example.transport", "in-process");
        assertThat(r.warnings()).anyMatch(w -> w.contains("HTTP 503"));
      }
      // the down provider is cooling down: the next session goes straight to the example
      try (SynthesisStream stream = chain.synthesize("Again.")) {
        assertThat(stream.readAllAudio()).isNotEmpty();
        assertThat(stream.report().attributes())
            .containsEntry("fallback.switches", "0")
            .containsEntry("fallback.skipped", "down");
      }
    }
  }
}
