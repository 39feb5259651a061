package dev.voicebridge.emulator.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Voice;
import dev.voicebridge.kit.audio.G711;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Deepgram REST {@code POST /v1/speak}, with the JDK's HTTP client. */
class DeepgramRestTest {
  static final String KEY = "dg-test-key";

  private DeepgramEmulator emulator;

  @AfterEach
  void stop() {
    if (emulator != null) {
      emulator.close();
    }
  }

  private DeepgramEmulator start(DeepgramEmulator.Options options) {
    return start(EmulatorConfig.builder().apiKey(KEY).build(), options);
  }

  private DeepgramEmulator start(EmulatorConfig config, DeepgramEmulator.Options options) {
    emulator = DeepgramEmulator.start(config, options);
    return emulator;
  }

  static HttpResponse<byte[]> post(
      DeepgramEmulator e, String query, String contentType, String body, String authorization)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(e.baseUrl() + "/v1/speak" + query))
            .timeout(DgWs.WAIT)
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return DgWs.CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A JSON {@code POST /v1/speak} of {@code text}. */
  static HttpRequest request(DeepgramEmulator e, String query, String text, String authorization) {
    return HttpRequest.newBuilder(URI.create(e.baseUrl() + "/v1/speak" + query))
        .timeout(DgWs.WAIT)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json")
        .POST(
            HttpRequest.BodyPublishers.ofString(
                DgWs.JSON.createObjectNode().put("text", text).toString()))
        .build();
  }

  static HttpResponse<byte[]> speak(DeepgramEmulator e, String query, String text)
      throws Exception {
    return DgWs.CLIENT.send(
        request(e, query, text, "Token " + KEY), HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode json(HttpResponse<byte[]> r) throws Exception {
    return DgWs.JSON.readTree(r.body());
  }

  @Test
  void linear16ComesInAWavWithDeepgramsPlaceholderSizesAndTheHeaders() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    String text = "Hello, world.";
    HttpResponse<byte[]> r =
        speak(e, "?model=aura-2-thalia-en&encoding=linear16&sample_rate=24000", text);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("audio/wav");
    assertThat(r.headers().firstValue("transfer-encoding")).contains("chunked");
    assertThat(r.headers().firstValue("dg-char-count")).contains("13");
    assertThat(r.headers().firstValue("dg-model-name")).contains("aura-2-thalia-en");
    assertThat(r.headers().firstValue("dg-model-uuid")).isPresent();
    String requestId = r.headers().firstValue("dg-request-id").orElseThrow();
    byte[] body = r.body();
    ByteBuffer h = ByteBuffer.wrap(body, 0, 44).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(new String(body, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
    assertThat(h.getInt(4)).isEqualTo(0x7FFF0024);
    assertThat(h.getShort(20)).as("PCM").isEqualTo((short) 1);
    assertThat(h.getInt(24)).isEqualTo(24000);
    assertThat(h.getShort(34)).as("bits").isEqualTo((short) 16);
    assertThat(h.getInt(40)).isEqualTo(0x7FFF0000);
    assertThat(Arrays.copyOfRange(body, 44, body.length))
        .isEqualTo(Voice.tone().synthesize(text, 24000));
    ServerRecord rec = e.control().lastSession();
    assertThat(rec.text()).isEqualTo(text);
    assertThat(rec.finished()).isTrue();
    assertThat(rec.completed()).isTrue();
    assertThat(rec.audioSha256()).isEqualTo(DgWs.sha256(body));
    assertThat(e.control().sessionNotes().get(0)).containsEntry("request_id", requestId);
  }

  @ParameterizedTest
  @CsvSource({
    "linear16,24000,audio/l16;rate=24000",
    "linear16,8000,audio/l16;rate=8000",
    "mulaw,8000,audio/mulaw;rate=8000",
    "alaw,16000,audio/alaw;rate=16000"
  })
  void containerNoneIsTheRawEncoding(String encoding, int rate, String contentType)
      throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    HttpResponse<byte[]> r =
        speak(e, "?encoding=" + encoding + "&sample_rate=" + rate + "&container=none", "Raw.");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains(contentType);
    byte[] pcm = Voice.tone().synthesize("Raw.", rate);
    byte[] want =
        switch (encoding) {
          case "mulaw" -> G711.encodeMuLaw(pcm, 0, pcm.length);
          case "alaw" -> G711.encodeALaw(pcm, 0, pcm.length);
          default -> pcm;
        };
    assertThat(r.body()).isEqualTo(want);
  }

  @Test
  void companderWavHeadersNameTheirFormat() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    HttpResponse<byte[]> r = speak(e, "?encoding=mulaw", "Law.");
    ByteBuffer h = ByteBuffer.wrap(r.body(), 0, 44).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(h.getShort(20)).as("mu-law").isEqualTo((short) 7);
    assertThat(h.getInt(24)).as("the default rate").isEqualTo(8000);
    assertThat(h.getShort(34)).isEqualTo((short) 8);
    HttpResponse<byte[]> a = speak(e, "?encoding=alaw", "Law.");
    assertThat(ByteBuffer.wrap(a.body(), 0, 44).order(ByteOrder.LITTLE_ENDIAN).getShort(20))
        .as("A-law")
        .isEqualTo((short) 6);
  }

  @ParameterizedTest
  @CsvSource({",48000,6", "&bit_rate=32000,32000,4"})
  void theDefaultIsMp3At22050(String extra, int bitRate, int index) throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    HttpResponse<byte[]> r =
        speak(e, "?model=aura-2-thalia-en" + (extra == null ? "" : extra), "An MP3 answer.");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("audio/mpeg");
    byte[] b = r.body();
    assertThat(b.length).isGreaterThan(100);
    assertThat(b[0] & 0xFF).as("frame sync").isEqualTo(0xFF);
    assertThat(b[1] & 0xFE).as("MPEG-2 layer III").isEqualTo(0xF2);
    assertThat((b[2] & 0xFF) >> 4).as("bitrate index of %d", bitRate).isEqualTo(index);
    assertThat((b[2] >> 2) & 3).as("22050 Hz").isZero();
  }

  @Test
  void plainTextBodiesAreAccepted() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    HttpResponse<byte[]> r =
        post(e, "?encoding=linear16&container=none", "text/plain", "Plain.", "token " + KEY);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo(Voice.tone().synthesize("Plain.", 24000));
  }

  @Test
  void theBodyStreamsPieceByPiece() throws Exception {
    DeepgramEmulator e = start(DgWs.paced(KEY, 4.0), DeepgramEmulator.Options.defaults());
    HttpRequest rq =
        request(e, "?encoding=linear16&container=none", "Streamed in pieces.", "Token " + KEY);
    CompletableFuture<List<Integer>> pieces = new CompletableFuture<>();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    java.util.List<Integer> sizes = new java.util.ArrayList<>();
    DgWs.CLIENT.send(
        rq,
        HttpResponse.BodyHandlers.fromSubscriber(
            new Flow.Subscriber<List<ByteBuffer>>() {
              @Override
              public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(List<ByteBuffer> item) {
                for (ByteBuffer b : item) {
                  sizes.add(b.remaining());
                  byte[] x = new byte[b.remaining()];
                  b.get(x);
                  all.writeBytes(x);
                }
              }

              @Override
              public void onError(Throwable t) {
                pieces.completeExceptionally(t);
              }

              @Override
              public void onComplete() {
                pieces.complete(sizes);
              }
            }));
    assertThat(pieces.get(10, TimeUnit.SECONDS).size()).as("more than one piece").isGreaterThan(1);
    assertThat(all.toByteArray()).isEqualTo(Voice.tone().synthesize("Streamed in pieces.", 24000));
    assertThat(e.control().lastSession().audioFramesSent()).isEqualTo((all.size() + 4799) / 4800);
  }

  // ------------------------------------------------------------------ errors

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Token wrong|application/json|{\"text\":\"x\"}||401|INVALID_AUTH",
        "|application/json|{\"text\":\"x\"}||401|INVALID_AUTH",
        "Token no-credit|application/json|{\"text\":\"x\"}||402|INSUFFICIENT_CREDITS",
        "Token " + KEY + "|application/json|{\"text\":\"\"}||400|Bad Request",
        "Token " + KEY + "|application/json|{\"text\":\"  \"}||400|Bad Request",
        "Token " + KEY + "|application/json|{\"nothing\":1}||400|PAYLOAD_ERROR",
        "Token " + KEY + "|application/json|{\"text\":\"a\",\"url\":\"b\"}||400|PAYLOAD_ERROR",
        "Token " + KEY + "|application/json|{\"url\":\"https://example.com\"}||400|PAYLOAD_ERROR",
        "Token " + KEY + "|application/json|not json||400|Bad Request",
        "Token " + KEY + "|application/xml|<text/>||415|UNSUPPORTED_MEDIA_TYPE",
        "Token " + KEY + "|application/json|{\"text\":\"x\"}|?model=aura-nope-en|400|Bad Request",
        "Token "
            + KEY
            + "|application/json|{\"text\":\"x\"}|?encoding=mulaw&sample_rate=24000|400|INVALID_QUERY_PARAMETER",
        "Token "
            + KEY
            + "|application/json|{\"text\":\"x\"}|?encoding=mp3&bit_rate=64000|400|INVALID_QUERY_PARAMETER",
        "Token "
            + KEY
            + "|application/json|{\"text\":\"x\"}|?encoding=mp3&container=wav|400|INVALID_QUERY_PARAMETER",
        "Token "
            + KEY
            + "|application/json|{\"text\":\"x\"}|?encoding=linear16&bit_rate=48000|400|INVALID_QUERY_PARAMETER",
        "Token "
            + KEY
            + "|application/json|{\"text\":\"x\"}|?mip_opt_out=TRUE|400|INVALID_QUERY_PARAMETER",
        "Token "
            + KEY
            + "|application/json|{\"text\":\"x\"}|?callback=http://127.0.0.1:1/|400|INVALID_QUERY_PARAMETER"
      })
  void errorsHaveTheLegacyBody(
      String authorization,
      String contentType,
      String body,
      String query,
      int status,
      String errCode)
      throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    HttpResponse<byte[]> r = post(e, query == null ? "" : query, contentType, body, authorization);
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    JsonNode j = json(r);
    assertThat(j.path("err_code").asText()).isEqualTo(errCode);
    assertThat(j.path("err_msg").asText()).isNotBlank();
    assertThat(r.headers().firstValue("dg-request-id")).contains(j.path("request_id").asText());
  }

  @ParameterizedTest
  @CsvSource({"opus", "flac", "aac"})
  void encodingsWithoutAnEncoderAreRefusedAsUnsupported(String encoding) throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    HttpResponse<byte[]> r = speak(e, "?encoding=" + encoding, "x");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r).path("err_msg").asText()).contains("emulator").contains(encoding);
  }

  @Test
  void textOverTheLimitIs413() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    assertThat(speak(e, "?encoding=linear16", "a".repeat(2000)).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> r = speak(e, "", "a".repeat(2001));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).path("err_code").asText()).isEqualTo("Payload Too Large");
    assertThat(json(r).path("err_msg").asText())
        .isEqualTo("Input text exceeds maximum character limit of 2000.");
    HttpResponse<byte[]> big =
        post(e, "", "text/plain", "x".repeat(DeepgramHttp.MAX_BODY_BYTES + 1), "Token " + KEY);
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(json(big).path("err_code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @Test
  void tooManyRequestsAtOnceGet429WithADelay() throws Exception {
    DeepgramEmulator e =
        start(
            DgWs.paced(KEY, 1.0),
            DeepgramEmulator.Options.builder().maxConcurrentRequests(1).build());
    HttpRequest slow =
        request(e, "?encoding=linear16", "Seconds of real time audio.", "Token " + KEY);
    CompletableFuture<HttpResponse<java.io.InputStream>> first =
        DgWs.CLIENT.sendAsync(slow, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> r = speak(e, "", "Second.");
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).contains("1");
    assertThat(json(r).path("err_code").asText()).isEqualTo("Too Many Requests");
    first.get().body().readAllBytes();
    assertThat(speak(e, "?encoding=linear16", "Third.").statusCode()).isEqualTo(200);
  }

  @Test
  void otherPathsAndMethods() throws Exception {
    DeepgramEmulator e = start(DeepgramEmulator.Options.defaults());
    HttpResponse<byte[]> get =
        DgWs.CLIENT.send(
            HttpRequest.newBuilder(URI.create(e.baseUrl() + "/v1/speak")).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(get.statusCode()).isEqualTo(405);
    HttpResponse<byte[]> other =
        DgWs.CLIENT.send(
            HttpRequest.newBuilder(URI.create(e.baseUrl() + "/v1/listen"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(other.statusCode()).isEqualTo(404);
  }
}
