package dev.voicebridge.conformance;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerControl;
import dev.voicebridge.spi.conformance.ServerRecord;
import dev.voicebridge.spi.conformance.TestServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The fixture of a network provider, built from a recipe: the provider, the server it runs against,
 * a distinctive API key and the configuration. Each {@link #create()} starts a fresh server and a
 * synthesizer pointed at it, so a provider's conformance class is a few lines:
 *
 * <pre>{@code
 * class FishConformanceTest extends StreamingSynthesizerContract {
 *   static final NetworkFixture FIXTURE =
 *       NetworkFixture.of(new FishProvider(), () -> FishEmulator.start(config()))
 *           .apiKey("sk-canary-fish-7d1f93")
 *           .responseTimeout(Duration.ofSeconds(2))
 *           .maxFrameBytes(64 * 1024);
 *
 *   protected ConformanceFixture createFixture() {
 *     return FIXTURE.create();
 *   }
 * }
 * }</pre>
 *
 * <p>The fixtures it creates also tell the suite how to configure the provider afresh ({@link
 * ConformanceFixture#reconfigure}), for the configuration rules.
 */
public final class NetworkFixture {
  private final StreamingSynthesizerProvider provider;
  private final Supplier<? extends TestServer> server;
  private final Map<String, String> config;
  private final String apiKey;
  private final SynthesisOptions options;
  private final Duration responseTimeout;
  private final Integer maxFrameBytes;
  private final boolean ignoresWrongFrameType;
  private final Duration timeout;
  private final Set<Class<? extends Fault>> withoutFaults;

  private NetworkFixture(
      StreamingSynthesizerProvider provider,
      Supplier<? extends TestServer> server,
      Map<String, String> config,
      String apiKey,
      SynthesisOptions options,
      Duration responseTimeout,
      Integer maxFrameBytes,
      boolean ignoresWrongFrameType,
      Duration timeout,
      Set<Class<? extends Fault>> withoutFaults) {
    this.provider = provider;
    this.server = server;
    this.config = Map.copyOf(config);
    this.apiKey = apiKey;
    this.options = options;
    this.responseTimeout = responseTimeout;
    this.maxFrameBytes = maxFrameBytes;
    this.ignoresWrongFrameType = ignoresWrongFrameType;
    this.timeout = timeout;
    this.withoutFaults = Set.copyOf(withoutFaults);
  }

  /**
   * {@return a recipe: {@code provider} against servers started by {@code server}}
   *
   * @param provider the provider under test
   * @param server starts a server for one fixture
   */
  public static NetworkFixture of(
      StreamingSynthesizerProvider provider, Supplier<? extends TestServer> server) {
    return new NetworkFixture(
        Objects.requireNonNull(provider, "provider"),
        Objects.requireNonNull(server, "server"),
        Map.of(),
        null,
        SynthesisOptions.defaults(),
        null,
        null,
        false,
        Duration.ofSeconds(20),
        Set.of());
  }

  private NetworkFixture with(
      Map<String, String> c,
      String key,
      SynthesisOptions o,
      Duration response,
      Integer max,
      boolean ignores,
      Duration t) {
    return new NetworkFixture(
        provider, server, c, key, o, response, max, ignores, t, withoutFaults);
  }

  private String prefix() {
    return "voicebridge." + provider.name() + ".";
  }

  /**
   * Sets a key of the provider ({@code name} relative to {@code voicebridge.<provider>.}).
   *
   * @param name the name
   * @param value the value
   * @return this fixture
   */
  public NetworkFixture config(String name, String value) {
    Map<String, String> c = new LinkedHashMap<>(config);
    c.put(prefix() + name, value);
    return with(c, apiKey, options, responseTimeout, maxFrameBytes, ignoresWrongFrameType, timeout);
  }

  /**
   * {@return the API key: a distinctive value, so the suite can look for it everywhere}
   *
   * @param canary the canary
   */
  public NetworkFixture apiKey(String canary) {
    return config("api-key", canary).withKey(canary);
  }

  private NetworkFixture withKey(String canary) {
    return with(
        config, canary, options, responseTimeout, maxFrameBytes, ignoresWrongFrameType, timeout);
  }

  /**
   * {@return the options of the suite's sessions (an uncompressed format)}
   *
   * @param o the o
   */
  public NetworkFixture options(SynthesisOptions o) {
    return with(
        config,
        apiKey,
        Objects.requireNonNull(o),
        responseTimeout,
        maxFrameBytes,
        ignoresWrongFrameType,
        timeout);
  }

  /**
   * Configures {@code response-timeout} and declares it for the inactivity rule.
   *
   * @param d the duration
   * @return this fixture
   */
  public NetworkFixture responseTimeout(Duration d) {
    NetworkFixture f = config("response-timeout", d.toMillis() + "ms");
    return f.with(f.config, apiKey, options, d, maxFrameBytes, ignoresWrongFrameType, timeout);
  }

  /**
   * Configures {@code max-frame-bytes} and declares it for the size rules.
   *
   * @param bytes the bytes
   * @return this fixture
   */
  public NetworkFixture maxFrameBytes(int bytes) {
    NetworkFixture f = config("max-frame-bytes", String.valueOf(bytes));
    return f.with(
        f.config, apiKey, options, responseTimeout, bytes, ignoresWrongFrameType, timeout);
  }

  /** {@return the vendor's protocol tells clients to ignore a message of the other kind} */
  public NetworkFixture ignoresWrongFrameType() {
    return with(config, apiKey, options, responseTimeout, maxFrameBytes, true, timeout);
  }

  /**
   * How long the suite waits for any single outcome (default 20 s).
   *
   * @param t the wait
   * @return a recipe with that wait
   */
  public NetworkFixture timeout(Duration t) {
    return with(config, apiKey, options, responseTimeout, maxFrameBytes, ignoresWrongFrameType, t);
  }

  /**
   * The server's faults of these kinds are not offered on this transport (their rules skip): a
   * fault the transport cannot express, such as an error frame inside a raw HTTP audio body.
   *
   * @param kinds the fault kinds the transport cannot express
   * @return a recipe that hides them
   */
  @SafeVarargs
  public final NetworkFixture withoutFaults(Class<? extends Fault>... kinds) {
    Set<Class<? extends Fault>> more = new HashSet<>(withoutFaults);
    more.addAll(Arrays.asList(kinds));
    return new NetworkFixture(
        provider,
        server,
        config,
        apiKey,
        options,
        responseTimeout,
        maxFrameBytes,
        ignoresWrongFrameType,
        timeout,
        more);
  }

  /**
   * Starts a server and a synthesizer pointed at it.
   *
   * @return the conformance fixture
   */
  public ConformanceFixture create() {
    TestServer s = server.get();
    Map<String, String> c = new LinkedHashMap<>(config);
    c.put(prefix() + "base-url", s.baseUrl().toString());
    StreamingSynthesizer synthesizer;
    try {
      synthesizer = createSynthesizer(c);
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    Map<String, String> used = Map.copyOf(c);
    ServerControl control =
        withoutFaults.isEmpty() ? s.control() : new Restricted(s.control(), withoutFaults);
    return new ConformanceFixture() {
      @Override
      public StreamingSynthesizer synthesizer() {
        return synthesizer;
      }

      @Override
      public Optional<ServerControl> control() {
        return Optional.of(control);
      }

      @Override
      public SynthesisOptions options() {
        return options;
      }

      @Override
      public Optional<String> apiKey() {
        return Optional.ofNullable(apiKey);
      }

      @Override
      public Duration timeout() {
        return timeout;
      }

      @Override
      public OptionalInt maxFrameBytes() {
        return maxFrameBytes == null ? OptionalInt.empty() : OptionalInt.of(maxFrameBytes);
      }

      @Override
      public Optional<Duration> responseTimeout() {
        return Optional.ofNullable(responseTimeout);
      }

      @Override
      public boolean ignoresWrongFrameType() {
        return ignoresWrongFrameType;
      }

      @Override
      public Optional<Reconfigure> reconfigure() {
        return Optional.of(
            new Reconfigure(
                provider, used, overrides -> createSynthesizer(merge(used, overrides))));
      }

      @Override
      public void close() {
        try {
          synthesizer.close();
        } finally {
          s.close();
        }
      }
    };
  }

  /** A server control that does not offer some kinds of fault. */
  private static final class Restricted implements ServerControl {
    private final ServerControl delegate;
    private final Set<Class<? extends Fault>> removed;

    Restricted(ServerControl delegate, Set<Class<? extends Fault>> removed) {
      this.delegate = delegate;
      this.removed = removed;
    }

    @Override
    public Set<Class<? extends Fault>> supportedFaults() {
      Set<Class<? extends Fault>> s = new HashSet<>(delegate.supportedFaults());
      s.removeAll(removed);
      return Set.copyOf(s);
    }

    @Override
    public void inject(Fault fault) {
      if (removed.contains(fault.getClass())) {
        throw new IllegalArgumentException(
            fault.getClass().getSimpleName() + " is not offered on this transport");
      }
      delegate.inject(fault);
    }

    @Override
    public void clearFaults() {
      delegate.clearFaults();
    }

    @Override
    public List<ServerRecord> sessions() {
      return delegate.sessions();
    }

    @Override
    public int openConnections() {
      return delegate.openConnections();
    }

    @Override
    public int busyConnections() {
      return delegate.busyConnections();
    }

    @Override
    public int connectionsAccepted() {
      return delegate.connectionsAccepted();
    }

    @Override
    public void reset() {
      delegate.reset();
    }
  }

  private static Map<String, String> merge(Map<String, String> base, Map<String, String> more) {
    Map<String, String> m = new LinkedHashMap<>(base);
    more.forEach(
        (k, v) -> {
          if (v == null) {
            m.remove(k);
          } else {
            m.put(k, v);
          }
        });
    return m;
  }

  private StreamingSynthesizer createSynthesizer(Map<String, String> c) {
    return provider.create(ProviderContext.of(provider.name(), VoicebridgeConfig.of(c)));
  }
}
