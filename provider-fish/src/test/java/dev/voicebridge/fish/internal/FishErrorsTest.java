package dev.voicebridge.fish.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HTTP statuses, error bodies in each shape, and WebSocket error events. */
class FishErrorsTest {

  private static HttpHeaders headers(Map<String, List<String>> m) {
    return HttpHeaders.of(m, (a, b) -> true);
  }

  private static ProviderException http(int status, String body) {
    return FishErrors.forStatus(
        status,
        headers(Map.of("content-type", List.of("application/json"))),
        body.getBytes(StandardCharsets.UTF_8),
        "POST /v1/tts");
  }

  @Test
  void statusesMapToTheTree() {
    assertThat(http(401, "{\"message\":\"Invalid Token\",\"status\":401}"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("Invalid Token")
        .hasMessageContaining("[fish]");
    ProviderException quota = http(402, "{\"status\":402,\"message\":\"Insufficient API credit\"}");
    assertThat(quota).isInstanceOf(QuotaExceededException.class);
    assertThat(quota.isRetryable()).isFalse();
    assertThat(quota.status()).isEqualTo(402);
    assertThat(http(403, "{\"status\":403,\"message\":\"no\"}"))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(http(404, "{\"status\":404,\"message\":\"Model not found\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Model not found");
    assertThat(http(400, "{\"status\":400,\"message\":\"Reference not found\"}"))
        .isInstanceOf(InvalidRequestException.class);
    ProviderException unavailable = http(503, "{\"status\":503,\"message\":\"high load\"}");
    assertThat(unavailable).isInstanceOf(ProviderUnavailableException.class);
    assertThat(unavailable.isRetryable()).isTrue();
    assertThat(http(500, "")).isInstanceOf(ProviderUnavailableException.class);
  }

  @Test
  void rateLimitCarriesRetryAfter() {
    ProviderException e =
        FishErrors.forStatus(
            429,
            headers(Map.of("retry-after", List.of("7"))),
            "{\"status\":429,\"message\":\"slow down\"}".getBytes(StandardCharsets.UTF_8),
            "WebSocket handshake");
    assertThat(e).isInstanceOf(RateLimitedException.class).hasMessageContaining("slow down");
    assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(e.isRetryable()).isTrue();
  }

  @Test
  void pydanticValidationArrayGivesItsMessages() {
    ProviderException e =
        http(
            422,
            "[{\"type\":\"greater_than_equal\",\"loc\":[\"chunk_length\"],"
                + "\"msg\":\"Input should be greater than or equal to 100\",\"input\":50},"
                + "{\"loc\":[\"latency\"],\"msg\":\"Input should be 'normal'\",\"type\":\"enum\"}]");
    assertThat(e)
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("greater than or equal to 100")
        .hasMessageContaining("Input should be 'normal'");
    assertThat(http(422, "{\"detail\":[{\"loc\":[\"x\"],\"msg\":\"field required\"}]}"))
        .hasMessageContaining("field required");
    assertThat(http(400, "{\"detail\":\"bad \\\"thing\\\"\"}"))
        .hasMessageContaining("bad \"thing\"");
  }

  @Test
  void plainTextAndMsgpackBodiesAreTolerated() {
    assertThat(
            FishErrors.forStatus(
                400,
                headers(Map.of("content-type", List.of("text/plain"))),
                "Failed to parse request body".getBytes(StandardCharsets.UTF_8),
                "POST /v1/tts"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Failed to parse request body");
    byte[] mp = FishCodec.pack(Map.of("message", "packed problem"));
    assertThat(
            FishErrors.forStatus(
                400,
                headers(Map.of("content-type", List.of("application/msgpack"))),
                mp,
                "POST /v1/tts"))
        .hasMessageContaining("packed problem");
    assertThat(
            FishErrors.forStatus(
                502,
                headers(Map.of("content-type", List.of("text/html"))),
                "<html><head><title>502 Bad Gateway</title></head><body>x</body></html>"
                    .getBytes(StandardCharsets.UTF_8),
                "POST /v1/tts"))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("HTTP 502: 502 Bad Gateway (POST /v1/tts)");
    assertThat(FishErrors.forStatus(401, null, null, "WebSocket handshake"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("WebSocket handshake");
  }

  @Test
  void anEchoedKeyIsMasked() {
    // the session masks its secrets (one Redactor of the provider's keys) in what it ends with:
    // the provider needs no code of its own, and what these messages quote is masked there
    dev.voicebridge.spi.Redactor key =
        dev.voicebridge.spi.Redactor.of(
            java.util.List.of(dev.voicebridge.spi.Secret.of("sk-echoed-123")));
    ProviderException h =
        FishErrors.forStatus(
            401,
            null,
            "{\"message\":\"Invalid Token sk-echoed-123\"}".getBytes(StandardCharsets.UTF_8),
            "POST /v1/tts");
    assertThat(key.redact(h.getMessage()))
        .doesNotContain("sk-echoed-123")
        .contains("Invalid Token ****");
    assertThat(
            key.redact(
                FishErrors.forErrorEvent(
                        new FishCodec.ErrorEvent("bad key sk-echoed-123", null, null))
                    .getMessage()))
        .doesNotContain("sk-echoed-123");
    assertThat(
            key.redact(
                FishErrors.forFinish(new FishCodec.Finish("error", "sk-echoed-123", null))
                    .getMessage()))
        .doesNotContain("sk-echoed-123");
  }

  @Test
  void errorEventsAreClassifiedByStatusThenWords() {
    assertThat(FishErrors.forErrorEvent(new FishCodec.ErrorEvent("anything", 402, null)))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(
            FishErrors.forErrorEvent(new FishCodec.ErrorEvent("Insufficient credit", null, null)))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(FishErrors.forErrorEvent(new FishCodec.ErrorEvent("Invalid Token", null, null)))
        .isInstanceOf(AuthenticationException.class);
    assertThat(
            FishErrors.forErrorEvent(
                new FishCodec.ErrorEvent("concurrency limit exceeded", null, null)))
        .isInstanceOf(RateLimitedException.class);
    assertThat(
            FishErrors.forErrorEvent(
                new FishCodec.ErrorEvent("invalid start request: chunk_length", null, null)))
        .isInstanceOf(InvalidRequestException.class);
    ProviderException generic =
        FishErrors.forErrorEvent(new FishCodec.ErrorEvent("injected fault", null, null));
    assertThat(generic).isInstanceOf(ProviderUnavailableException.class);
    assertThat(generic).hasMessageContaining("injected fault").hasMessageContaining("[fish]");
    ProviderException finish =
        FishErrors.forFinish(new FishCodec.Finish("error", "generation failed", null));
    assertThat(finish)
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("generation failed");
    assertThat(FishErrors.forFinish(new FishCodec.Finish("error", null, null)))
        .hasMessageContaining("reason 'error'");
  }
}
