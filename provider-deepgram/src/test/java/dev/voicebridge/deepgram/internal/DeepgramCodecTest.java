package dev.voicebridge.deepgram.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Golden wire tests: every client message and every server frame, byte for byte. */
class DeepgramCodecTest {

  // ------------------------------------------------------------------ client messages

  @Test
  void clientMessagesAreTheFourDocumentedOnes() {
    assertThat(DeepgramCodec.speak("Hello world"))
        .isEqualTo("{\"type\":\"Speak\",\"text\":\"Hello world\"}");
    assertThat(DeepgramCodec.FLUSH).isEqualTo("{\"type\":\"Flush\"}");
    assertThat(DeepgramCodec.CLEAR).isEqualTo("{\"type\":\"Clear\"}");
    assertThat(DeepgramCodec.CLOSE).isEqualTo("{\"type\":\"Close\"}");
    assertThat(DeepgramCodec.restBody("Hello, world.")).isEqualTo("{\"text\":\"Hello, world.\"}");
  }

  @Test
  void speakTextIsEscapedAsJsonAndKeepsUnicode() {
    assertThat(DeepgramCodec.speak("say \"hi\"\n\tand \\ café 😀"))
        .isEqualTo("{\"type\":\"Speak\",\"text\":\"say \\\"hi\\\"\\n\\tand \\\\ café 😀\"}");
    assertThat(DeepgramCodec.speak("\u0001"))
        .isEqualTo("{\"type\":\"Speak\",\"text\":\"\\u0001\"}");
  }

  // ------------------------------------------------------------------ server frames

  @Test
  void metadataAsCapturedFromALiveSocket() {
    DeepgramCodec.ServerMessage m =
        DeepgramCodec.decode(
            "{\"type\":\"Metadata\",\"request_id\":\"01a01a7f-f079-74c3-bfc5-ac08f549baae\","
                + "\"model_name\":\"aura-asteria-en\",\"model_version\":\"2024-11-19.0\","
                + "\"model_uuid\":\"ecb76e9d-f2db-4127-8060-79b05590d22f\","
                + "\"additional_model_uuids\":[]}");
    assertThat(m)
        .isEqualTo(
            new DeepgramCodec.Metadata(
                "01a01a7f-f079-74c3-bfc5-ac08f549baae",
                "aura-asteria-en",
                "2024-11-19.0",
                "ecb76e9d-f2db-4127-8060-79b05590d22f"));
    assertThat(DeepgramCodec.decode("{\"type\":\"Metadata\"}"))
        .isEqualTo(new DeepgramCodec.Metadata(null, null, null, null));
  }

  @Test
  void flushedAndClearedCarryTheirSequenceId() {
    assertThat(DeepgramCodec.decode("{\"type\":\"Flushed\",\"sequence_id\":0}"))
        .isEqualTo(new DeepgramCodec.Flushed(0));
    assertThat(DeepgramCodec.decode("{\"type\":\"Flushed\",\"sequence_id\":41}"))
        .isEqualTo(new DeepgramCodec.Flushed(41));
    assertThat(DeepgramCodec.decode("{\"type\":\"Cleared\",\"sequence_id\":0}"))
        .isEqualTo(new DeepgramCodec.Cleared(0));
    assertThat(DeepgramCodec.decode("{\"sequence_id\":3,\"type\":\"Flushed\",\"extra\":{}}"))
        .isEqualTo(new DeepgramCodec.Flushed(3));
  }

  @Test
  void warningInTheLiveSpelling() {
    DeepgramCodec.ServerMessage m =
        DeepgramCodec.decode(
            "{\"type\":\"Warning\",\"warn_code\":\"EXCESSIVE_FLUSH\","
                + "\"warn_msg\":\"Rate limit exceeded for flushes. Please try again later.\"}");
    assertThat(m)
        .isEqualTo(
            new DeepgramCodec.Warning(
                "EXCESSIVE_FLUSH", "Rate limit exceeded for flushes. Please try again later."));
    assertThat(((DeepgramCodec.Warning) m).isExcessiveFlush()).isTrue();
  }

  @Test
  void warningInTheSpecificationSpelling() {
    DeepgramCodec.ServerMessage m =
        DeepgramCodec.decode(
            "{\"type\":\"Warning\",\"code\":\"EXCESSIVE_FLUSH\",\"description\":\"too many\"}");
    assertThat(m).isEqualTo(new DeepgramCodec.Warning("EXCESSIVE_FLUSH", "too many"));
    assertThat(((DeepgramCodec.Warning) m).isExcessiveFlush()).isTrue();
    // both spellings at once (an emulator mode for clients built from the spec): same reading
    assertThat(
            DeepgramCodec.decode(
                "{\"type\":\"Warning\",\"warn_code\":\"W1\",\"warn_msg\":\"live\","
                    + "\"code\":\"W1\",\"description\":\"spec\"}"))
        .isEqualTo(new DeepgramCodec.Warning("W1", "live"));
    assertThat(DeepgramCodec.decode("{\"type\":\"Warning\"}"))
        .isEqualTo(new DeepgramCodec.Warning(null, null));
    assertThat(
            ((DeepgramCodec.Warning) DeepgramCodec.decode("{\"type\":\"Warning\",\"code\":\"X\"}"))
                .isExcessiveFlush())
        .isFalse();
  }

