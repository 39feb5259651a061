package dev.voicebridge.guice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.multibindings.OptionalBinder;
import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.guice.StubProviders.StubSynthesizer;
import java.net.http.HttpClient;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VoicebridgeModuleTest {

  private static VoicebridgeConfig config(String... kv) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return VoicebridgeConfig.of(m);
  }

  private static StubSynthesizer synthesizer(Module... modules) {
    Injector injector = Guice.createInjector(modules);
    return (StubSynthesizer) injector.getInstance(StreamingSynthesizer.class);
  }

  @Test
  void theStubProvidersAreOnTheClassPath() {
    assertThat(StreamingSynthesizers.providers()).containsOnlyKeys("alpha", "beta");
  }

  @Test
  void withSeveralProvidersAndNoneNamedProvisioningFailsListingThem() {
    Injector injector = Guice.createInjector(new VoicebridgeModule(VoicebridgeConfig.empty()));
    assertThatThrownBy(() -> injector.getInstance(StreamingSynthesizer.class))
        .isInstanceOf(ProvisionException.class)
        .cause()
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("alpha")
        .hasMessageContaining("beta")
        .hasMessageContaining(StreamingSynthesizers.PROVIDER_KEY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"alpha", "beta"})
  void eachProviderIsSelectedByName(String name) {
    StubSynthesizer s =
        synthesizer(
            new VoicebridgeModule(
                config("voicebridge.provider", name, "voicebridge.alpha.level", "3")));
    assertThat(s.provider()).isEqualTo(name);
    assertThat(s.origin).isEqualTo("service-loader");
    assertThat(s.level).isEqualTo(name.equals("alpha") ? 3 : 1);
    assertThat(s.context.httpClient()).isEmpty();
  }

  @Test
  void theSynthesizerIsASingleton() {
    Injector injector =
        Guice.createInjector(new VoicebridgeModule(config("voicebridge.provider", "beta")));
    assertThat(injector.getInstance(StreamingSynthesizer.class))
        .isSameAs(injector.getInstance(StreamingSynthesizer.class));
  }

  @Test
  void mapBinderEntriesWinOverServiceLoaderOnesAndAddNewNames() {
    Module inCode =
        new AbstractModule() {
          @Override
          protected void configure() {
            VoicebridgeModule.providers(binder())
                .addBinding("alpha")
                .toInstance(new StubProviders.InCode("alpha"));
            VoicebridgeModule.providers(binder())
                .addBinding("gamma")
                .toInstance(new StubProviders.InCode("gamma"));
          }
        };
    StubSynthesizer alpha =
        synthesizer(new VoicebridgeModule(config("voicebridge.provider", "alpha")), inCode);
    assertThat(alpha.origin).isEqualTo("map-binder");
    StubSynthesizer gamma =
        synthesizer(
            new VoicebridgeModule(
                config("voicebridge.provider", "gamma", "voicebridge.gamma.level", "7")),
            inCode);
    assertThat(gamma.origin).isEqualTo("map-binder");
    assertThat(gamma.level).isEqualTo(7);
    StubSynthesizer beta =
        synthesizer(new VoicebridgeModule(config("voicebridge.provider", "beta")), inCode);
    assertThat(beta.origin).isEqualTo("service-loader");
  }

  @Test
  void withOnlyMapBinderProvidersTheAmbiguityErrorListsThemToo() {
    Module inCode =
        new AbstractModule() {
          @Override
          protected void configure() {
            VoicebridgeModule.providers(binder())
                .addBinding("gamma")
                .toInstance(new StubProviders.InCode("gamma"));
          }
        };
    Injector injector =
        Guice.createInjector(new VoicebridgeModule(VoicebridgeConfig.empty()), inCode);
    assertThatThrownBy(() -> injector.getInstance(StreamingSynthesizer.class))
        .isInstanceOf(ProvisionException.class)
        .cause()
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("[alpha, beta, gamma]");
  }

  @Test
  void aSharedHttpClientBoundByTheApplicationReachesTheProvider() {
    HttpClient client = HttpClient.newBuilder().build();
    StubSynthesizer s =
        synthesizer(
            new VoicebridgeModule(config("voicebridge.provider", "alpha")),
            new AbstractModule() {
              @Override
              protected void configure() {
                bind(HttpClient.class).toInstance(client);
              }
            });
    assertThat(s.context.httpClient()).containsSame(client);
  }

  @Test
  void theHttpClientCanAlsoBeSetThroughTheOptionalBinder() {
    HttpClient client = HttpClient.newBuilder().build();
    StubSynthesizer s =
        synthesizer(
            new VoicebridgeModule(config("voicebridge.provider", "beta")),
            new AbstractModule() {
              @Override
              protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), HttpClient.class)
                    .setBinding()
                    .toInstance(client);
              }
            });
    assertThat(s.context.httpClient()).containsSame(client);
  }

  @Test
  void configureDoesNoLookupSoABrokenConfigFailsOnlyAtProvisioning() {
    for (VoicebridgeConfig broken :
        new VoicebridgeConfig[] {
          config("voicebridge.provider", "nonexistent"),
          config("voicebridge.provider", "alpha", "voicebridge.alpha.level", "99"),
          config("voicebridge.provider", "alpha", "voicebridge.alpha.typo", "x")
        }) {
      Injector injector = Guice.createInjector(new VoicebridgeModule(broken));
      assertThatThrownBy(() -> injector.getInstance(StreamingSynthesizer.class))
          .isInstanceOf(ProvisionException.class)
          .cause()
          .isInstanceOf(ConfigurationException.class);
    }
  }

  @Test
  void theInjectorCanListTheProvidersBoundInCode() {
    Injector injector =
        Guice.createInjector(
            new VoicebridgeModule(VoicebridgeConfig.empty()),
            new AbstractModule() {
              @Override
              protected void configure() {
                VoicebridgeModule.providers(binder())
                    .addBinding("gamma")
                    .toInstance(new StubProviders.InCode("gamma"));
              }
            });
    Map<String, ?> map =
        injector.getInstance(
            com.google.inject.Key.get(
                new com.google.inject.TypeLiteral<
                    Map<String, dev.voicebridge.spi.StreamingSynthesizerProvider>>() {}));
    assertThat(map).containsOnlyKeys("gamma");
  }
}
