package dev.voicebridge.conformance;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.ProviderConfig;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.SynthesisSink;
import java.time.Duration;
import java.util.List;

/**
 * The reference in-memory provider that proves the conformance suite. Its "server" is a {@link
 * ReferenceServer} handed over by the test (there is no network).
 */
public final class ReferenceProvider implements StreamingSynthesizerProvider {
  static final ConfigKey<Duration> RESPONSE_TIMEOUT =
      ConfigKey.duration("response-timeout", "how long the server may stay silent")
          .withDefault(Duration.ofSeconds(20));

  static final ConfigKey<Secret> API_KEY =
      ConfigKey.secret("api-key", "the key the reference server expects");

  /** The server the next created synthesizer talks to (tests set it). */
  static volatile ReferenceServer server;

  @Override
  public String name() {
    return "reference";
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    List<ConfigKey<?>> keys = new java.util.ArrayList<>(List.of(API_KEY, RESPONSE_TIMEOUT));
    keys.addAll(Limits.keys());
    return keys;
  }

  @Override
  public StreamingSynthesizer create(ProviderContext context) {
    ProviderConfig cfg = context.resolve(configKeys());
    SessionSettings settings =
        Limits.apply(
            cfg,
            SessionSettings.defaults()
                .withTicker(context.ticker())
                .withResponseTimeout(cfg.get(RESPONSE_TIMEOUT)));
    int maxFrameBytes = cfg.get(Limits.MAX_FRAME_BYTES);
    Secret key = cfg.get(API_KEY);
    ReferenceServer s = server;
    return new StreamingSynthesizer() {
      private final Capabilities caps =
          Capabilities.builder()
              .streamingInput(true)
              .network(true)
              .formats(AudioFormat.pcm(16_000))
              .defaultFormat(AudioFormat.pcm(16_000))
              .transports("memory")
              .build();

      @Override
      public String provider() {
        return "reference";
      }

      @Override
      public Capabilities capabilities() {
        return caps;
      }

      @Override
      public SynthesisSession open(SynthesisOptions options) {
        AudioFormat f = options.format().orElse(caps.defaultFormat());
        if (!caps.supports(f)) {
          throw new UnsupportedCapabilityException(
              "reference", "format " + f + " is not supported");
        }
        return SynthesisSessions.open("reference", f, settings, new Backend(s, maxFrameBytes, key));
      }

      @Override
      public void close() {}
    };
  }

  private static final class Backend implements SessionBackend {
    private final ReferenceServer server;
    private final int maxFrameBytes;
    private final Secret key;
    private ReferenceServer.Conversation conversation;

    Backend(ReferenceServer server, int maxFrameBytes, Secret key) {
      this.server = server;
      this.maxFrameBytes = maxFrameBytes;
      this.key = key;
    }

    @Override
    public void start(SynthesisSink sink) {
      conversation = server.connect(sink, maxFrameBytes, key.reveal());
    }

    @Override
    public void text(String text) {
      conversation.text(text);
    }

    @Override
    public void flush() {
      conversation.flush();
    }

    @Override
    public void finish() {
      conversation.finish();
    }

    @Override
    public void cancel() {
      conversation.cancel();
    }
  }
}
