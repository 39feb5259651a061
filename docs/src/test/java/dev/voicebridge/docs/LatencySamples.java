package dev.voicebridge.docs;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.latency.Comparison;
import dev.voicebridge.latency.ComparisonResult;
import dev.voicebridge.latency.Reports;
import dev.voicebridge.latency.Script;
import java.nio.file.Path;
import java.util.Map;

/** The sample of docs/latency-comparison.md. */
final class LatencySamples {
  private LatencySamples() {}

  /** Fish against ElevenLabs on the short reply, reports written into {@code dir}. */
  static ComparisonResult compare(VoicebridgeConfig cfg, int rounds, Path dir) throws Exception {
    // tag::compare[]
    SynthesisOptions pcm = SynthesisOptions.builder().format(AudioFormat.PCM_16K).build();
    ComparisonResult r =
        Comparison.builder()
            .contender(
                new Comparison.Contender(
                    "fish", () -> StreamingSynthesizers.create("fish", cfg), pcm, Map.of()))
            .contender(
                new Comparison.Contender(
                    "elevenlabs",
                    () -> StreamingSynthesizers.create("elevenlabs", cfg),
                    pcm,
                    Map.of()))
            .script(Script.reply())
            .rounds(rounds) // default 20
            .seed(42)
            .progress(System.err::println)
            .build()
            .run();
    Reports.write(r, dir.resolve("report.html"), dir.resolve("report.json"));
    // end::compare[]
    return r;
  }
}
