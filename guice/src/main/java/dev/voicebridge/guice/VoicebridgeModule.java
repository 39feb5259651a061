package dev.voicebridge.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Binds {@link StreamingSynthesizer} to the provider that configuration selects, exactly as {@link
 * StreamingSynthesizers#fromConfig(VoicebridgeConfig)} would, plus two extension points:
 *
 * <ul>
 *   <li>providers added in code, through a {@code MapBinder<String, StreamingSynthesizerProvider>}
 *       keyed by provider name ({@link #providers(Binder)}); an entry wins over a provider of the
 *       same name found by {@link java.util.ServiceLoader};
 *   <li>a shared {@link HttpClient}: when the application binds one (an ordinary {@code
 *       bind(HttpClient.class)...}, or {@code OptionalBinder.newOptionalBinder(binder(),
 *       HttpClient.class).setBinding()...}), it is handed to the provider through {@link
 *       ProviderContext#withHttpClient(HttpClient)}. The application keeps owning it.
 * </ul>
 *
 * <pre>{@code
 * Injector injector = Guice.createInjector(
 *     new VoicebridgeModule(VoicebridgeConfig.standard()),
 *     new AbstractModule() {
 *       protected void configure() {
 *         VoicebridgeModule.providers(binder()).addBinding("acme").to(AcmeProvider.class);
 *       }
 *     });
 * StreamingSynthesizer tts = injector.getInstance(StreamingSynthesizer.class);
 * }</pre>
 *
 * <p>{@link #configure()} only declares bindings: no discovery, no configuration lookup, no I/O.
 * The synthesizer is created when it is first provisioned (a singleton), so a configuration error
 * surfaces then, as a {@link com.google.inject.ProvisionException} whose cause is the {@link
 * dev.voicebridge.ConfigurationException}. (In {@code Stage.PRODUCTION}, Guice creates singletons
 * eagerly, at injector creation.)
 *
 * <p>The application owns the synthesizer's lifecycle: call {@link StreamingSynthesizer#close()}
 * when shutting down; this module registers no hooks.
 */
public final class VoicebridgeModule extends AbstractModule {
  private final VoicebridgeConfig config;

  /**
   * A module that selects and configures the provider from {@code config}.
   *
   * @param config the configuration, for example {@link VoicebridgeConfig#standard()}
   */
  public VoicebridgeModule(VoicebridgeConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * {@return the map binder for providers added in code, keyed by provider name (normally the
   * provider's {@link StreamingSynthesizerProvider#name()}; the key is the name configuration
   * selects and the prefix of its keys, {@code voicebridge.<key>.})} Call it from any module's
   * {@code configure()}.
   *
   * @param binder the binder of the module that adds providers
   */
  public static MapBinder<String, StreamingSynthesizerProvider> providers(Binder binder) {
    return MapBinder.newMapBinder(binder, String.class, StreamingSynthesizerProvider.class);
  }

  @Override
  protected void configure() {
    providers(binder());
    OptionalBinder.newOptionalBinder(binder(), HttpClient.class);
  }

  /**
   * The synthesizer selected by configuration among the providers bound in code and those on the
   * class path. Created once, on first use.
   */
  @Provides
  @Singleton
  StreamingSynthesizer streamingSynthesizer(
      Map<String, StreamingSynthesizerProvider> inCode, Optional<HttpClient> httpClient) {
    StreamingSynthesizers.Discovery found = StreamingSynthesizers.discover();
    Map<String, StreamingSynthesizerProvider> all = new TreeMap<>(found.providers());
    all.putAll(inCode);
    StreamingSynthesizers.Discovery discovery =
        new StreamingSynthesizers.Discovery(all, found.problems());
    return StreamingSynthesizers.fromConfig(
        config, discovery, context -> httpClient.map(context::withHttpClient).orElse(context));
  }

  @Override
  public String toString() {
    return "VoicebridgeModule[" + config + "]";
  }
}