  @Test
  void errorFramesOfTheOlderClientAreRead() {
    assertThat(
            DeepgramCodec.decode(
                "{\"type\":\"Error\",\"description\":\"bad things\",\"variant\":\"NET-0000\"}"))
        .isEqualTo(new DeepgramCodec.ErrorMessage("NET-0000", "bad things"));
    assertThat(
            DeepgramCodec.decode(
                "{\"type\":\"Error\",\"err_code\":\"X\",\"err_msg\":\"injected\"}"))
        .isEqualTo(new DeepgramCodec.ErrorMessage("X", "injected"));
  }

  @Test
  void unknownTypesAreNamedNotRefused() {
    assertThat(DeepgramCodec.decode("{\"type\":\"SpeechStarted\"}"))
        .isEqualTo(new DeepgramCodec.Unknown("SpeechStarted"));
    // lower-case control responses of an old spec are not the capitalised ones
    assertThat(DeepgramCodec.decode("{\"type\":\"flushed\",\"sequence_id\":0}"))
        .isEqualTo(new DeepgramCodec.Unknown("flushed"));
  }

  @Test
  void malformedFramesAreProtocolExceptions() {
    for (String bad :
        List.of(
            "not json",
            "",
            "{\"type\":\"Flushed\"",
            "[\"Flushed\"]",
            "\"Flushed\"",
            "null",
            "{}",
            "{\"type\":7}",
            "{\"type\":null}",
            "{\"type\":\"Flushed\"}",
            "{\"type\":\"Flushed\",\"sequence_id\":\"0\"}",
            "{\"type\":\"Flushed\",\"sequence_id\":-1}",
            "{\"type\":\"Flushed\",\"sequence_id\":1.5}",
            "{\"type\":\"Cleared\",\"sequence_id\":null}",
            "{\"type\":\"Flushed\",\"sequence_id\":0} trailing",
            "{\"type\":\"Flushed\",\"sequence_id\":99999999999999999999999}")) {
      assertThatThrownBy(() -> DeepgramCodec.decode(bad))
          .as(bad)
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("[deepgram]");
    }
  }

