package dev.voicebridge.cartesia.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.cartesia.CartesiaOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden wire tests: every client message and every server frame, as the protocol note has them.
 */
class CartesiaCodecTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CartesiaRequest plan(Map<String, String> config, SynthesisOptions options) {
    return CartesiaRequest.plan(options, Harness.settings(config));
  }

  private static String config(SynthesisOptions options) {
    return CartesiaCodec.config(plan(Map.of("voice", "voice-123"), options));
  }

  // ------------------------------------------------------------------ client messages

  @Test
  void aContinuationCarriesTheFullConfigurationTheTranscriptAndContinue() {
    String cfg = config(SynthesisOptions.defaults());
    assertThat(CartesiaCodec.continuation(cfg, "ctx-1", "Hello "))
        .isEqualTo(
            "{\"model_id\":\"sonic-3\",\"voice\":\"voice-123\",\"output_format\":{\"container\":"
                + "\"raw\",\"encoding\":\"pcm_s16le\",\"sample_rate\":24000},\"add_timestamps\":true,"
                + "\"transcript\":\"Hello \",\"context_id\":\"ctx-1\",\"continue\":true}");
  }

  @Test
  void flushFinishAndCancelAreTheirOwnMessages() {
    String cfg = config(SynthesisOptions.defaults());
    String common =
        "\"model_id\":\"sonic-3\",\"voice\":\"voice-123\",\"output_format\":{\"container\":"
            + "\"raw\",\"encoding\":\"pcm_s16le\",\"sample_rate\":24000},\"add_timestamps\":true";
    assertThat(CartesiaCodec.flush(cfg, "ctx-1"))
        .isEqualTo(
            "{"
                + common
                + ",\"transcript\":\"\",\"context_id\":\"ctx-1\",\"continue\":true,\"flush\":true}");
    assertThat(CartesiaCodec.finish(cfg, "ctx-1"))
        .isEqualTo(
            "{" + common + ",\"transcript\":\"\",\"context_id\":\"ctx-1\",\"continue\":false}");
    assertThat(CartesiaCodec.cancel("ctx-1"))
        .isEqualTo("{\"context_id\":\"ctx-1\",\"cancel\":true}");
  }

  @Test
  void everyOptionHasItsField() throws Exception {
    SynthesisOptions o =
        SynthesisOptions.builder()
            .format(AudioFormat.mulaw(8000))
            .model("sonic-3.5")
            .set(CartesiaOptions.LOCALE, "en-GB")
            .set(CartesiaOptions.SPEED, 1.1)
            .set(CartesiaOptions.VOLUME, 0.8)
            .set(CartesiaOptions.EMOTION, "calm")
            .set(CartesiaOptions.MAX_BUFFER_DELAY_MS, 0)
            .set(CartesiaOptions.PRONUNCIATION_DICT_ID, "dict-1")
            .set(CartesiaOptions.NORMALIZED_TIMESTAMPS, false)
            .set(CartesiaOptions.PHONEME_TIMINGS, t -> {})
            .build();
    JsonNode n = JSON.readTree(CartesiaCodec.continuation(config(o), "c", "x"));
    assertThat(n.get("model_id").asText()).isEqualTo("sonic-3.5");
    assertThat(n.get("output_format").toString())
        .isEqualTo("{\"container\":\"raw\",\"encoding\":\"pcm_mulaw\",\"sample_rate\":8000}");
    assertThat(n.get("locale").asText()).isEqualTo("en-GB");
    assertThat(n.has("language")).isFalse();
    assertThat(n.get("generation_config").toString())
        .isEqualTo("{\"speed\":1.1,\"volume\":0.8,\"emotion\":\"calm\"}");
    assertThat(n.get("max_buffer_delay_ms").asInt()).isZero();
    assertThat(n.get("pronunciation_dict_id").asText()).isEqualTo("dict-1");
    assertThat(n.get("add_timestamps").asBoolean()).isTrue();
    assertThat(n.get("add_phoneme_timestamps").asBoolean()).isTrue();
    assertThat(n.get("use_normalized_timestamps").asBoolean()).isFalse();
  }

  @Test
  void theVoiceShapeFollowsTheVersion() throws Exception {
    for (String v : List.of("2024-06-10", "2024-11-13", "2025-04-16", "2025-11-04", "2026-03-01")) {
      String cfg =
          CartesiaCodec.config(
              plan(Map.of("version", v, "voice", "vid"), SynthesisOptions.defaults()));
      assertThat(JSON.readTree("{" + cfg + "}").get("voice").toString())
          .as(v)
          .isEqualTo("{\"mode\":\"id\",\"id\":\"vid\"}");
    }
    String cfg =
        CartesiaCodec.config(
            plan(Map.of("version", "2026-08-14", "voice", "vid"), SynthesisOptions.defaults()));
    assertThat(JSON.readTree("{" + cfg + "}").get("voice").asText()).isEqualTo("vid");
  }

  @Test
  void theHttpBodyHasNoContextFieldsAndNoBufferDelay() throws Exception {
    CartesiaRequest r =
        plan(
            Map.of("transport", "sse"),
            SynthesisOptions.builder().set(CartesiaOptions.MAX_BUFFER_DELAY_MS, 10).build());
    JsonNode n = JSON.readTree(CartesiaCodec.httpBody(CartesiaCodec.config(r), "Hi \"there\"\n"));
    assertThat(n.get("transcript").asText()).isEqualTo("Hi \"there\"\n");
    assertThat(n.has("context_id")).isFalse();
    assertThat(n.has("continue")).isFalse();
    assertThat(n.has("max_buffer_delay_ms")).isFalse();
    assertThat(n.get("add_timestamps").asBoolean()).isTrue();
    CartesiaRequest bytes = plan(Map.of("transport", "bytes"), SynthesisOptions.defaults());
    assertThat(CartesiaCodec.config(bytes)).doesNotContain("timestamps");
  }

  @Test
  void transcriptsAndIdsAreEscaped() throws Exception {
    String cfg = config(SynthesisOptions.defaults());
    String msg = CartesiaCodec.continuation(cfg, "a\"b", "line\nbreak \\ \"quote\" \u0001 é 😀");
    JsonNode n = JSON.readTree(msg);
    assertThat(n.get("transcript").asText()).isEqualTo("line\nbreak \\ \"quote\" \u0001 é 😀");
    assertThat(n.get("context_id").asText()).isEqualTo("a\"b");
  }

  // ------------------------------------------------------------------ server frames

  @Test
  void aChunk() {
    ServerFrame f =
        CartesiaCodec.decodeFrame(
            "{\"type\":\"chunk\",\"data\":\"AQID\",\"done\":false,\"status_code\":206,"
                + "\"step_time\":123,\"context_id\":\"happy-monkeys-fly\",\"flush_id\":1}");
    assertThat(f.type()).isEqualTo(ServerFrame.Type.CHUNK);
    assertThat(f.audio()).containsExactly(1, 2, 3);
    assertThat(f.contextId()).isEqualTo("happy-monkeys-fly");
    assertThat(f.flushId()).isEqualTo(1);
    assertThat(f.statusCode()).isEqualTo(206);
    // unpadded base64 and an empty chunk are audio too
    assertThat(CartesiaCodec.decodeFrame("{\"type\":\"chunk\",\"data\":\"AQI\"}").audio())
        .containsExactly(1, 2);
    assertThat(CartesiaCodec.decodeFrame("{\"type\":\"chunk\",\"data\":\"\"}").audio()).isEmpty();
  }

  @Test
  void wordAndPhonemeTimestamps() {
    ServerFrame w =
        CartesiaCodec.decodeFrame(
            "{\"type\":\"timestamps\",\"done\":false,\"status_code\":206,\"context_id\":\"c\","
                + "\"flush_id\":1,\"word_timestamps\":{\"words\":[\"Hello\",\"world\"],"
                + "\"start\":[0,0.5],\"end\":[0.4,0.9]}}");
    assertThat(w.type()).isEqualTo(ServerFrame.Type.TIMESTAMPS);
    assertThat(w.words().items()).containsExactly("Hello", "world");
    assertThat(w.words().start()).containsExactly(0, 0.5);
    assertThat(w.words().end()).containsExactly(0.4, 0.9);
    ServerFrame p =
        CartesiaCodec.decodeFrame(
            "{\"type\":\"phoneme_timestamps\",\"done\":false,\"status_code\":206,\"context_id\":"
                + "\"c\",\"phoneme_timestamps\":{\"phonemes\":[\"h\",\"ə\",\"l\",\"oʊ\"],"
                + "\"start\":[0.093,0.174,0.255,0.337],\"end\":[0.174,0.255,0.337,0.418]}}");
    assertThat(p.type()).isEqualTo(ServerFrame.Type.PHONEME_TIMESTAMPS);
    assertThat(p.phonemes().items()).containsExactly("h", "ə", "l", "oʊ");
    assertThat(p.phonemes().end()[3]).isEqualTo(0.418);
  }

  @Test
  void flushDoneAndDone() {
    ServerFrame fd =
        CartesiaCodec.decodeFrame(
            "{\"type\":\"flush_done\",\"done\":false,\"flush_done\":true,\"flush_id\":1,"
                + "\"status_code\":206,\"context_id\":\"c\"}");
    assertThat(fd.type()).isEqualTo(ServerFrame.Type.FLUSH_DONE);
    assertThat(fd.flushId()).isEqualTo(1);
    ServerFrame d =
        CartesiaCodec.decodeFrame(
            "{\"type\":\"done\",\"done\":true,\"status_code\":206,\"context_id\":\"c\"}");
    assertThat(d.type()).isEqualTo(ServerFrame.Type.DONE);
    assertThat(d.contextId()).isEqualTo("c");
    // one SDK types flush_id as a string
    assertThat(
            CartesiaCodec.decodeFrame(
                    "{\"type\":\"flush_done\",\"flush_id\":\"3\",\"context_id\":\"c\"}")
                .flushId())
        .isEqualTo(3);
  }

  @Test
  void errorFramesOfBothFormats() {
    ServerFrame s =
        CartesiaCodec.decodeFrame(
            "{\"type\":\"error\",\"done\":true,\"status_code\":429,\"error_code\":"
                + "\"concurrency_limited\",\"title\":\"Too many concurrent requests\",\"message\":"
                + "\"You have exceeded your plan's concurrency limit.\",\"request_id\":\"r\","
                + "\"context_id\":\"c\"}");
    assertThat(s.type()).isEqualTo(ServerFrame.Type.ERROR);
    assertThat(s.statusCode()).isEqualTo(429);
    assertThat(s.errorCode()).isEqualTo("concurrency_limited");
    assertThat(s.title()).isEqualTo("Too many concurrent requests");
    assertThat(s.message()).startsWith("You have exceeded");
    ServerFrame old =
        CartesiaCodec.decodeFrame(
            "{\"type\":\"error\",\"done\":true,\"error\":\"Invalid model: bad\","
                + "\"status_code\":400,\"context_id\":\"c\"}");
    assertThat(old.error()).isEqualTo("Invalid model: bad");
    assertThat(old.statusCode()).isEqualTo(400);
    // an error without a type or a context is still an error
    ServerFrame bare = CartesiaCodec.decodeFrame("{\"error\":\"boom\"}");
    assertThat(bare.type()).isEqualTo(ServerFrame.Type.ERROR);
    assertThat(bare.contextId()).isNull();
  }

  @Test
  void unknownTypesAndFieldsAreKeptForForwardCompatibility() {
    ServerFrame f =
        CartesiaCodec.decodeFrame(
            "{\"type\":\"speech_end\",\"context_id\":\"c\",\"extra\":{\"a\":[1,{\"b\":2}]}}");
    assertThat(f.type()).isEqualTo(ServerFrame.Type.UNKNOWN);
    assertThat(f.typeName()).isEqualTo("speech_end");
    ServerFrame c =
        CartesiaCodec.decodeFrame(
            "{\"new_field\":[1,2,3],\"type\":\"chunk\",\"data\":\"AA==\",\"context_id\":\"c\"}");
    assertThat(c.audio()).containsExactly(0);
  }

  @Test
  void malformedFramesAreProtocolExceptions() {
    for (String bad :
        List.of(
            "",
            "not json",
            "{\"type\":\"chunk\"",
            "[]",
            "\"chunk\"",
            "{\"type\":\"chunk\",\"data\":\"@@@@\",\"context_id\":\"c\"}",
            "{\"type\":\"chunk\",\"data\":\"AAAAA\",\"context_id\":\"c\"}",
            "{\"type\":\"chunk\",\"data\":12,\"context_id\":\"c\"}",
            "{\"type\":\"chunk\",\"context_id\":\"c\"}",
            "{\"type\":7}",
            "{\"context_id\":\"c\"}",
            "{\"type\":\"done\",\"context_id\":5}",
            "{\"type\":\"done\"} trailing",
            "{\"type\":\"timestamps\",\"context_id\":\"c\"}",
            "{\"type\":\"timestamps\",\"word_timestamps\":{\"words\":[\"a\"],\"start\":[0]}}",
            "{\"type\":\"timestamps\",\"word_timestamps\":{\"words\":[\"a\",\"b\"],\"start\":[0],"
                + "\"end\":[1]}}",
            "{\"type\":\"timestamps\",\"word_timestamps\":{\"words\":[1],\"start\":[0],"
                + "\"end\":[1]}}",
            "{\"type\":\"timestamps\",\"word_timestamps\":{\"words\":[\"a\"],\"start\":[-1],"
                + "\"end\":[1]}}",
            "{\"type\":\"timestamps\",\"word_timestamps\":{\"words\":[\"a\"],\"start\":[\"0\"],"
                + "\"end\":[1]}}",
            "{\"type\":\"phoneme_timestamps\",\"context_id\":\"c\"}",
            "[".repeat(5000))) {
      assertThatThrownBy(() -> CartesiaCodec.decodeFrame(bad))
          .as(bad.length() > 60 ? bad.substring(0, 60) : bad)
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("[cartesia]");
    }
  }

  @Test
  void sseEventDataDecodesLikeAFrame() {
    byte[] data =
        "xx{\"type\":\"chunk\",\"data\":\"AQI=\",\"context_id\":\"c\"}yy"
            .getBytes(StandardCharsets.UTF_8);
    ServerFrame f = CartesiaCodec.decodeEvent(data, 2, data.length - 4);
    assertThat(f.audio()).containsExactly(1, 2);
    byte[] bad = "{oops".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CartesiaCodec.decodeEvent(bad, 0, bad.length))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("SSE event");
  }

  // ------------------------------------------------------------------ error bodies

  @Test
  void errorBodiesOfEveryVersion() {
    CartesiaCodec.HttpError structured =
        CartesiaCodec.decodeHttpError(
            "{\"error_code\":\"voice_not_found\",\"title\":\"Voice not found\",\"message\":"
                + "\"No voice with id x.\",\"request_id\":\"r\",\"doc_url\":\"https://d\"}");
    assertThat(structured)
        .isEqualTo(
            new CartesiaCodec.HttpError(
                "voice_not_found", "Voice not found", "No voice with id x."));
    assertThat(CartesiaCodec.decodeHttpError("Unauthorized: Invalid API key"))
        .isEqualTo(new CartesiaCodec.HttpError(null, "Unauthorized", "Invalid API key"));
    assertThat(CartesiaCodec.decodeHttpError("{\"error\":\"bad voice\"}").message())
        .isEqualTo("bad voice");
    assertThat(CartesiaCodec.decodeHttpError("{\"detail\":{\"message\":\"nested\"}}").message())
        .isEqualTo("nested");
    assertThat(CartesiaCodec.decodeHttpError("<html><body>502: Bad gateway</body></html>"))
        .isEqualTo(
            new CartesiaCodec.HttpError(null, null, "<html><body>502: Bad gateway</body></html>"));
    assertThat(CartesiaCodec.decodeHttpError(""))
        .isEqualTo(new CartesiaCodec.HttpError(null, null, ""));
    assertThat(CartesiaCodec.decodeHttpError("{not json").message()).isEqualTo("{not json");
  }
}
