package dev.voicebridge.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Binder;
import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Names;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.observe.SessionListener;
import dev.voicebridge.observe.SessionListeners;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
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
 *       ProviderContext#withHttpClient(HttpClient)}. The application keeps owning it;
 *   <li>session listeners, through a {@code Multibinder<SessionListener>} ({@link
 *       #listeners(Binder)}): every session of every synthesizer of this module is observed by
 *       them, in addition to those configuration names ({@code voicebridge.listeners}) and those
 *       registered with ServiceLoader;
 *   <li>named synthesizers ({@link #named(String, String, Map)}): {@code @Named("fast")
 *       StreamingSynthesizer}, each on its own provider with its own keys.
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
  private final Map<String, Named> named;

  private record Named(String provider, Map<String, String> overrides) {}

  /**
   * A module that selects and configures the provider from {@code config}.
   *
   * @param config the configuration, for example {@link VoicebridgeConfig#standard()}
   */
  public VoicebridgeModule(VoicebridgeConfig config) {
    this(config, Map.of());
  }

  private VoicebridgeModule(VoicebridgeConfig config, Map<String, Named> named) {
    this.config = Objects.requireNonNull(config, "config");
    this.named = Map.copyOf(named);
  }

  /**
   * {@return this module plus a synthesizer bound as {@code @Named(name) StreamingSynthesizer}:
   * provider {@code provider}, configured by this module's configuration with {@code overrides}
   * first (keys spelled in full, {@code voicebridge.fish.model})} A lazily created singleton, like
   * the default one; the application closes it.
   *
   * @param name the name
   * @param provider the provider's name
   * @param overrides the overrides
   * @throws IllegalArgumentException when {@code name} is already bound
   */
  public VoicebridgeModule named(String name, String provider, Map<String, String> overrides) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(provider, "provider");
    if (named.containsKey(name)) {
      throw new IllegalArgumentException("a synthesizer named '" + name + "' is already bound");
    }
    Map<String, Named> all = new LinkedHashMap<>(named);
    all.put(name, new Named(provider, Map.copyOf(overrides)));
    return new VoicebridgeModule(config, all);
  }

  /**
   * {@return {@link #named(String, String, Map)} without overrides}
   *
   * @param name the name
   * @param provider the provider's name
   */
  public VoicebridgeModule named(String name, String provider) {
    return named(name, provider, Map.of());
  }

  /**
   * {@return the set binder of session listeners: every session of this module's synthesizers is
   * observed by them (Micrometer's {@code MicrometerSessionListener}, an audit listener...)} Call
   * it from any module's {@code configure()}.
   *
   * @param binder the binder
   */
  public static Multibinder<SessionListener> listeners(Binder binder) {
    return Multibinder.newSetBinder(binder, SessionListener.class);
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
    listeners(binder());
    OptionalBinder.newOptionalBinder(binder(), HttpClient.class);
    named.forEach(
        (name, n) ->
            bind(StreamingSynthesizer.class)
                .annotatedWith(Names.named(name))
                .toProvider(new NamedProvider(config.withOverrides(n.overrides()), n.provider()))
                .in(Singleton.class));
  }

  /**
   * The synthesizer selected by configuration among the providers bound in code and those on the
   * class path. Created once, on first use.
   */
  @Provides
  @Singleton
  StreamingSynthesizer streamingSynthesizer(
      Map<String, StreamingSynthesizerProvider> inCode,
      Optional<HttpClient> httpClient,
      Set<SessionListener> listeners) {
    return SessionListeners.observe(
        StreamingSynthesizers.fromConfig(
            config,
            discovery(inCode),
            context -> httpClient.map(context::withHttpClient).orElse(context)),
        List.copyOf(listeners));
  }

  private static StreamingSynthesizers.Discovery discovery(
      Map<String, StreamingSynthesizerProvider> inCode) {
    StreamingSynthesizers.Discovery found = StreamingSynthesizers.discover();
    Map<String, StreamingSynthesizerProvider> all = new TreeMap<>(found.providers());
    all.putAll(inCode);
    return new StreamingSynthesizers.Discovery(all, found.problems());
  }

  /** Creates one named synthesizer on first use. */
  private static final class NamedProvider implements Provider<StreamingSynthesizer> {
    private final VoicebridgeConfig config;
    private final String provider;
    private Map<String, StreamingSynthesizerProvider> inCode;
    private Optional<HttpClient> httpClient;
    private Set<SessionListener> listeners;

    NamedProvider(VoicebridgeConfig config, String provider) {
      this.config = config;
      this.provider = provider;
    }

    @Inject
    void inject(
        Map<String, StreamingSynthesizerProvider> inCode,
        Optional<HttpClient> httpClient,
        Set<SessionListener> listeners) {
      this.inCode = inCode;
      this.httpClient = httpClient;
      this.listeners = listeners;
    }

    @Override
    public StreamingSynthesizer get() {
      return SessionListeners.observe(
          StreamingSynthesizers.create(
              provider,
              config,
              discovery(inCode),
              context -> httpClient.map(context::withHttpClient).orElse(context)),
          List.copyOf(listeners));
    }
  }

  @Override
  public String toString() {
    return "VoicebridgeModule["
        + config
        + (named.isEmpty() ? "" : ", named " + named.keySet())
        + "]";
  }
}
