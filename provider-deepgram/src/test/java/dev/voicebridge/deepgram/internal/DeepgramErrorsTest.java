package dev.voicebridge.deepgram.internal;

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

/** Statuses, handshake refusals, close codes and error frames as typed exceptions. */
class DeepgramErrorsTest {

  private static HttpHeaders headers(Map<String, String> h) {
    java.util.Map<String, List<String>> m = new java.util.HashMap<>();
    h.forEach((k, v) -> m.put(k, List.of(v)));
    return HttpHeaders.of(m, (a, b) -> true);
  }

  private static ProviderException status(int s, Map<String, String> h, String body) {
    return DeepgramErrors.forStatus(
        s, headers(h), body.getBytes(StandardCharsets.UTF_8), "WebSocket handshake");
  }

  @Test
  void handshakeRefusalsByStatusWithTheVendorsWords() {
    ProviderException e =
        status(
            401,
            Map.of("dg-error", "Invalid credentials.", "dg-request-id", "req-9"),
            "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\","
                + "\"request_id\":\"req-9\"}");
    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.vendorCode()).isEqualTo("INVALID_AUTH");
    assertThat(e.getMessage())
        .contains("Invalid credentials.")
        .contains("WebSocket handshake")
        .contains("req-9");
    assertThat(status(403, Map.of(), "{\"err_code\":\"INSUFFICIENT_PERMISSIONS\"}"))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(status(402, Map.of(), "")).isInstanceOf(QuotaExceededException.class);
    assertThat(status(400, Map.of(), "{\"err_code\":\"INVALID_QUERY_PARAMETER\"}"))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(status(500, Map.of(), "")).isInstanceOf(ProviderUnavailableException.class);
    assertThat(status(503, Map.of(), "{\"error_code\":\"Service Unavailable\"}").vendorCode())
        .isEqualTo("Service Unavailable");
  }

  @Test
  void theDgErrorHeaderSpeaksWhenTheBodyIsEmpty() {
    ProviderException e = status(401, Map.of("dg-error", "Bad token"), "");
    assertThat(e.getMessage()).contains("Bad token");
    assertThat(status(401, Map.of(), "").getMessage()).contains("(no message)");
  }

  @Test
  void a429IsRetryableWithItsDelay() {
    ProviderException e =
        status(
            429,
            Map.of("retry-after", "7"),
            "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"Please try again later.\"}");
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(
            ((RateLimitedException) status(429, Map.of("x-ratelimit-reset", "3"), "")).retryAfter())
        .contains(Duration.ofSeconds(3));
    assertThat(((RateLimitedException) status(429, Map.of(), "")).retryAfter()).isEmpty();
  }

  @Test
  void closeCodesAndTheirReasonTokens() {
    assertClose(
        1003, "MESSAGE-0000 not a supported message type", InvalidRequestException.class, false);
    assertClose(1008, "DATA-0000 not a valid command", InvalidRequestException.class, false);
    assertClose(
        1008,
        "DATA-0001 Too many input characters submitted in recent time window.",
        RateLimitedException.class,
        true);
    assertClose(1009, "BIG-0000 message too large", InvalidRequestException.class, false);
    assertClose(
        1009, "BIG-0001 input text has too many characters", InvalidRequestException.class, false);
    assertClose(1011, "NET-0000 internal server error", ProviderUnavailableException.class, true);
    assertClose(1011, "NET-0001 did not receive a message in time", TransportException.class, true);
    assertClose(1011, "NET-0002 failed to send", ProviderUnavailableException.class, true);
    assertClose(1011, "NET-0003 time limit exceeded", TransportException.class, true);
    // codes without a token
    assertClose(1000, "", TransportException.class, true);
    assertClose(1011, "", ProviderUnavailableException.class, true);
    assertClose(1008, "", InvalidRequestException.class, false);
    assertClose(1009, null, InvalidRequestException.class, false);
    assertClose(1003, "", InvalidRequestException.class, false);
    assertClose(1006, "", TransportException.class, true);
    // the reason's words, where no documented token says
    assertClose(1008, "injected fault: invalid credentials", AuthenticationException.class, false);
    assertClose(
        1011, "injected fault: quota exhausted, no credit", QuotaExceededException.class, false);
    assertClose(1008, "injected fault: too many requests", RateLimitedException.class, true);
    assertClose(4401, "unauthorized", AuthenticationException.class, false);
    assertClose(4429, "slow down", RateLimitedException.class, true);
  }

  private static void assertClose(
      int code, String reason, Class<? extends VoicebridgeException> type, boolean retryable) {
    VoicebridgeException e = DeepgramErrors.forClose(code, reason);
    assertThat(e).as(code + " " + reason).isInstanceOf(type);
    assertThat(e.isRetryable()).as(code + " " + reason).isEqualTo(retryable);
    assertThat(e.getMessage()).contains(Integer.toString(code)).contains("before the last Flushed");
    if (reason != null && !reason.isEmpty()) {
      assertThat(e.getMessage()).contains(reason);
    }
    if (e instanceof ProviderException p && DeepgramCodec.reasonCode(reason) != null) {
      assertThat(p.vendorCode()).isEqualTo(DeepgramCodec.reasonCode(reason));
      assertThat(p.status()).isEqualTo(code);
    }
  }

  @Test
  void errorFramesByTheirWords() {
    assertThat(
            DeepgramErrors.forErrorMessage(new DeepgramCodec.ErrorMessage("X", "injected fault")))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("injected fault");
    assertThat(
            DeepgramErrors.forErrorMessage(
                new DeepgramCodec.ErrorMessage("INVALID_AUTH", "injected fault")))
        .isInstanceOf(AuthenticationException.class);
    assertThat(DeepgramErrors.forErrorMessage(new DeepgramCodec.ErrorMessage(null, null)))
        .hasMessageContaining("(no message)");
  }
}
