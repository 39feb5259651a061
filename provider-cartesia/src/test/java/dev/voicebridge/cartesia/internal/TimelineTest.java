package dev.voicebridge.cartesia.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.WordTiming;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static ServerFrame.Timestamps ts(List<String> w, double[] s, double[] e) {
    return new ServerFrame.Timestamps(w, s, e);
  }

  private static Duration ms(long m) {
    return Duration.ofMillis(m);
  }

  @Test
  void httpRequestsAreOffsetByTheAudioBeforeThem() {
    Timeline t = new Timeline(false);
    t.request(0, 0);
    assertThat(t.words(ts(List.of("One."), new double[] {0.1}, new double[] {0.3})))
        .containsExactly(WordTiming.of("One.", ms(100), ms(300)));
    t.request(1, 0.5);
    assertThat(t.words(ts(List.of("Two."), new double[] {0.05}, new double[] {0.25})))
        .containsExactly(WordTiming.of("Two.", ms(550), ms(750)));
  }

  @Test
  void wordsNeverGoBackAndEndsNeverPrecedeStarts() {
    Timeline t = new Timeline(true);
    List<WordTiming> w =
        t.words(
            ts(
                List.of(" a ", "", "b", "c"),
                new double[] {0.5, 0.6, 0.4, 0.7},
                new double[] {0.6, 0.6, 0.3, 0.65}));
    assertThat(w)
        .containsExactly(
            new WordTiming("a", ms(500), ms(600), true, false),
            new WordTiming("b", ms(500), ms(500), true, false),
            new WordTiming("c", ms(700), ms(700), true, false));
  }

  @Test
  void aFlushWhoseTimesRestartIsOffsetAndOneThatContinuesIsNot() {
    Timeline cumulative = new Timeline(false);
    cumulative.frame(1, 0);
    cumulative.frame(2, 2.0);
    assertThat(cumulative.words(ts(List.of("x"), new double[] {1.97}, new double[] {2.2})))
        .as("within the tolerance: cumulative")
        .containsExactly(WordTiming.of("x", ms(1970), ms(2200)));
    Timeline restarting = new Timeline(false);
    restarting.frame(1, 0);
    restarting.frame(2, 2.0);
    assertThat(restarting.words(ts(List.of("x"), new double[] {0.0}, new double[] {0.2})))
        .containsExactly(WordTiming.of("x", ms(2000), ms(2200)));
    // the decision holds for the rest of the flush
    assertThat(restarting.words(ts(List.of("y"), new double[] {2.5}, new double[] {2.6})))
        .containsExactly(WordTiming.of("y", ms(4500), ms(4600)));
  }

  @Test
  void framesWithoutAFlushIdStayInTheCurrentSegment() {
    Timeline t = new Timeline(false);
    t.frame(null, 0);
    t.frame(null, 1.0);
    assertThat(t.words(ts(List.of("x"), new double[] {1.2}, new double[] {1.4})))
        .containsExactly(WordTiming.of("x", ms(1200), ms(1400)));
  }
}
