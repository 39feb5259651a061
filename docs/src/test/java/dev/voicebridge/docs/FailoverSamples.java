package dev.voicebridge.docs;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.fallback.FallbackSynthesizer;
import java.time.Duration;

/** The sample of docs/failover.md. */
final class FailoverSamples {
  private FailoverSamples() {}

  /** Smallest first, Fish when Smallest fails before any audio. */
  static StreamingSynthesizer chain(VoicebridgeConfig config) {
    // tag::chain[]
    // config: VoicebridgeConfig.standard(), with both vendors' keys
    StreamingSynthesizer tts =
        FallbackSynthesizer.builder()
            .add(StreamingSynthesizers.create("smallest", config))
            .add(
                StreamingSynthesizers.create("fish", config),
                o -> o.toBuilder().voice("my-fish-voice-id").build()) // voices are vendor ids
            .cooldown(Duration.ofSeconds(30)) // skip a failed provider this long (default 30 s)
            .firstAudioTimeout(Duration.ofSeconds(3)) // switch when audio is this late
            .resumeAfterAudio(false) // default: a failure after audio fails the session
            .build();
    // end::chain[]
    return tts;
  }

  /** A session on the chain. */
  static SynthesisSession open(StreamingSynthesizer tts) {
    // tag::open[]
    SynthesisSession session =
        tts.open(SynthesisOptions.builder().format(AudioFormat.PCM_16K).build());
    // end::open[]
    return session;
  }
}
