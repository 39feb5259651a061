package dev.voicebridge.smallest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.smallest.internal.SmallestCodec.Chunk;
import dev.voicebridge.smallest.internal.SmallestCodec.Complete;
import dev.voicebridge.smallest.internal.SmallestCodec.ErrorFrame;
import dev.voicebridge.smallest.internal.SmallestCodec.SseData;
import dev.voicebridge.smallest.internal.SmallestCodec.SseError;
import dev.voicebridge.smallest.internal.SmallestCodec.Unknown;
import dev.voicebridge.smallest.internal.SmallestCodec.WordTimestamp;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmallestCodecTest {
  private static final SmallestRequest MINIMAL =
      SmallestRequest.minimal("meher", "lightning_v3.1", 24000);
  private static final SmallestRequest FULL =
      new SmallestRequest(
          "liam",
          "lightning_v3.1_pro",
          "hi",
          44100,
          1.25,
          200,
          50,
          true,
          "sess-1",
          "req_2.a",
          List.of("dict1", "dict2"),
          "en",
          false);

  @Nested
  class ClientMessages {
    @Test
    void textMessageWithOnlyRequiredFields() {
      assertThat(SmallestCodec.textMessage(MINIMAL, "Hello "))
          .isEqualTo(
              "{\"voice_id\":\"meher\",\"text\":\"Hello \",\"model\":\"lightning_v3.1\","
                  + "\"sample_rate\":24000,\"continue\":true,\"flush\":false}");
    }

    @Test
    void flushMessageCarriesEmptyText() {
      assertThat(SmallestCodec.flushMessage(MINIMAL))
          .isEqualTo(
              "{\"voice_id\":\"meher\",\"text\":\"\",\"model\":\"lightning_v3.1\","
                  + "\"sample_rate\":24000,\"continue\":false,\"flush\":true}");
    }

    @Test
    void textMessageWithEveryOptionalField() {
      assertThat(SmallestCodec.textMessage(FULL, "नमस्ते \"world\""))
          .isEqualTo(
              "{\"voice_id\":\"liam\",\"text\":\"नमस्ते \\\"world\\\"\","
                  + "\"model\":\"lightning_v3.1_pro\",\"language\":\"hi\",\"sample_rate\":44100,"
                  + "\"speed\":1.25,\"max_buffer_flush_ms\":200,\"complete_backoff_ms\":50,"
                  + "\"word_timestamps\":true,\"session_id\":\"sess-1\",\"request_id\":\"req_2.a\","
                  + "\"pronunciation_dicts\":[\"dict1\",\"dict2\"],"
                  + "\"number_pronunciation_language\":\"en\",\"math_notation\":false,"
                  + "\"continue\":true,\"flush\":false}");
    }

    @Test
    void sseBodyHasNoStreamingFieldsAndAsksForPcm() {
      assertThat(SmallestCodec.sseBody(MINIMAL, "Hi."))
          .isEqualTo(
              "{\"voice_id\":\"meher\",\"text\":\"Hi.\",\"model\":\"lightning_v3.1\","
                  + "\"sample_rate\":24000,\"output_format\":\"pcm\"}");
      assertThat(SmallestCodec.sseBody(FULL, "Hi."))
          .isEqualTo(
              "{\"voice_id\":\"liam\",\"text\":\"Hi.\",\"model\":\"lightning_v3.1_pro\","
                  + "\"language\":\"hi\",\"sample_rate\":44100,\"speed\":1.25,"
                  + "\"session_id\":\"sess-1\",\"request_id\":\"req_2.a\","
                  + "\"pronunciation_dicts\":[\"dict1\",\"dict2\"],"
                  + "\"number_pronunciation_language\":\"en\",\"math_notation\":false,"
                  + "\"output_format\":\"pcm\"}");
    }
  }

  @Nested
  class WebSocketFrames {
    private final String b64 = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});

    @Test
    void currentChunkShape() {
      var f =
          SmallestCodec.decodeWs(
              "{\"session_id\":\"ws_550e8400-e29b\",\"request_id\":\"task_6ba7b810-9dad\","
                  + "\"external_session_id\":\"my-session-123\","
                  + "\"external_request_id\":\"my-request-456\",\"status\":\"chunk\","
                  + "\"data\":{\"audio\":\""
                  + b64
                  + "\"}}");
      assertThat(f).isInstanceOf(Chunk.class);
      assertThat(((Chunk) f).requestId()).isEqualTo("task_6ba7b810-9dad");
      assertThat(((Chunk) f).audio()).containsExactly(1, 2, 3, 4);
    }

    @Test
    void olderChunkShapeAndExtraDataFields() {
      var f =
          SmallestCodec.decodeWs(
              "{\"request_id\":\"r\",\"status\":\"chunk\",\"data\":{\"audio\":\""
                  + b64
                  + "\",\"format\":\"pcm\",\"sample_rate\":24000}}");
      assertThat(((Chunk) f).audio()).containsExactly(1, 2, 3, 4);
      var minimal = SmallestCodec.decodeWs("{\"status\":\"chunk\",\"data\":{\"audio\":\"\"}}");
      assertThat(((Chunk) minimal).requestId()).isNull();
      assertThat(((Chunk) minimal).audio()).isEmpty();
    }

    @Test
    void wordTimestamp() {
      var f =
          SmallestCodec.decodeWs(
              "{\"session_id\":\"ws_1\",\"request_id\":\"task_1\",\"status\":\"word_timestamp\","
                  + "\"data\":{\"id\":5,\"word\":\"$100\",\"start\":1.12,\"end\":1.92}}");
      assertThat(f).isEqualTo(new WordTimestamp("task_1", "$100", 1.12, 1.92));
    }

    @Test
    void currentCompleteShape() {
      assertThat(
              SmallestCodec.decodeWs(
                  "{\"session_id\":\"ws_1\",\"request_id\":\"task_1\",\"status\":\"complete\"}"))
          .isEqualTo(new Complete("task_1"));
    }

    @Test
    void legacyCompleteShapes() {
      assertThat(
              SmallestCodec.decodeWs(
                  "{\"request_id\":\"r\",\"status\":\"complete\",\"message\":\"All chunks sent\","
                      + "\"done\":true}"))
          .isEqualTo(new Complete("r"));
      assertThat(SmallestCodec.decodeWs("{\"status\":\"complete\",\"done\":true}"))
          .isEqualTo(new Complete(null));
      assertThat(SmallestCodec.decodeWs("{\"done\":true}")).isEqualTo(new Complete(null));
    }

    @Test
    void errorWithTopLevelMessage() {
      assertThat(
              SmallestCodec.decodeWs(
                  "{\"status\":\"error\",\"message\":\"Connection timed out after 60 seconds of"
                      + " inactivity\"}"))
          .isEqualTo(new ErrorFrame("Connection timed out after 60 seconds of inactivity", null));
    }

    @Test
    void errorWithNestedObject() {
      assertThat(
              SmallestCodec.decodeWs(
                  "{\"status\":\"error\",\"error\":{\"message\":\"bad voice\",\"code\":400}}"))
          .isEqualTo(new ErrorFrame("bad voice", "400"));
      assertThat(
              SmallestCodec.decodeWs(
                  "{\"status\":\"error\",\"message\":\"m\",\"error\":{\"message\":\"x\","
                      + "\"code\":\"rate_limited\"}}"))
          .isEqualTo(new ErrorFrame("m", "rate_limited"));
      assertThat(SmallestCodec.decodeWs("{\"error\":{\"message\":\"no status\"}}"))
          .isEqualTo(new ErrorFrame("no status", null));
      assertThat(SmallestCodec.decodeWs("{\"status\":\"error\"}"))
          .isEqualTo(new ErrorFrame("error frame without a message", null));
    }

    @Test
    void unknownStatusIsReportedNotFatal() {
      assertThat(SmallestCodec.decodeWs("{\"status\":\"queued\"}"))
          .isEqualTo(new Unknown("queued"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          "not json",
          "{\"status\":\"chunk\"",
          "[1,2]",
          "\"chunk\"",
          "{\"status\":\"chunk\"} trailing",
          "{\"status\":7}",
          "{\"request_id\":\"r\"}",
          "{\"status\":\"chunk\"}",
          "{\"status\":\"chunk\",\"data\":{}}",
          "{\"status\":\"chunk\",\"data\":{\"audio\":5}}",
          "{\"status\":\"chunk\",\"data\":{\"audio\":\"!!!notbase64\"}}",
          "{\"status\":\"chunk\",\"data\":{\"audio\":\"AQID=\"}}",
          "{\"status\":\"word_timestamp\"}",
          "{\"status\":\"word_timestamp\",\"data\":{\"word\":\"a\",\"start\":\"1\",\"end\":2}}",
          "{\"status\":\"word_timestamp\",\"data\":{\"word\":\"a\",\"start\":2,\"end\":1}}",
          "{\"status\":\"word_timestamp\",\"data\":{\"word\":\"a\",\"start\":-1,\"end\":1}}",
          "{\"status\":\"word_timestamp\",\"data\":{\"start\":0,\"end\":1}}"
        })
    void malformedFramesAreProtocolErrors(String frame) {
      assertThatThrownBy(() -> SmallestCodec.decodeWs(frame))
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("[smallest]");
    }

    @Test
    void base64WithLineBreaksIsAccepted() {
      var f = SmallestCodec.decodeWs("{\"status\":\"chunk\",\"data\":{\"audio\":\"AQ\\r\\nID\"}}");
      assertThat(((Chunk) f).audio()).containsExactly(1, 2, 3);
    }
  }

  @Nested
  class SseFrames {
    private final String b64 = Base64.getEncoder().encodeToString(new byte[] {9, 8});

    @Test
    void currentAudioAndTerminatorWithStringStatuses() {
      SseData audio =
          (SseData)
              SmallestCodec.decodeSse(
                  "audio", "{\"audio\": \"" + b64 + "\", \"done\": false, \"status\": \"206\"}");
      assertThat(audio.audio()).containsExactly(9, 8);
      assertThat(audio.done()).isFalse();
      SseData done =
          (SseData) SmallestCodec.decodeSse("message", "{\"status\": \"200\", \"done\": true}");
      assertThat(done.audio()).isNull();
      assertThat(done.done()).isTrue();
    }

    @Test
    void legacyShapes() {
      assertThat(
              ((SseData) SmallestCodec.decodeSse("message", "{\"audio\":\"" + b64 + "\"}")).audio())
          .containsExactly(9, 8);
      assertThat(((SseData) SmallestCodec.decodeSse("message", "{\"done\":true}")).done()).isTrue();
      assertThat(((SseData) SmallestCodec.decodeSse("message", "{\"done\":\"true\"}")).done())
          .isTrue();
      assertThat(
              ((SseData) SmallestCodec.decodeSse("message", "{\"status\":200,\"done\":true}"))
                  .done())
          .isTrue();
    }

    @Test
    void blankDataIsNothing() {
      assertThat(SmallestCodec.decodeSse("message", "")).isEqualTo(new SseData(null, false));
    }

    @Test
    void errorsInsideTheStream() {
      assertThat(
              SmallestCodec.decodeSse(
                  "message",
                  "{\"request_id\":\"r\",\"status\":\"error\",\"message\":\"Error message\","
                      + "\"errors\":[]}"))
          .isEqualTo(new SseError(-1, "Error message", null));
      assertThat(SmallestCodec.decodeSse("message", "{\"status\":\"500\",\"message\":\"boom\"}"))
          .isEqualTo(new SseError(500, "boom", null));
      assertThat(
              SmallestCodec.decodeSse(
                  "error", "{\"error\":\"TooManyRequests\",\"message\":\"slow down\"}"))
          .isEqualTo(new SseError(-1, "slow down", "TooManyRequests"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "[]", "{\"audio\":1}", "{\"audio\":\"@@@\"}"})
    void malformedDataIsAProtocolError(String data) {
      assertThatThrownBy(() -> SmallestCodec.decodeSse("audio", data))
          .isInstanceOf(ProtocolException.class);
    }
  }

  @Nested
  class HttpErrorBodies {
    @Test
    void typeAndMessage() {
      assertThat(
              SmallestCodec.httpError(
                  "{\"error\":\"InvalidRequest\",\"message\":\"The 'text' field is required.\"}"))
          .containsExactly("The 'text' field is required.", "InvalidRequest");
    }

    @Test
    void modelDeprecatedNamesTheRecommendedEndpoint() {
      String[] mc =
          SmallestCodec.httpError(
              "{\"status\":\"error\",\"error_code\":\"MODEL_DEPRECATED\",\"message\":\"This model"
                  + " is retired.\",\"recommended_endpoint\":\"/waves/v1/lightning-v3.1/get_speech\"}");
      assertThat(mc[0])
          .isEqualTo(
              "This model is retired. (recommended endpoint: /waves/v1/lightning-v3.1/get_speech)");
      assertThat(mc[1]).isEqualTo("MODEL_DEPRECATED");
    }

    @Test
    void nonJsonAndEmptyBodies() {
      assertThat(SmallestCodec.httpError("Bad Gateway")).containsExactly("Bad Gateway", null);
      assertThat(SmallestCodec.httpError("")).containsExactly("(empty body)", null);
      assertThat(SmallestCodec.httpError("x".repeat(2000))[0]).hasSizeLessThan(600);
    }
  }
}
