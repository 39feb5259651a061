package dev.voicebridge.deepgram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AuthenticationException;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.conformance.RecordingSubscriber;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A refused WebSocket handshake (401, 403, 429 with {@code dg-error}) ends the session once with
 * the typed exception: no reconnect loop, one request on the server.
 */
class DeepgramHandshakeTest {
  private StubServer server;
  private StreamingSynthesizer synth;

  @AfterEach
  void stop() {
    if (synth != null) {
      synth.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private VoicebridgeException refusedWith(int status, Map<String, String> headers, String body)
      throws Exception {
    server = new StubServer((ex, r) -> StubServer.respond(ex, status, headers, body));
    synth = server.synthesizer("websocket");
    SynthesisSession s = synth.open(SynthesisOptions.defaults());
    s.events().subscribe(new RecordingSubscriber());
    s.sendText("Hello.");
    s.finish();
    try {
      s.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(server.requests).hasSize(1);
      StubServer.Request r = server.requests.get(0);
      assertThat(r.method()).isEqualTo("GET");
      assertThat(r.query()).isEqualTo("model=aura-2-thalia-en&encoding=linear16&sample_rate=24000");
      assertThat(r.headers()).containsEntry("authorization", "Token " + StubServer.KEY);
      assertThat(e.getCause().getMessage()).doesNotContain(StubServer.KEY);
      return (VoicebridgeException) e.getCause();
    }
    throw new AssertionError("the session did not fail");
  }

  @Test
  void a401IsAnAuthenticationErrorOnce() throws Exception {
    VoicebridgeException e =
        refusedWith(
            401,
            Map.of(
                "dg-error", "Invalid credentials.",
                "dg-request-id", "req-hs-1",
                "Content-Type", "application/json"),
            "{\"err_code\":\"INVALID_AUTH\",\"err_msg\":\"Invalid credentials.\","
                + "\"request_id\":\"req-hs-1\"}");
    assertThat(e).isInstanceOf(AuthenticationException.class);
    assertThat(e.isRetryable()).isFalse();
    assertThat(e.getMessage()).contains("Invalid credentials.").contains("WebSocket handshake");
  }

  @Test
  void a403IsAPermissionError() throws Exception {
    VoicebridgeException e =
        refusedWith(
            403, Map.of("dg-error", "Project does not have access to the requested model."), "");
    assertThat(e).isInstanceOf(PermissionDeniedException.class);
    assertThat(e.getMessage()).contains("does not have access");
  }

  @Test
  void a429IsRetryableWithItsDelay() throws Exception {
    VoicebridgeException e =
        refusedWith(
            429,
            Map.of("dg-error", "Too many concurrent streams.", "Retry-After", "2"),
            "{\"err_code\":\"TOO_MANY_REQUESTS\",\"err_msg\":\"Too many concurrent streams.\"}");
    assertThat(e).isInstanceOf(RateLimitedException.class);
    assertThat(e.isRetryable()).isTrue();
    assertThat(((RateLimitedException) e).retryAfter()).contains(Duration.ofSeconds(2));
  }
}
