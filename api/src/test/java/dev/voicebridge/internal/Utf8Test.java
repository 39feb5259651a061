package dev.voicebridge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

  @Test
  void countsBytesNotChars() {
    assertThat(Utf8.length("abc")).isEqualTo(3);
    assertThat(Utf8.length("é")).isEqualTo(2);
    assertThat(Utf8.length("€")).isEqualTo(3);
    assertThat(Utf8.length("😀")).isEqualTo(4);
    assertThat(Utf8.length("a\uD800b")).as("an unpaired surrogate is U+FFFD").isEqualTo(5);
  }

  @Test
  void agreesWithTheJdkEncoder() {
    for (String s : new String[] {"", "plain", "naïve café", "नमस्ते", "😀 and 🎉"}) {
      assertThat(Utf8.length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }
}
