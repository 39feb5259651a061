package dev.voicebridge.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import dev.voicebridge.spring.boot.test.AutoConfigureVoicebridgeEmulator;
import dev.voicebridge.spring.boot.test.VoicebridgeEmulators;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;

/** The example application, offline against the emulator (the test slice). */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.endpoint.env.show-values=always",
      "management.endpoint.configprops.show-values=always",
      "voicebridge.synthesizers.backup.provider=local",
      "voicebridge.synthesizers.backup.properties.fish.api-key=configprops-canary-31f"
    })
@AutoConfigureVoicebridgeEmulator(provider = "fish")
class SpeechApplicationTest {
  @LocalServerPort int port;
  @Autowired VoicebridgeEmulators emulators;
  @Autowired Environment environment;
  final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private String text(String path) throws Exception {
    HttpResponse<byte[]> r = get(path);
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  @Test
  void speechIsStreamedAsWav() throws Exception {
    HttpResponse<byte[]> r =
        get("/speak?id=t1&text=" + URLEncoder.encode("Streamed to you.", StandardCharsets.UTF_8));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("audio/wav");
    WavInfo info = Wav.read(r.body());
    assertThat(info.sampleRate()).isEqualTo(24_000);
    assertThat(r.body().length).isGreaterThan(Wav.HEADER_BYTES + 4_800);
    assertThat(emulators.control("fish").lastSession().text()).isEqualTo("Streamed to you.");
    assertThat(text("/report/t1")).contains("\"outcome\":\"COMPLETED\"");
  }

  @Test
  void secretsAreMaskedInActuatorEndpointsAndAbsentFromHealth() throws Exception {
    String key = environment.getProperty("voicebridge.fish.api-key");
    assertThat(key).startsWith("emulator-");
    String env = text("/actuator/env");
    String configprops = text("/actuator/configprops");
    String health = text("/actuator/health");
    assertThat(env).contains("voicebridge.fish.base-url").contains("******");
    assertThat(env).doesNotContain(key).doesNotContain("configprops-canary-31f");
    assertThat(configprops).contains("backup").doesNotContain("configprops-canary-31f");
    assertThat(health).contains("\"voicebridge\"").contains("\"provider\":\"fish\"");
    assertThat(health).doesNotContain(key);
  }

  @Test
  void prometheusScrapesTheSessionMetrics() throws Exception {
    text("/speak?text=" + URLEncoder.encode("Measured.", StandardCharsets.UTF_8));
    String scrape = text("/actuator/prometheus");
    assertThat(scrape)
        .contains("voicebridge_session_seconds_count{")
        .contains("voicebridge_first_audio_seconds_bucket{")
        .contains("provider=\"fish\"")
        .contains("transport=\"websocket\"")
        .contains("voicebridge_characters_total{");
  }
}