  @Test
  void deeplyNestedFramesAreRefusedWithoutAStackOverflow() {
    String deep = "{\"type\":\"Metadata\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> DeepgramCodec.decode(deep)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void aMalformedFrameIsQuotedShortly() {
    String longGarbage = "x".repeat(10_000);
    assertThatThrownBy(() -> DeepgramCodec.decode(longGarbage))
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(400));
  }

  // ------------------------------------------------------------------ error bodies and reasons

  @Test
  void errorBodiesInEveryShapeTheNoteLists() {
    assertThat(
            body(
                "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\","
                    + "\"request_id\":\"r-1\"}"))
        .isEqualTo(new DeepgramCodec.ErrorBody("INVALID_AUTH", "Invalid credentials.", "r-1"));
    assertThat(
            body(
                "{\"category\":\"INVALID_QUERY_PARAMETER\",\"message\":\"bad rate\","
                    + "\"details\":\"sample_rate\",\"request_id\":\"r-2\"}"))
        .isEqualTo(new DeepgramCodec.ErrorBody("INVALID_QUERY_PARAMETER", "bad rate", "r-2"));
    assertThat(body("{\"error_code\":\"Service Unavailable\"}"))
        .isEqualTo(
            new DeepgramCodec.ErrorBody(
                "Service Unavailable", "{\"error_code\":\"Service Unavailable\"}", null));
    assertThat(body("\"Payload size exceeds limit of 2 MB.\""))
        .isEqualTo(new DeepgramCodec.ErrorBody(null, "Payload size exceeds limit of 2 MB.", null));
    assertThat(body("<html>Bad Gateway</html>"))
        .isEqualTo(new DeepgramCodec.ErrorBody(null, "<html>Bad Gateway</html>", null));
    assertThat(body("")).isEqualTo(new DeepgramCodec.ErrorBody(null, "", null));
    assertThat(DeepgramCodec.errorBody(null))
        .isEqualTo(new DeepgramCodec.ErrorBody(null, "", null));
    assertThat(body("{\"err_msg\":\"" + "y".repeat(5_000) + "\"}").message()).hasSize(503);
  }

  private static DeepgramCodec.ErrorBody body(String s) {
    return DeepgramCodec.errorBody(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void closeReasonsStartWithTheirToken() {
    assertThat(
            DeepgramCodec.reasonCode(
                "DATA-0001 Too many input characters submitted in recent time window."))
        .isEqualTo("DATA-0001");
    assertThat(DeepgramCodec.reasonCode("NET-0003")).isEqualTo("NET-0003");
    assertThat(DeepgramCodec.reasonCode("  BIG-0001: input text")).isEqualTo("BIG-0001");
    assertThat(DeepgramCodec.reasonCode("Deepgram did not receive a message")).isNull();
    assertThat(DeepgramCodec.reasonCode("")).isNull();
    assertThat(DeepgramCodec.reasonCode(null)).isNull();
  }

  // ------------------------------------------------------------------ cutting long text

  @Test
  void shortTextIsNotCut() {
    assertThat(DeepgramCodec.cut("Hello there.", 2000, true)).isEqualTo(12);
    assertThat(DeepgramCodec.cut("x".repeat(2000), 2000, true)).isEqualTo(2000);
  }

  @Test
  void longTextIsCutAfterASentenceEndInTheSecondHalf() {
    String text = "a".repeat(60) + ". " + "b".repeat(30) + " " + "c".repeat(30);
    // limit 100: the sentence end (at 62) is in the second half: cut there
    assertThat(DeepgramCodec.cut(text, 100, true)).isEqualTo(62);
    assertThat(text.substring(0, 62)).endsWith(". ");
    // a sentence end in quotes counts too
    String quoted = "a".repeat(60) + ".\" " + "b".repeat(60);
    assertThat(DeepgramCodec.cut(quoted, 100, true)).isEqualTo(63);
    // a line break is a boundary
    String lines = "a".repeat(70) + "\n" + "b".repeat(60);
    assertThat(DeepgramCodec.cut(lines, 100, true)).isEqualTo(71);
  }

  @Test
  void otherwiseAfterTheLastSpaceNeverInsideAWord() {
    String text = "Dr. " + "word ".repeat(40);
    int cut = DeepgramCodec.cut(text, 100, true);
    assertThat(cut).isEqualTo(99); // "Dr. " is a sentence end only in the first half
    assertThat(text.charAt(cut - 1)).isEqualTo(' ');
    String early = "Hi. " + "longword ".repeat(20);
    // the sentence end at 4 is in the first half: the last space wins
    assertThat(DeepgramCodec.cut(early, 100, true)).isEqualTo(94);
  }

  @Test
  void aWordLongerThanTheLimitIsCutHardOnlyWhenAllowed() {
    String word = "x".repeat(150);
    assertThat(DeepgramCodec.cut(word, 100, true)).isEqualTo(100);
    assertThat(DeepgramCodec.cut(word, 100, false)).isZero();
    assertThat(DeepgramCodec.cut("hello world", 3, false)).isZero();
    assertThat(DeepgramCodec.cut("hello world", 0, true)).isZero();
  }

  @Test
  void aHardCutNeverSplitsASurrogatePair() {
    String text = "x".repeat(99) + "😀" + "y".repeat(10);
    int cut = DeepgramCodec.cut(text, 100, true);
    assertThat(cut).isEqualTo(99);
    assertThat(Character.isHighSurrogate(text.charAt(cut - 1))).isFalse();
  }

  @Test
  void piecesAreAtMost2000CharactersAndConcatenateToTheText() {
    Random random = new Random(42);
    String[] words = {"the", "quick", "brown", "fox.", "Jumps!", "over", "a", "lazy", "dog?", "é"};
    for (int round = 0; round < 50; round++) {
      StringBuilder b = new StringBuilder();
      int n = 500 + random.nextInt(3000);
      for (int i = 0; i < n; i++) {
        b.append(words[random.nextInt(words.length)]).append(random.nextInt(8) == 0 ? "\n" : " ");
      }
      String text = b.toString();
      List<String> pieces = new ArrayList<>();
      String rest = text;
      while (!rest.isEmpty()) {
        int cut = DeepgramCodec.cut(rest, DeepgramCodec.MAX_SPEAK_CHARS, true);
        assertThat(cut).isPositive().isLessThanOrEqualTo(DeepgramCodec.MAX_SPEAK_CHARS);
        pieces.add(rest.substring(0, cut));
        rest = rest.substring(cut);
      }
      assertThat(String.join("", pieces)).isEqualTo(text);
      for (int i = 0; i < pieces.size() - 1; i++) {
        String p = pieces.get(i);
        assertThat(Character.isWhitespace(p.charAt(p.length() - 1)))
            .as("piece %d ends at a word boundary", i)
            .isTrue();
      }
    }
  }

  @Test
  void speakableMeansALetterOrADigit() {
    assertThat(DeepgramCodec.speakable("Hi")).isTrue();
    assertThat(DeepgramCodec.speakable(" 42 ")).isTrue();
    assertThat(DeepgramCodec.speakable("日本")).isTrue();
    assertThat(DeepgramCodec.speakable("...")).isFalse();
    assertThat(DeepgramCodec.speakable("  \n")).isFalse();
    assertThat(DeepgramCodec.speakable("😀")).isFalse();
  }
}
