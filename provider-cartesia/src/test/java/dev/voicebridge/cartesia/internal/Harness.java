package dev.voicebridge.cartesia.internal;

import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.cartesia.CartesiaProvider;
import dev.voicebridge.conformance.RecordingSubscriber;
import dev.voicebridge.conformance.ScriptedWebSocket;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A synthesizer whose WebSockets are scripted server sockets the test plays. */
final class Harness implements AutoCloseable {
  static final String KEY = "sk-canary-cartesia-5e2b";

  /** One socket the synthesizer opened: what it asked for and the scripted server side. */
  static final class Link {
    final URI uri;
    final Map<String, String> headers;
    final ScriptedWebSocket socket = new ScriptedWebSocket();

    Link(URI uri, Map<String, String> headers) {
      this.uri = uri;
      this.headers = Map.copyOf(headers);
    }

    List<String> sent() {
      return socket.sentText();
    }

    void server(String frame) {
      socket.serverText(frame);
    }
  }

  final List<Link> links = new CopyOnWriteArrayList<>();
  final CartesiaSynthesizer synth;
  final CartesiaSettings settings;

  Harness() {
    this(Map.of());
  }

  Harness(Map<String, String> config) {
    this.settings = settings(config);
    this.synth =
        new CartesiaSynthesizer(
            settings,
            (uri, headers, timeout, listener) -> {
              Link l = new Link(uri, headers);
              links.add(l);
              return l.socket.open(listener);
            });
  }

  Link link(int i) {
    return links.get(i);
  }

  /** A session subscribed by a recorder that takes everything. */
  Session open(SynthesisOptions options) {
    SynthesisSession s = synth.open(options);
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    return new Session(s, rec);
  }

  Session open() {
    return open(SynthesisOptions.defaults());
  }

  record Session(SynthesisSession session, RecordingSubscriber rec) {
    boolean awaitTerminal() throws InterruptedException {
      return rec.awaitTerminal(Duration.ofSeconds(5));
    }
  }

  @Override
  public void close() {
    synth.close();
  }

  /** Settings as the provider resolves them, with {@code config} over the test's defaults. */
  @SuppressWarnings("unchecked")
  static CartesiaSettings settings(Map<String, String> config) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("voicebridge.cartesia.api-key", KEY);
    c.put("voicebridge.cartesia.base-url", "http://127.0.0.1:1");
    c.put(
        "voicebridge.cartesia.response-timeout",
        "60s"); // pings after 15 s: the scripted server answers none
    config.forEach((k, v) -> c.put("voicebridge.cartesia." + k, v));
    CartesiaProvider provider = new CartesiaProvider();
    List<ConfigKey<?>> keys = provider.configKeys();
    ConfigKey<Secret> apiKey = (ConfigKey<Secret>) key(keys, "api-key");
    ConfigKey<URI> baseUrl = (ConfigKey<URI>) key(keys, "base-url");
    NetworkSettings n =
        NetworkSettings.resolve(
            ProviderContext.of("cartesia", VoicebridgeConfig.of(c)), keys, apiKey, baseUrl);
    return new CartesiaSettings(
        n,
        (String) n.get(key(keys, "version")),
        (String) n.get(key(keys, "model")),
        (String) n.get(key(keys, "voice")),
        (String) n.get(key(keys, "transport")),
        (Integer) n.get(key(keys, "max-contexts-per-socket")),
        (Duration) n.get(key(keys, "idle-timeout")),
        (Integer) n.get(key(keys, "http-pipeline")));
  }

  private static ConfigKey<?> key(List<ConfigKey<?>> keys, String name) {
    return keys.stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
  }
}
