package dev.voicebridge.guice;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderConfig;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.SynthesisSink;
import java.util.List;

/** Stub providers registered in the test's META-INF/services, so ServiceLoader finds them. */
final class StubProviders {
  private StubProviders() {}

  static final ConfigKey<Integer> LEVEL =
      ConfigKey.integer("level", "a number the stub checks").withDefault(1).withRange(1, 10);

  /** A synthesizer that remembers who made it and with which context; it does nothing else. */
  static final class StubSynthesizer implements StreamingSynthesizer {
    final String origin;
    final ProviderContext context;
    final int level;

    StubSynthesizer(String origin, ProviderContext context, int level) {
      this.origin = origin;
      this.context = context;
      this.level = level;
    }

    @Override
    public String provider() {
      return context.providerName();
    }

    @Override
    public Capabilities capabilities() {
      return Capabilities.builder().defaultFormat(AudioFormat.PCM_16K).build();
    }

    @Override
    public SynthesisSession open(SynthesisOptions options) {
      // a session that never speaks: enough for listeners to see it open and end
      return SynthesisSessions.open(
          provider(),
          AudioFormat.PCM_16K,
          SessionSettings.defaults(),
          new SessionBackend() {
            @Override
            public void start(SynthesisSink sink) {
              sink.attribute("transport", "stub");
            }

            @Override
            public void text(String text) {}

            @Override
            public void flush() {}

            @Override
            public void finish() {}

            @Override
            public void cancel() {}
          });
    }

    @Override
    public void close() {}
  }

  abstract static class Base implements StreamingSynthesizerProvider {
    private final String name;
    private final String origin;

    Base(String name, String origin) {
      this.name = name;
      this.origin = origin;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
      return List.of(LEVEL);
    }

    @Override
    public StreamingSynthesizer create(ProviderContext context) {
      ProviderConfig cfg = context.resolve(configKeys());
      return new StubSynthesizer(origin, context, cfg.get(LEVEL));
    }
  }

  /** Found by ServiceLoader. */
  public static final class Alpha extends Base {
    /** For ServiceLoader. */
    public Alpha() {
      super("alpha", "service-loader");
    }
  }

  /** Found by ServiceLoader. */
  public static final class Beta extends Base {
    /** For ServiceLoader. */
    public Beta() {
      super("beta", "service-loader");
    }
  }

  /** Bound in code. */
  static final class InCode extends Base {
    InCode(String name) {
      super(name, "map-binder");
    }
  }
}
