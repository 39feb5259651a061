package dev.voicebridge.cartesia.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cartesia's errors, by API version and by transport, as typed exceptions. */
class CartesiaErrorsTest {

  private static HttpHeaders headers(Map<String, String> h) {
    return HttpHeaders.of(
        h.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
        (a, b) -> true);
  }

  private static VoicebridgeException http(int status, String body) {
    return CartesiaErrors.forHttp(status, headers(Map.of()), body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void structuredBodiesFrom20260301() {
    VoicebridgeException e =
        http(
            401,
            "{\"error_code\":\"invalid_api_key\",\"title\":\"Unauthorized\",\"message\":\"Invalid"
                + " API key.\",\"request_id\":\"550e8400\"}");
    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.getMessage())
        .startsWith("[cartesia]")
        .contains("401")
        .contains("invalid_api_key")
        .contains("Unauthorized: Invalid API key.");
    assertThat(((ProviderException) e).vendorCode()).isEqualTo("invalid_api_key");
    assertThat(e.isRetryable()).isFalse();
    assertThat(
            http(
                400,
                "{\"error_code\":\"model_sunsetted\",\"title\":\"Model sunsetted\",\"message\":"
                    + "\"Use sonic-3.\",\"request_id\":\"r\"}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Model sunsetted: Use sonic-3.");
  }

  @Test
  void plainTextBodiesBefore20260301() {
    VoicebridgeException e = http(402, "Payment Required: Insufficient credits");
    assertThat(e).isInstanceOf(QuotaExceededException.class);
    assertThat(e.getMessage()).contains("Payment Required: Insufficient credits");
    assertThat(((ProviderException) e).vendorCode()).isNull();
    assertThat(http(403, "Forbidden")).isInstanceOf(PermissionDeniedException.class);
    assertThat(http(404, "Not Found: no such voice")).isInstanceOf(InvalidRequestException.class);
    assertThat(http(500, ""))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("(empty body)");
    assertThat(http(503, "<html>busy</html>").isRetryable()).isTrue();
  }

  @Test
  void rateLimitsCarryTheirDelayFromEitherHeader() {
    RateLimitedException a =
        (RateLimitedException)
            CartesiaErrors.forHttp(429, headers(Map.of("retry-after", "3")), new byte[0]);
    assertThat(a.retryAfter()).contains(Duration.ofSeconds(3));
    RateLimitedException b =
        (RateLimitedException)
            CartesiaErrors.forHttp(
                429,
                headers(Map.of("retry-after-ms", "1500", "retry-after", "9")),
                "{\"error_code\":\"concurrency_limited\",\"title\":\"Too many\",\"message\":\"m\"}"
                    .getBytes(StandardCharsets.UTF_8));
    assertThat(b.retryAfter()).contains(Duration.ofMillis(1500));
    assertThat(b.isRetryable()).isTrue();
  }

  private static ServerFrame frame(Integer status, String code, String error, String message) {
    return new ServerFrame(
        ServerFrame.Type.ERROR,
        "error",
        "ctx-9",
        null,
        null,
        status,
        null,
        null,
        code,
        message == null ? null : "Title",
        message,
        error);
  }

  @Test
  void errorFramesByStatusAndByCode() {
    assertThat(CartesiaErrors.forFrame(frame(429, "concurrency_limited", null, "limit")))
        .isInstanceOf(RateLimitedException.class)
        .hasMessageContaining("ctx-9")
        .hasMessageContaining("Title: limit");
    assertThat(CartesiaErrors.forFrame(frame(400, null, "Invalid model: x", null)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Invalid model: x");
    assertThat(CartesiaErrors.forFrame(frame(500, null, "internal", null)).isRetryable()).isTrue();
    // no usable status: the code decides
    assertThat(CartesiaErrors.forFrame(frame(null, "voice_not_found", null, "m")))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(CartesiaErrors.forFrame(frame(206, "concurrency_limited", null, "m")))
        .isInstanceOf(RateLimitedException.class);
    assertThat(CartesiaErrors.forFrame(frame(null, "unauthorized", null, "m")))
        .isInstanceOf(AuthenticationException.class);
    assertThat(CartesiaErrors.forFrame(frame(null, "insufficient_credits", null, "m")))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(CartesiaErrors.forFrame(frame(null, "forbidden", null, "m")))
        .isInstanceOf(PermissionDeniedException.class);
    ProviderException unknown = CartesiaErrors.forFrame(frame(null, null, "something", null));
    assertThat(unknown).isInstanceOf(ProviderUnavailableException.class);
    assertThat(unknown.isRetryable()).isTrue();
  }

  @Test
  void aCloseIsARetryableTransportError() {
    VoicebridgeException e = CartesiaErrors.closed(1000, "idle");
    assertThat(e).isInstanceOf(TransportException.class).hasMessageContaining("1000");
    assertThat(e.getMessage()).contains("idle");
    assertThat(e.isRetryable()).isTrue();
  }
}
