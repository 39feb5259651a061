package dev.voicebridge.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VoiceIdsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a/b",
        "../../v1/user",
        "..",
        ".",
        "a..b",
        "voice?x=1",
        "voice#frag",
        "voice%2Fother",
        "back\\slash",
        "new\nline",
        "tab\there",
        "sp ace",
        "nul\u0000",
        "del\u007f",
        "bidi\u202e",
        "nbsp\u00a0",
      })
  void hostileIdsAreRefused(String id) {
    assertThat(VoiceIds.problem(id)).isNotNull();
  }

  @Test
  void tooLongIsRefused() {
    assertThat(VoiceIds.problem("a".repeat(129))).isNotNull();
    assertThat(VoiceIds.problem("a".repeat(128))).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"JBFqnCBsd6RMkjVDRZzb", "21m00Tcm4TlvDq8ikWAM", "my-voice_1.v2~x"})
  void ordinaryIdsPassUnchanged(String id) {
    assertThat(VoiceIds.problem(id)).isNull();
    assertThat(VoiceIds.pathSegment(id)).isEqualTo(id);
  }

  @Test
  void anythingElseIsPercentEncoded() {
    assertThat(VoiceIds.problem("stimme-\u00e4:@;")).isNull();
    assertThat(VoiceIds.pathSegment("stimme-\u00e4:@;")).isEqualTo("stimme-%C3%A4%3A%40%3B");
  }
}
