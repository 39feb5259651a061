package dev.voicebridge.check.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BudgetTest {
  @Test
  void whatWouldPassTheLimitIsRefusedAndNotCounted() {
    Budget b = new Budget(10);
    b.take(6);
    b.take(4);
    assertThat(b.spent()).isEqualTo(10);
    assertThatThrownBy(() -> b.take(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("10 sent, 1 more asked, 10 allowed");
    assertThat(b.spent()).isEqualTo(10);
  }

  @Test
  void charactersAreCodePoints() {
    assertThat(Budget.count("héllo")).isEqualTo(5);
    assertThat(Budget.count("\uD83D\uDE00!")).isEqualTo(2);
  }
}
