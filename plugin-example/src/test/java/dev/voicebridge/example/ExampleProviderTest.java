package dev.voicebridge.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.WordTiming;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The path a plugin takes: discovered by ServiceLoader, selected by configuration, then used. */
class ExampleProviderTest {

  private static StreamingSynthesizer fromConfig(Map<String, String> values) {
    return StreamingSynthesizers.fromConfig(VoicebridgeConfig.of(values));
  }

  @Test
  void serviceLoaderDiscoversTheProviderThroughItsServicesFile() {
    assertThat(StreamingSynthesizers.providers()).containsKey("example");
    assertThat(StreamingSynthesizers.providers().get("example"))
        .isInstanceOf(ExampleProvider.class);
    assertThat(StreamingSynthesizers.discover().problems()).isEmpty();
  }

  @Test
  void anApplicationSelectsItByConfigurationAndSpeaks() {
    byte[] pcm;
    // tag::use[]
    try (StreamingSynthesizer tts =
            StreamingSynthesizers.fromConfig(
                VoicebridgeConfig.of(Map.of("voicebridge.provider", "example")));
        SynthesisStream s = tts.synthesize("Hello.")) {
      pcm = s.readAllAudio();
    }
    // end::use[]
    // five letters of 30 ms and a silent full stop at 16 kHz, 16-bit
    assertThat(pcm).hasSize(6 * 30 * 16 * 2);
  }

  @Test
  void configurationSelectsItByName() {
    try (StreamingSynthesizer s = fromConfig(Map.of("voicebridge.provider", "example"))) {
      assertThat(s.provider()).isEqualTo("example");
      assertThat(s).isInstanceOf(ExampleSynthesizer.class);
    }
  }

  @Test
  void beingTheOnlyProviderOnTheClassPathItIsAlsoTheDefault() {
    try (StreamingSynthesizer s = fromConfig(Map.of())) {
      assertThat(s.provider()).isEqualTo("example");
    }
  }

  @Test
  void everyConfigurationProblemIsReportedAtOnce() {
    assertThatThrownBy(
            () ->
                fromConfig(
                    Map.of(
                        "voicebridge.provider", "example",
                        "voicebridge.example.frequency", "5",
                        "voicebridge.example.char-duration", "2s",
                        "voicebridge.example.colour", "blue")))
        .isInstanceOf(ConfigurationException.class)
        .satisfies(
            e ->
                assertThat(((ConfigurationException) e).problems())
                    .hasSize(3)
                    .anyMatch(p -> p.contains("voicebridge.example.frequency"))
                    .anyMatch(p -> p.contains("voicebridge.example.char-duration"))
                    .anyMatch(p -> p.contains("voicebridge.example.colour")));
  }

  @Test
  void createStartsNoThreadAndCloseStopsTheOneItUses() throws Exception {
    ExampleSynthesizer s =
        (ExampleSynthesizer) fromConfig(Map.of("voicebridge.provider", "example"));
    assertThat(((java.util.concurrent.ThreadPoolExecutor) s.worker()).getPoolSize()).isZero();
    try (SynthesisStream stream = s.synthesize("Hi.")) {
      assertThat(stream.readAllAudio()).isNotEmpty();
    }
    assertThat(((java.util.concurrent.ThreadPoolExecutor) s.worker()).getPoolSize()).isEqualTo(1);
    s.close();
    assertThat(s.worker().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(s::open).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void eachCharacterIsOneDeterministicToneBurstWithWordTimings() {
    try (StreamingSynthesizer s =
        fromConfig(
            Map.of(
                "voicebridge.provider", "example",
                "voicebridge.example.char-duration", "10ms"))) {
      List<SynthesisEvent> events = new ArrayList<>();
      ByteArrayOutputStream audio = new ByteArrayOutputStream();
      SynthesisReport report;
      try (SynthesisStream stream = s.synthesize("ab cd", SynthesisOptions.defaults())) {
        stream.forEachRemaining(events::add);
        report = stream.report();
      }
      for (SynthesisEvent e : events) {
        if (e instanceof AudioChunk c) {
          audio.writeBytes(c.bytes());
          assertThat(c.format()).isEqualTo(AudioFormat.PCM_16K);
        }
      }
      // 5 characters x 10 ms x 16 kHz x 2 bytes
      assertThat(audio.size()).isEqualTo(5 * 160 * 2);
      byte[] bytes = audio.toByteArray();
      // the space is silence; the letters are not
      assertThat(slice(bytes, 2 * 160 * 2, 160 * 2)).containsOnly(0);
      assertThat(slice(bytes, 0, 160 * 2)).isNotEqualTo(new byte[160 * 2]);
      assertThat(events.stream().filter(e -> e instanceof WordTiming).map(e -> (WordTiming) e))
          .containsExactly(
              WordTiming.of("ab", Duration.ZERO, Duration.ofMillis(20)),
              WordTiming.of("cd", Duration.ofMillis(30), Duration.ofMillis(50)));
      assertThat(report.audioDuration()).isEqualTo(Duration.ofMillis(50));

      try (SynthesisStream again = s.synthesize("ab cd", SynthesisOptions.defaults())) {
        assertThat(again.readAllAudio()).isEqualTo(bytes);
      }
    }
  }

  @Test
  void otherRatesAreRenderedDirectlyAndIgnoredOptionsAreReported() {
    try (StreamingSynthesizer s = fromConfig(Map.of("voicebridge.provider", "example"))) {
      SynthesisOptions o =
          SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).voice("alice").build();
      try (SynthesisStream stream = s.synthesize("Hello.", o)) {
        // 6 characters x 30 ms x 24 kHz x 2 bytes
        assertThat(stream.readAllAudio()).hasSize(6 * 720 * 2);
        assertThat(stream.report().warnings()).anyMatch(w -> w.contains("alice"));
      }
    }
  }

  private static byte[] slice(byte[] b, int from, int len) {
    byte[] out = new byte[len];
    System.arraycopy(b, from, out, 0, len);
    return out;
  }
}
