package dev.voicebridge.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.FlushEvent;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TextEvent;
import dev.voicebridge.TransportException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FallbackInputTest {

  private static FallbackInput input(Object... parts) {
    FallbackInput in = new FallbackInput();
    for (Object p : parts) {
      if (p == FlushEvent.INSTANCE) {
        in.flush();
      } else {
        in.text((String) p);
      }
    }
    return in;
  }

  private static final FlushEvent F = FlushEvent.INSTANCE;

  @Test
  void replayJoinsTextBetweenFlushesAndKeepsTheFlushes() {
    FallbackInput in = input("Hel", "lo. ", F, "How ", "are you?", F, "Fine");
    assertThat(in.replayFrom(0))
        .containsExactly(
            new TextEvent("Hello. "), F, new TextEvent("How are you?"), F, new TextEvent("Fine"));
    assertThat(in.replayFrom(7))
        .containsExactly(new TextEvent("How are you?"), F, new TextEvent("Fine"));
    assertThat(in.replayFrom(in.length())).isEmpty();
  }

  @Test
  void audioIsOwedAfterAFlushOrTheEndThatFollowsText() {
    FallbackInput in = input("Buffered text");
    assertThat(in.owesAudio(0)).isFalse();
    in.flush();
    assertThat(in.owesAudio(0)).isTrue();
    assertThat(in.owesAudio(in.length())).isFalse();
    in.text(" more");
    assertThat(in.owesAudio(13)).isFalse();
    in.finish();
    assertThat(in.owesAudio(13)).isTrue();
    assertThat(input().owesAudio(0)).isFalse();
  }

  @Test
  void sentencesAreCutBySentenceEndsAndFlushes() {
    FallbackInput in = input("One. Two", F, " three four. Five");
    List<int[]> s = in.sentences();
    String text = in.text();
    assertThat(s)
        .extracting(span -> text.substring(span[0], span[1]))
        .containsExactly("One.", "Two", "three four.", "Five");
  }

  @Test
  void resumeUsesWordTimingsToSkipSpokenSentences() {
    FallbackInput in = input("First one here. Second one. Third.");
    in.finish();
    assertThat(in.resumePoint(0, 0, Duration.ZERO)).isZero();
    assertThat(in.resumePoint(0, 2, Duration.ZERO)).as("mid-sentence: repeat it").isZero();
    assertThat(in.resumePoint(0, 3, Duration.ZERO)).isEqualTo(16);
    assertThat(in.resumePoint(0, 5, Duration.ZERO)).isEqualTo(28);
    assertThat(in.resumePoint(0, 6, Duration.ZERO)).isEqualTo(in.length());
    assertThat(in.resumePoint(16, 2, Duration.ZERO)).isEqualTo(28);
  }

  @Test
  void withoutTimingsResumeEstimatesConservativelyFromTheAudioDuration() {
    FallbackInput in = input("First one here. Second one. Third.");
    // 1.5 s at 10 chars/s = 15 chars: "First one here." is 15 characters
    assertThat(in.resumePoint(0, 0, Duration.ofMillis(1_400))).isZero();
    assertThat(in.resumePoint(0, 0, Duration.ofMillis(1_500))).isEqualTo(16);
    assertThat(in.resumePoint(16, 0, Duration.ofMillis(1_000))).isEqualTo(16);
    assertThat(in.resumePoint(0, 0, Duration.ofSeconds(60))).isEqualTo(in.length());
  }

  @Test
  void switchableErrorsAreRetryableOrAccountProblems() {
    assertThat(FallbackSynthesizer.switchable(new TransportException("p", "reset"))).isTrue();
    assertThat(FallbackSynthesizer.switchable(new SynthesisTimeoutException("p", "slow"))).isTrue();
    assertThat(
            FallbackSynthesizer.switchable(
                new ProviderUnavailableException("p", 503, null, "down")))
        .isTrue();
    assertThat(FallbackSynthesizer.switchable(new AuthenticationException("p", 401, null, "key")))
        .isTrue();
    assertThat(FallbackSynthesizer.switchable(new QuotaExceededException("p", 402, null, "q")))
        .isTrue();
    assertThat(FallbackSynthesizer.switchable(new InvalidRequestException("p", 422, null, "voice")))
        .isFalse();
    assertThat(FallbackSynthesizer.switchable(new ProtocolException("p", "bad frame"))).isFalse();
    assertThat(FallbackSynthesizer.switchable(new SynthesisCancelledException("p"))).isFalse();
  }
}
