package dev.voicebridge.cache;

import static dev.voicebridge.cache.CachingSynthesizerTest.GREETING;
import static dev.voicebridge.cache.CachingSynthesizerTest.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.TransportException;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.fallback.FallbackSynthesizer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cache as the last tier of a fallback chain: the greeting plays when every vendor is down. */
class FallbackTierTest {

  private static FakeVendor down(String name, RuntimeException why) {
    FakeVendor v = new FakeVendor(name);
    v.failure = (dev.voicebridge.VoicebridgeException) why;
    return v;
  }

  private static RecordingSubscriber say(
      StreamingSynthesizer s, String text, SynthesisSession[] out) throws InterruptedException {
    SynthesisSession session = s.open(SynthesisOptions.defaults());
    RecordingSubscriber rec = new RecordingSubscriber();
    session.events().subscribe(rec);
    session.sendText(text);
    session.finish();
    assertThat(rec.awaitTerminal(TIMEOUT)).isTrue();
    out[0] = session;
    return rec;
  }

  @Test
  void theGreetingRecordedWhileTheVendorWasUpPlaysWhenEveryVendorIsDown() throws Exception {
    PhraseCache phrases = PhraseCache.inMemory(1 << 20);
    FakeVendor primary = new FakeVendor("primary");
    SynthesisSession[] s = new SynthesisSession[1];
    RecordingSubscriber recorded;
    try (CachingSynthesizer up = CachingSynthesizer.builder(primary).cache(phrases).build()) {
      up.warm(GREETING, SynthesisOptions.defaults())
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      recorded = say(up, GREETING, s);
    }

    FakeVendor primaryDown =
        down("primary", new ProviderUnavailableException("primary", 503, null, "overloaded"));
    FakeVendor secondDown =
        down("second", new TransportException("second", "connection refused", null));
    try (FallbackSynthesizer chain =
        FallbackSynthesizer.builder()
            .cooldown(java.time.Duration.ZERO) // every session tries the chain in order
            .add(primaryDown)
            .add(secondDown)
            .add(phrases.replayer("primary", primary.capabilities()))
            .build()) {
      RecordingSubscriber rec = say(chain, GREETING, s);
      assertThat(rec.error()).isNull();
      assertThat(rec.completed()).isTrue();
      assertThat(rec.audioSha256()).isEqualTo(recorded.audioSha256());
      assertThat(rec.timings()).hasSize(7);
      SynthesisReport r = s[0].completion().toCompletableFuture().get();
      assertThat(r.attributes())
          .containsEntry("fallback.provider", "primary")
          .containsEntry("fallback.switches", "2")
          .containsEntry("primary.cache", "hit");
      assertThat(primaryDown.opens).hasValue(1);
      assertThat(secondDown.opens).hasValue(1);

      // a phrase nobody recorded fails with every vendor's error
      RecordingSubscriber unknown = say(chain, "A sentence never spoken before.", s);
      assertThat(unknown.error())
          .isInstanceOf(ProviderUnavailableException.class)
          .hasMessageContaining("not in the cache");
      assertThat(unknown.error().getSuppressed()).hasSize(2);
      assertThat(primaryDown.opens).hasValue(2);
    } finally {
      phrases.close();
    }
  }

  @Test
  void theReplayerNeverCallsAVendorAndFailsAMissRetryably() throws Exception {
    PhraseCache phrases = PhraseCache.inMemory(1 << 20);
    FakeVendor vendor = new FakeVendor("fake");
    try (StreamingSynthesizer replayer = phrases.replayer(vendor)) {
      SynthesisSession[] s = new SynthesisSession[1];
      RecordingSubscriber rec = say(replayer, GREETING, s);
      assertThat(rec.error()).isInstanceOf(ProviderUnavailableException.class);
      assertThat(((ProviderUnavailableException) rec.error()).isRetryable()).isTrue();
      assertThat(rec.error().getMessage()).contains("[fake]");
      assertThat(vendor.opens).hasValue(0);
      assertThat(phrases.stats().misses()).isEqualTo(1);
    } finally {
      phrases.close();
    }
  }
}
