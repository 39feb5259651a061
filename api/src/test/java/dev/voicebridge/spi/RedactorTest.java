package dev.voicebridge.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  static final String KEY = "sk-canary/redact+me=42";
  final Redactor r = Redactor.of(List.of(Secret.of(KEY)));

  @Test
  void masksThePlainValueWherever_itStands() {
    assertThat(r.redact("401: invalid key " + KEY + " for user"))
        .isEqualTo("401: invalid key **** for user")
        .doesNotContain(KEY);
    assertThat(r.redact("Bearer " + KEY + "Bearer " + KEY)).isEqualTo("Bearer ****Bearer ****");
  }

  @Test
  void masksTheEncodingsAServerIsLikelyToEcho() {
    String url = URLEncoder.encode(KEY, StandardCharsets.UTF_8);
    String b64 = Base64.getEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8));
    String basic = Base64.getEncoder().encodeToString((":" + KEY).getBytes(StandardCharsets.UTF_8));
    String json = KEY.replace("/", "\\/");
    for (String echo : List.of(url, b64, basic, json)) {
      assertThat(r.redact("you sent " + echo + ".")).isEqualTo("you sent ****.");
    }
  }

  @Test
  void masksAValueCutOffAtTheEndOfTheText() {
    // a close reason is at most 123 bytes: an echo may stop inside the key, and the reason may
    // then stand in the middle of a message
    assertThat(r.redact("bad key: " + KEY.substring(0, 12))).isEqualTo("bad key: ****");
    assertThat(r.redact("closed (1008: Bearer " + KEY.substring(0, 9) + ") before isFinal"))
        .isEqualTo("closed (1008: Bearer ****) before isFinal");
    // but a short, common ending is not taken for a key
    assertThat(r.redact("the answer was sk-c")).isEqualTo("the answer was sk-c");
  }

  @Test
  void leavesOtherTextAloneAndKnowsWhereSecretsAre() {
    assertThat(r.redact("nothing secret here")).isEqualTo("nothing secret here");
    assertThat(r.redact(null)).isNull();
    assertThat(r.isIn("x" + KEY)).isTrue();
    assertThat(r.isIn("x")).isFalse();
    assertThat(Redactor.none().redact(KEY)).isEqualTo(KEY);
    assertThat(Redactor.of(List.of(Secret.of(" "))).isEmpty()).isTrue();
    assertThat(r.toString()).doesNotContain(KEY);
  }
}
