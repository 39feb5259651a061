package dev.voicebridge.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.InvalidRequestException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ElevenLabsErrorsTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "invalid_api_key|Invalid API key|AuthenticationException",
        "quota_exceeded|This request exceeds your quota of 10000.|QuotaExceededException",
        "input_timeout_exceeded|Have not received a new text input within the timeout of 20.0"
            + " seconds.|SynthesisTimeoutException",
        "invalid_input_message|Could not parse input message, make sure it is a json and follows"
            + " the schema outlined in protocol.|InvalidRequestException",
        "max_active_conversations|Maximum simultaneous contexts per WebSocket connection exceeded"
            + " (5).|RateLimitedException",
        "too_many_concurrent_requests|Too many concurrent requests.|RateLimitedException",
        "voice_id_does_not_exist|A voice does not exist.|InvalidRequestException",
        "detected_unusual_activity|Unusual activity.|PermissionDeniedException",
        "server_error|injected fault|ProviderUnavailableException",
        "something_new|injected fault|ProviderUnavailableException",
      })
  void errorFramesKeepTheVendorsMessage(String code, String message, String type) {
    VoicebridgeException e = ElevenLabsErrors.fromErrorFrame(code, message, 1008);
    assertThat(e.getClass().getSimpleName()).isEqualTo(type);
    assertThat(e.getMessage()).startsWith("[elevenlabs]").contains(message).contains(code);
    if (e instanceof ProviderException p) {
      assertThat(p.status()).isEqualTo(1008);
      assertThat(p.vendorCode()).isEqualTo(code);
    }
  }

  @Test
  void closeCodesWithoutFinal() {
    assertThat(ElevenLabsErrors.fromClose(1000, "")).isInstanceOf(TransportException.class);
    assertThat(ElevenLabsErrors.fromClose(1000, "").isRetryable()).isTrue();
    assertThat(ElevenLabsErrors.fromClose(1006, null)).isInstanceOf(TransportException.class);
    VoicebridgeException generic =
        ElevenLabsErrors.fromClose(
            1008, "We are sorry, something went wrong. You are not charged for this request.");
    assertThat(generic).isInstanceOf(ProviderUnavailableException.class);
    assertThat(generic.getMessage()).contains("something went wrong");
    assertThat(generic.isRetryable()).isTrue();
    assertThat(
            ElevenLabsErrors.fromClose(
                1008,
                "Have not received a new text input within the timeout of 20 seconds. Streaming"
                    + " input terminated."))
        .isInstanceOf(SynthesisTimeoutException.class);
    assertThat(ElevenLabsErrors.fromClose(1008, "Invalid API key"))
        .isInstanceOf(AuthenticationException.class);
    assertThat(
            ElevenLabsErrors.fromClose(
                1008,
                "voice_settings field must be provided in the first message and then either be not"
                    + " provided or not change."))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(ElevenLabsErrors.fromClose(1011, "boom"))
        .isInstanceOf(ProviderUnavailableException.class);
  }

  static HttpHeaders headers(Map<String, List<String>> m) {
    return HttpHeaders.of(m, (a, b) -> true);
  }

  @Test
  void httpStatuses() {
    HttpHeaders none = headers(Map.of());
    assertThat(
            ElevenLabsErrors.fromHttp(
                401,
                none,
                "{\"detail\":{\"status\":\"invalid_api_key\",\"message\":\"Invalid API key\"}}"))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("Invalid API key");
    VoicebridgeException quota =
        ElevenLabsErrors.fromHttp(
            401,
            none,
            "{\"detail\":{\"status\":\"quota_exceeded\",\"message\":\"This request exceeds your"
                + " quota of 10000.\"}}");
    assertThat(quota).isInstanceOf(QuotaExceededException.class);
    assertThat(((ProviderException) quota).status()).isEqualTo(401);
    assertThat(
            ElevenLabsErrors.fromHttp(
                404,
                none,
                "{\"detail\":{\"status\":\"voice_not_found\",\"message\":\"A voice with the voice_id"
                    + " foo was not found.\"}}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("voice_id foo");
    assertThat(
            ElevenLabsErrors.fromHttp(
                422,
                none,
                "{\"detail\":[{\"loc\":[\"body\",\"voice_settings\",\"stability\"],\"msg\":\"Input"
                    + " should be a valid number\"}]}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("body.voice_settings.stability: Input should be a valid number");
    VoicebridgeException busy =
        ElevenLabsErrors.fromHttp(
            429,
            headers(Map.of("Retry-After", List.of("7"))),
            "{\"detail\":{\"status\":\"system_busy\",\"message\":\"busy\"}}");
    assertThat(busy).isInstanceOf(RateLimitedException.class);
    assertThat(busy.isRetryable()).isTrue();
    assertThat(((RateLimitedException) busy).retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(
            ElevenLabsErrors.fromHttp(
                429,
                none,
                "{\"detail\":{\"status\":\"too_many_concurrent_requests\",\"message\":\"Too many\"}}"))
        .isInstanceOf(RateLimitedException.class);
    assertThat(
            ElevenLabsErrors.fromHttp(403, none, "{\"detail\":{\"status\":\"only_for_creator+\"}}"))
        .isInstanceOf(PermissionDeniedException.class);
    VoicebridgeException down = ElevenLabsErrors.fromHttp(503, none, "upstream down");
    assertThat(down).isInstanceOf(ProviderUnavailableException.class);
    assertThat(((ProviderException) down).status()).isEqualTo(503);
    assertThat(down.getMessage()).contains("upstream down");
  }
}
