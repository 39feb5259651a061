package dev.voicebridge.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.VoicebridgeConfig;
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
}
