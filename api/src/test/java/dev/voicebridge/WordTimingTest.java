package dev.voicebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WordTimingTest {
  static final Duration A = Duration.ofMillis(100);
  static final Duration B = Duration.ofMillis(250);

  @Test
  void aProvidersTimingHasNoTextOffsets() {
    WordTiming t = WordTiming.of("Hello", A, B);
    assertThat(t.hasTextOffsets()).isFalse();
    assertThat(t.textStart()).isEqualTo(-1);
    assertThat(t.textEnd()).isEqualTo(-1);
    assertThat(new WordTiming("Hello", A, B, false, false)).isEqualTo(t);
  }

  @Test
  void offsetsAreKeptAndCompared() {
    WordTiming t = WordTiming.of("Hello", A, B).withTextOffsets(2, 11);
    assertThat(t.hasTextOffsets()).isTrue();
    assertThat(t.textStart()).isEqualTo(2);
    assertThat(t.textEnd()).isEqualTo(11);
    assertThat(t.word()).isEqualTo("Hello");
    assertThat(t).isNotEqualTo(WordTiming.of("Hello", A, B));
    assertThat(new WordTiming("Hello", A, B, false, true, 2, 11).estimated()).isTrue();
  }

  @Test
  void badOffsetsAreRefused() {
    assertThatThrownBy(() -> WordTiming.of("w", A, B).withTextOffsets(5, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5..4");
    assertThatThrownBy(() -> WordTiming.of("w", A, B).withTextOffsets(-1, 4))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WordTiming.of("w", A, B).withTextOffsets(3, -1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(WordTiming.of("w", A, B).withTextOffsets(4, 4).hasTextOffsets()).isTrue();
  }
}
