package dev.voicebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.ServiceConfigurationError;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class StreamingSynthesizersTest {

  /** A provider that records that it was created and creates a stub synthesizer. */
  static final class Stub implements StreamingSynthesizerProvider {
    final String name;
    int created;

    Stub(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
      return List.of(ConfigKey.string("voice", "the voice"));
    }

    @Override
    public StreamingSynthesizer create(ProviderContext context) {
      context.resolve(configKeys());
      created++;
      return new StreamingSynthesizer() {
        @Override
        public String provider() {
          return name;
        }

        @Override
        public Capabilities capabilities() {
          return Capabilities.builder().defaultFormat(AudioFormat.PCM_16K).build();
        }

        @Override
        public SynthesisSession open(SynthesisOptions options) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
      };
    }
  }

  private static StreamingSynthesizers.Discovery discovery(StreamingSynthesizerProvider... ps) {
    Map<String, StreamingSynthesizerProvider> m = new java.util.TreeMap<>();
    for (StreamingSynthesizerProvider p : ps) {
      m.put(p.name(), p);
    }
    return new StreamingSynthesizers.Discovery(m, List.of());
  }

  private static StreamingSynthesizer select(
      Map<String, String> config, StreamingSynthesizers.Discovery d) {
    return StreamingSynthesizers.fromConfig(
        VoicebridgeConfig.of(config), d, UnaryOperator.identity());
  }

  @Test
  void theNamedProviderIsCreatedAndOnlyIt() {
    Stub fish = new Stub("fish");
    Stub local = new Stub("local");
    StreamingSynthesizer s = select(Map.of("voicebridge.provider", "fish"), discovery(fish, local));
    assertThat(s.provider()).isEqualTo("fish");
    assertThat(fish.created).isEqualTo(1);
    assertThat(local.created).as("only the named provider is created").isZero();
  }

  @Test
  void theOnlyProviderIsUsedWhenNoneIsNamed() {
    assertThat(select(Map.of(), discovery(new Stub("local"))).provider()).isEqualTo("local");
  }

  @Test
  void severalProvidersAndNoneNamedIsAnErrorListingThem() {
    assertThatThrownBy(() -> select(Map.of(), discovery(new Stub("fish"), new Stub("local"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[fish, local]")
        .hasMessageContaining("voicebridge.provider");
  }

  @Test
  void noProviderIsAnErrorNamingTheArtifacts() {
    assertThatThrownBy(() -> select(Map.of(), discovery()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dev.voicebridge:voicebridge-provider-local")
        .hasMessageContaining("dev.voicebridge:voicebridge-provider-fish");
  }

  @Test
  void anUnknownNameIsAnErrorListingTheKnownOnesAndTheArtifact() {
    assertThatThrownBy(
            () -> select(Map.of("voicebridge.provider", "smallest"), discovery(new Stub("local"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unknown provider 'smallest'")
        .hasMessageContaining("[local]")
        .hasMessageContaining("voicebridge-provider-smallest");
    assertThatThrownBy(
            () -> select(Map.of("voicebridge.provider", "nope"), discovery(new Stub("local"))))
        .hasMessageContaining("known providers: [local]");
  }

  @Test
  void theEnvironmentSpellingSelectsToo() {
    StreamingSynthesizer s =
        StreamingSynthesizers.fromConfig(
            VoicebridgeConfig.fromEnvironment(Map.of("VOICEBRIDGE_PROVIDER", "local")),
            discovery(new Stub("fish"), new Stub("local")),
            UnaryOperator.identity());
    assertThat(s.provider()).isEqualTo("local");
  }

  @Test
  void aBrokenProviderDoesNotStopDiscoveryOfTheOthers() {
    Stub good = new Stub("good");
    Iterator<StreamingSynthesizerProvider> it =
        new Iterator<>() {
          int i;

          @Override
          public boolean hasNext() {
            return i < 2;
          }

          @Override
          public StreamingSynthesizerProvider next() {
            if (i++ == 0) {
              throw new ServiceConfigurationError("com.example.Broken could not be instantiated");
            }
            if (i > 2) {
              throw new NoSuchElementException();
            }
            return good;
          }
        };
    StreamingSynthesizers.Discovery d = StreamingSynthesizers.discover(it);
    assertThat(d.providers()).containsOnlyKeys("good");
    assertThat(d.problems()).singleElement().asString().contains("com.example.Broken");
  }

  @Test
  void configurationProblemsOfTheSelectedProviderSurface() {
    assertThatThrownBy(
            () ->
                select(
                    Map.of("voicebridge.provider", "fish", "voicebridge.fish.colour", "red"),
                    discovery(new Stub("fish"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("voicebridge.fish.colour is not a key of provider 'fish'");
  }
}
