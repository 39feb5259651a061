package dev.voicebridge.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.elevenlabs.ElevenLabsOptions.PronunciationDictionary;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ElevenLabsCodecTest {

  static ElevenLabsRequest plan(
      String transport,
      ElevenLabsRequest.VoiceSettings vs,
      List<Integer> schedule,
      List<PronunciationDictionary> d) {
    return new ElevenLabsRequest(
        transport,
        "voice1",
        "eleven_flash_v2_5",
        AudioFormat.PCM_24K,
        "pcm_24000",
        vs,
        schedule,
        d,
        null,
        null,
        null,
        null,
        null,
        false,
        true,
        null,
        null,
        true,
        List.of());
  }

  static final ElevenLabsRequest FULL =
      plan(
          "websocket",
          new ElevenLabsRequest.VoiceSettings(0.5, 0.8, 0.0, false, 1.1),
          List.of(120, 160, 250, 290),
          List.of(new PronunciationDictionary("dict1", "v1")));

  static final ElevenLabsRequest BARE =
      plan(
          "websocket",
          new ElevenLabsRequest.VoiceSettings(null, null, null, null, null),
          null,
          null);

  // ------------------------------------------------------------ client messages

  @Test
  void initCarriesASpaceVoiceSettingsGenerationConfigAndDictionaries() {
    assertThat(ElevenLabsCodec.init(FULL))
        .isEqualTo(
            "{\"text\":\" \",\"voice_settings\":{\"stability\":0.5,\"similarity_boost\":0.8,"
                + "\"style\":0.0,\"use_speaker_boost\":false,\"speed\":1.1},"
                + "\"generation_config\":{\"chunk_length_schedule\":[120,160,250,290]},"
                + "\"pronunciation_dictionary_locators\":[{\"pronunciation_dictionary_id\":\"dict1\","
                + "\"version_id\":\"v1\"}]}");
  }

  @Test
  void initWithoutSettingsIsJustASpaceAndNeverCarriesTheKey() {
    assertThat(ElevenLabsCodec.init(BARE)).isEqualTo("{\"text\":\" \"}");
    assertThat(ElevenLabsCodec.init(FULL))
        .doesNotContain("xi_api_key")
        .doesNotContain("xi-api-key");
  }

  @Test
  void textFlushKeepAliveAndEndOfInput() {
    assertThat(ElevenLabsCodec.text("Hello world ")).isEqualTo("{\"text\":\"Hello world \"}");
    assertThat(ElevenLabsCodec.flush("tail ")).isEqualTo("{\"text\":\"tail \",\"flush\":true}");
    assertThat(ElevenLabsCodec.flush(null)).isEqualTo("{\"text\":\" \",\"flush\":true}");
    assertThat(ElevenLabsCodec.keepAlive()).isEqualTo("{\"text\":\" \"}");
    assertThat(ElevenLabsCodec.endOfInput()).isEqualTo("{\"text\":\"\"}");
  }

  @Test
  void textIsEscapedAsJson() {
    assertThat(ElevenLabsCodec.text("say \"hi\"\n\u00e9 "))
        .isEqualTo("{\"text\":\"say \\\"hi\\\"\\n\u00e9 \"}");
  }

  @Test
  void multiContextMessages() {
    assertThat(ElevenLabsCodec.contextInit("c1", FULL))
        .startsWith("{\"text\":\" \",\"context_id\":\"c1\",\"voice_settings\":{")
        .contains("\"generation_config\":{\"chunk_length_schedule\":[120,160,250,290]}");
    assertThat(ElevenLabsCodec.contextInit("c1", BARE))
        .isEqualTo("{\"text\":\" \",\"context_id\":\"c1\"}");
    assertThat(ElevenLabsCodec.contextText("c1", "more text "))
        .isEqualTo("{\"text\":\"more text \",\"context_id\":\"c1\"}");
    assertThat(ElevenLabsCodec.contextFlush("c1", "tail "))
        .isEqualTo("{\"text\":\"tail \",\"context_id\":\"c1\",\"flush\":true}");
    assertThat(ElevenLabsCodec.contextFlush("c1", null))
        .isEqualTo("{\"context_id\":\"c1\",\"flush\":true}");
    assertThat(ElevenLabsCodec.closeContext("c1"))
        .isEqualTo("{\"context_id\":\"c1\",\"close_context\":true}");
    assertThat(ElevenLabsCodec.contextKeepAlive("c1"))
        .isEqualTo("{\"text\":\"\",\"context_id\":\"c1\"}");
    assertThat(ElevenLabsCodec.closeSocket()).isEqualTo("{\"close_socket\":true}");
  }

  @Test
  void httpBody() {
    ElevenLabsRequest p =
        new ElevenLabsRequest(
            "http",
            "v",
            "eleven_multilingual_v2",
            AudioFormat.PCM_24K,
            "pcm_24000",
            new ElevenLabsRequest.VoiceSettings(0.3, null, null, null, null),
            null,
            List.of(new PronunciationDictionary("d", "1")),
            null,
            null,
            "off",
            "de",
            42L,
            false,
            false,
            null,
            null,
            true,
            List.of());
    assertThat(ElevenLabsCodec.httpBody(p, "Hallo Welt.", "Vorher."))
        .isEqualTo(
            "{\"text\":\"Hallo Welt.\",\"model_id\":\"eleven_multilingual_v2\","
                + "\"voice_settings\":{\"stability\":0.3},\"language_code\":\"de\",\"seed\":42,"
                + "\"apply_text_normalization\":\"off\",\"pronunciation_dictionary_locators\":"
                + "[{\"pronunciation_dictionary_id\":\"d\",\"version_id\":\"1\"}],"
                + "\"previous_text\":\"Vorher.\"}");
    assertThat(ElevenLabsCodec.httpBody(BARE, "Hi.", null))
        .isEqualTo("{\"text\":\"Hi.\",\"model_id\":\"eleven_flash_v2_5\"}");
  }

  // ------------------------------------------------------------ server frames

  @Test
  void audioFrameWithBothAlignments() {
    ServerFrame f =
        ElevenLabsCodec.decodeFrame(
            "{\"audio\":\"AAEC\",\"isFinal\":null,"
                + "\"normalizedAlignment\":{\"chars\":[\" \",\"H\",\"i\",\" \"],"
                + "\"charStartTimesMs\":[0,70,104,150],\"charDurationsMs\":[70,34,46,20]},"
                + "\"alignment\":{\"chars\":[\"H\",\"i\",\" \"],"
                + "\"charStartTimesMs\":[0,104,150],\"charDurationsMs\":[104,46,20]}}");
    assertThat(f.audio()).containsExactly(0, 1, 2);
    assertThat(f.isFinal()).isFalse();
    assertThat(f.isError()).isFalse();
    assertThat(f.alignment().chars()).containsExactly("H", "i", " ");
    assertThat(f.alignment().startMs()).containsExactly(0, 104, 150);
    assertThat(f.alignment().durationMs()).containsExactly(104, 46, 20);
    assertThat(f.normalizedAlignment().chars()).containsExactly(" ", "H", "i", " ");
  }

  @Test
  void oldSpellingCharsDurationsMsIsAccepted() {
    ServerFrame f =
        ElevenLabsCodec.decodeFrame(
            "{\"audio\":\"AA==\",\"alignment\":{\"chars\":[\"a\"],\"charStartTimesMs\":[5],"
                + "\"charsDurationsMs\":[7]}}");
    assertThat(f.alignment().durationMs()).containsExactly(7);
  }

  @Test
  void finalFrames() {
    assertThat(ElevenLabsCodec.decodeFrame("{\"isFinal\":true}").isFinal()).isTrue();
    ServerFrame f = ElevenLabsCodec.decodeFrame("{\"audio\":null,\"isFinal\":true}");
    assertThat(f.isFinal()).isTrue();
    assertThat(f.audio()).isNull();
    ServerFrame m = ElevenLabsCodec.decodeFrame("{\"isFinal\":true,\"contextId\":\"c1\"}");
    assertThat(m.contextId()).isEqualTo("c1");
    ServerFrame s = ElevenLabsCodec.decodeFrame("{\"is_final\":true,\"context_id\":\"c2\"}");
    assertThat(s.isFinal()).isTrue();
    assertThat(s.contextId()).isEqualTo("c2");
    assertThat(ElevenLabsCodec.decodeFrame("{\"audio\":\"AA==\",\"isFinal\":false}").isFinal())
        .isFalse();
  }

  @Test
  void multiContextAudioWithSnakeCaseId() {
    ServerFrame f = ElevenLabsCodec.decodeFrame("{\"audio\":\"AAE=\",\"context_id\":\"vb-3\"}");
    assertThat(f.contextId()).isEqualTo("vb-3");
    assertThat(f.audio()).containsExactly(0, 1);
  }

  @Test
  void flushDoneIsNeitherAudioNorError() {
    ServerFrame f =
        ElevenLabsCodec.decodeFrame(
            "{\"type\":\"flush_done\",\"context_id\":\"c1\",\"status_code\":206,\"done\":false,"
                + "\"data\":\"\",\"flush_done\":true}");
    assertThat(f.audio()).isNull();
    assertThat(f.isError()).isFalse();
    assertThat(f.isFinal()).isFalse();
  }

  @Test
  void errorFrames() {
    ServerFrame f =
        ElevenLabsCodec.decodeFrame(
            "{\"message\":\"Invalid API key\",\"error\":\"invalid_api_key\",\"code\":1008}");
    assertThat(f.isError()).isTrue();
    assertThat(f.error()).isEqualTo("invalid_api_key");
    assertThat(f.message()).isEqualTo("Invalid API key");
    assertThat(f.code()).isEqualTo(1008);
    assertThat(ElevenLabsCodec.decodeFrame("{\"message\":\"something\"}").isError()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{not json",
        "",
        "[1,2]",
        "\"text\"",
        "{\"audio\":\"%%%not base64\"}",
        "{\"audio\":17}",
        "{\"audio\":\"AA==\",\"alignment\":{\"chars\":[\"a\",\"b\"],\"charStartTimesMs\":[0],"
            + "\"charDurationsMs\":[1,2]}}",
        "{\"audio\":\"AA==\",\"alignment\":{\"chars\":[1],\"charStartTimesMs\":[0],"
            + "\"charDurationsMs\":[1]}}",
        "{\"audio\":\"AA==\",\"alignment\":{\"chars\":[\"a\"],\"charStartTimesMs\":[\"x\"],"
            + "\"charDurationsMs\":[1]}}",
        "{\"audio\":\"AA==\",\"alignment\":[]}",
        "{\"audio\":\"AA==\",\"alignment\":{\"chars\":[\"a\"],\"charStartTimesMs\":[-5],"
            + "\"charDurationsMs\":[1]}}",
        "{\"audio\":\"AA==\",\"isFinal\":true",
      })
  void malformedFramesAreProtocolExceptions(String frame) {
    assertThatThrownBy(() -> ElevenLabsCodec.decodeFrame(frame))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("[elevenlabs]");
  }

  // ------------------------------------------------------------ in-place base64

  private static String b64(byte[] b) {
    return java.util.Base64.getEncoder().encodeToString(b);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new java.util.Random(n).nextBytes(b);
    return b;
  }

  private static String escapeFirst(String b64) {
    return String.format("\\u%04x", (int) b64.charAt(0)) + b64.substring(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 100, 4800, 32768})
  void everyShapeOfAFrameDecodesTheSameAudio(int size) {
    byte[] audio = random(size);
    String b = b64(audio);
    String unpadded = b.replace("=", "");
    for (String frame :
        List.of(
            "{\"audio\":\"" + b + "\",\"isFinal\":null,\"alignment\":null}",
            " { \"audio\" :\t\"" + b + "\" , \"isFinal\" : false }",
            "{\"isFinal\":false,\"audio\":\"" + b + "\"}",
            "{\"audio\":\"" + unpadded + "\"}",
            "{\"audio\":\"" + escapeFirst(b) + "\"}",
            "{\"audio\":\"AAAA\",\"audio\":\"" + b + "\"}")) {
      assertThat(ElevenLabsCodec.decodeFrame(frame).audio()).as(frame).isEqualTo(audio);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 100, 4800, 32768})
  void everyShapeOfALineDecodesTheSameAudioFromTextAndBytes(int size) {
    byte[] audio = random(size);
    String b = b64(audio);
    for (String line :
        List.of(
            "{\"audio_base64\":\"" + b + "\",\"alignment\":null,\"normalized_alignment\":null}",
            "{ \"audio_base64\" : \"" + b + "\" }",
            "{\"alignment\":null,\"audio_base64\":\"" + b + "\"}",
            "{\"audio_base_64\":\"" + b + "\"}",
            "{\"audio_base64\":\"" + escapeFirst(b) + "\"}")) {
      assertThat(ElevenLabsCodec.decodeTimestampLine(line).audio()).as(line).isEqualTo(audio);
      byte[] framed = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
      assertThat(ElevenLabsCodec.decodeTimestampLine(framed, 2, framed.length - 2).audio())
          .as(line)
          .isEqualTo(audio);
    }
  }

  @Test
  void aLineFromBytesCarriesItsAlignmentAndErrors() {
    byte[] line =
        ("{\"audio_base64\":\"AAE=\",\"alignment\":{\"characters\":[\"H\",\"\u00e9\"],"
                + "\"character_start_times_seconds\":[0,0.1],"
                + "\"character_end_times_seconds\":[0.1,0.25]}}")
            .getBytes(StandardCharsets.UTF_8);
    ElevenLabsCodec.TimestampChunk c = ElevenLabsCodec.decodeTimestampLine(line, 0, line.length);
    assertThat(c.audio()).containsExactly(0, 1);
    assertThat(c.alignment().chars()).containsExactly("H", "\u00e9");
    byte[] error =
        "{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}"
            .getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ElevenLabsCodec.decodeTimestampLine(error, 0, error.length))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("Invalid API key");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "AAA*",
        "AA=",
        "A",
        "A===",
        "AA\u00e9=",
        "AA\u0141A",
        "AAAA=AAA",
        "AAE=\" junk",
        "AAE=\",\"isFinal\":tru}",
        "AAE=\",\"alignment\":7,\"x\":\"",
        "AAE=\",\"x\":[}"
      })
  void malformedAudioIsAProtocolExceptionOnEveryPath(String value) {
    assertThatThrownBy(() -> ElevenLabsCodec.decodeFrame("{\"audio\":\"" + value + "\"}"))
        .isInstanceOf(ProtocolException.class);
    String line = "{\"audio_base64\":\"" + value + "\"}";
    assertThatThrownBy(() -> ElevenLabsCodec.decodeTimestampLine(line))
        .isInstanceOf(ProtocolException.class);
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> ElevenLabsCodec.decodeTimestampLine(bytes, 0, bytes.length))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void emptyAudioIsNoAudio() {
    assertThat(ElevenLabsCodec.decodeFrame("{\"audio\":\"\",\"isFinal\":true}").audio()).isNull();
    assertThat(ElevenLabsCodec.decodeTimestampLine("{\"audio_base64\":\"\"}").audio()).isNull();
  }

  // ------------------------------------------------------------ HTTP

  @Test
  void timestampLineInSeconds() {
    ElevenLabsCodec.TimestampChunk c =
        ElevenLabsCodec.decodeTimestampLine(
            "{\"audio_base64\":\"AAE=\",\"alignment\":{\"characters\":[\"H\",\"e\"],"
                + "\"character_start_times_seconds\":[0,0.1],"
                + "\"character_end_times_seconds\":[0.1,0.25]},\"normalized_alignment\":null}");
    assertThat(c.audio()).containsExactly(0, 1);
    assertThat(c.alignment().chars()).containsExactly("H", "e");
    assertThat(c.alignment().startMs()).containsExactly(0, 100);
    assertThat(c.alignment().durationMs()[1])
        .isCloseTo(150, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(c.normalizedAlignment()).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"audio_base64\":\"!!\"}",
        "nope",
        "{\"audio_base64\":\"AA==\",\"alignment\":{\"characters\":[\"a\"],"
            + "\"character_start_times_seconds\":[0,1],\"character_end_times_seconds\":[1]}}"
      })
  void malformedTimestampLinesAreProtocolExceptions(String line) {
    assertThatThrownBy(() -> ElevenLabsCodec.decodeTimestampLine(line))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void anErrorInsideATimestampStreamIsAProviderError() {
    assertThatThrownBy(
            () ->
                ElevenLabsCodec.decodeTimestampLine(
                    "{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("Invalid API key");
  }

  @Test
  void httpErrorBodies() {
    ElevenLabsCodec.HttpError e =
        ElevenLabsCodec.decodeHttpError(
            "{\"detail\":{\"status\":\"quota_exceeded\",\"message\":\"This request exceeds your"
                + " quota of 10000.\"}}");
    assertThat(e.status()).isEqualTo("quota_exceeded");
    assertThat(e.message()).isEqualTo("This request exceeds your quota of 10000.");
    ElevenLabsCodec.HttpError v =
        ElevenLabsCodec.decodeHttpError(
            "{\"detail\":[{\"type\":\"float_type\",\"loc\":[\"body\",\"voice_settings\","
                + "\"stability\"],\"msg\":\"Input should be a valid number\",\"input\":null},"
                + "{\"loc\":[\"body\",\"text\"],\"msg\":\"Field required\"}]}");
    assertThat(v.status()).isEqualTo("validation_error");
    assertThat(v.message())
        .isEqualTo(
            "validation failed: body.voice_settings.stability: Input should be a valid number;"
                + " body.text: Field required");
    assertThat(ElevenLabsCodec.decodeHttpError("<html>Bad Gateway</html>").message())
        .isEqualTo("<html>Bad Gateway</html>");
    assertThat(ElevenLabsCodec.decodeHttpError("").message()).isEmpty();
    assertThat(
            ElevenLabsCodec.decodeHttpError(
                    new String(new byte[] {'{', (byte) 0xff}, StandardCharsets.ISO_8859_1))
                .status())
        .isNull();
  }
}
