package dev.voicebridge.cache;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.spi.conformance.ServerControl;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A provider's conformance fixture with a {@link CachingSynthesizer} in front of its synthesizer:
 * the suite runs against the cache; the server, options and declarations stay the provider's.
 * Closing it closes the cache's synthesizer (and with it the provider's) and the server.
 */
final class CachedFixture implements ConformanceFixture {
  private final ConformanceFixture inner;
  private final CachingSynthesizer cached;

  CachedFixture(ConformanceFixture inner, Function<StreamingSynthesizer, CachingSynthesizer> wrap) {
    this.inner = inner;
    this.cached = wrap.apply(inner.synthesizer());
  }

  @Override
  public StreamingSynthesizer synthesizer() {
    return cached;
  }

  @Override
  public Optional<ServerControl> control() {
    return inner.control();
  }

  @Override
  public SynthesisOptions options() {
    return inner.options();
  }

  @Override
  public Optional<String> apiKey() {
    return inner.apiKey();
  }

  @Override
  public Duration timeout() {
    return inner.timeout();
  }

  @Override
  public OptionalInt maxFrameBytes() {
    return inner.maxFrameBytes();
  }

  @Override
  public Optional<Duration> responseTimeout() {
    return inner.responseTimeout();
  }

  @Override
  public boolean ignoresWrongFrameType() {
    return inner.ignoresWrongFrameType();
  }

  @Override
  public Optional<Reconfigure> reconfigure() {
    return inner.reconfigure();
  }

  @Override
  public void close() throws Exception {
    try {
      cached.close();
    } finally {
      inner.close();
    }
  }
}
