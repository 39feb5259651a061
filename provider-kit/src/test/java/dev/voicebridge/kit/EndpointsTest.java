package dev.voicebridge.kit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"localhost", "LOCALHOST", "a.localhost", "127.0.0.1", "127.1.2.3", "[::1]", "::1"})
  void loopback(String host) {
    assertThat(Endpoints.isLoopback(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1.example.com",
        "127.example.com",
        "example.com",
        "10.0.0.1",
        "128.0.0.1",
        "127.0.0.256",
        ""
      })
  void notLoopback(String host) {
    assertThat(Endpoints.isLoopback(host)).isFalse();
  }

  @Test
  void plainTextOnlyToLoopbackUnlessAllowed() {
    assertThat(Endpoints.problem(URI.create("http://127.0.0.1:8080"), false, "k", "a")).isNull();
    assertThat(Endpoints.problem(URI.create("https://api.example.com"), false, "k", "a")).isNull();
    assertThat(Endpoints.problem(URI.create("http://api.example.com"), false, "k", "a"))
        .contains("k uses plain http to api.example.com")
        .contains("a=true");
    assertThat(Endpoints.problem(URI.create("http://api.example.com"), true, "k", "a")).isNull();
    assertThat(Endpoints.problem(URI.create("ftp://api.example.com"), true, "k", "a"))
        .contains("scheme");
    assertThat(Endpoints.problem(URI.create("https://u:p@api.example.com"), true, "k", "a"))
        .contains("user information");
  }

  @Test
  void secretsWithControlCharactersAreRefusedWithoutEchoingThem() {
    ConfigKey<Secret> key = ConfigKey.secret("api-key", "the key");
    VoicebridgeConfig c =
        VoicebridgeConfig.of(Map.of("voicebridge.x.api-key", "sk-canary\r\nX-Injected: yes"));
    try {
      ProviderContext.of("x", c).resolve(List.of(key));
      throw new AssertionError("accepted a key with a line break");
    } catch (ConfigurationException e) {
      assertThat(e.getMessage())
          .contains("voicebridge.x.api-key")
          .contains("line break")
          .doesNotContain("sk-canary");
    }
  }

  @Test
  void aBaseUrlWithAQueryOrAFragmentIsRefused() {
    assertThat(Endpoints.problem(URI.create("https://api.example.com/?x=1"), false, "k", "a"))
        .contains("k must not have a query");
    assertThat(Endpoints.problem(URI.create("https://api.example.com/#top"), false, "k", "a"))
        .contains("k must not have a fragment");
  }

  @Test
  void aNameTrustedAsLoopbackIsCheckedAgainstWhatItResolvesTo() {
    // src/test/resources/hosts: good.localhost -> 127.0.0.1, evil.localhost -> 10.1.2.3
    assertThat(Endpoints.problem(URI.create("http://evil.localhost:7"), false, "k", "a")).isNull();
    assertThat(Endpoints.plainTextProblem(URI.create("ws://evil.localhost:7/live"), false))
        .contains("evil.localhost resolves to 10.1.2.3", "not loopback");
    assertThat(Endpoints.plainTextProblem(URI.create("ws://good.localhost:7/live"), false))
        .isNull();
    assertThat(Endpoints.plainTextProblem(URI.create("http://localhost:7/v1"), false)).isNull();
    assertThat(Endpoints.plainTextProblem(URI.create("http://127.0.0.1:7/v1"), false)).isNull();
    assertThat(Endpoints.plainTextProblem(URI.create("ws://10.1.2.3:7/live"), false))
        .contains("not loopback");
    assertThat(Endpoints.plainTextProblem(URI.create("ws://evil.localhost:7/live"), true))
        .as("allow-insecure")
        .isNull();
    assertThat(Endpoints.plainTextProblem(URI.create("wss://evil.localhost:7/live"), false))
        .as("TLS")
        .isNull();
  }

  @Test
  void aHostileVoiceIdStaysOnePathSegment() {
    assertThat(Endpoints.segment("../../admin?x=1#y"))
        .isEqualTo("%2E%2E%2F%2E%2E%2Fadmin%3Fx%3D1%23y");
    assertThat(Endpoints.resolve(URI.create("https://proxy.example/tts/"), "/v1/tts"))
        .hasToString("https://proxy.example/tts/v1/tts");
    assertThat(Endpoints.webSocket(URI.create("https://api.example.com/v1")))
        .hasToString("wss://api.example.com/v1");
  }
}
