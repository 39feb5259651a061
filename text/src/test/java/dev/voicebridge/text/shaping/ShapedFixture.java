package dev.voicebridge.text.shaping;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.spi.conformance.ServerControl;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A provider's conformance fixture with text shaping in front of its synthesizer: the suite's
 * sessions, and those of the configuration rules, go through {@link TextShaping#wrap}.
 */
final class ShapedFixture implements ConformanceFixture {
  /**
   * Every transform but English numbers, and estimated timings. Numbers stay out because the suite
   * checks that the server received the very text it sent ("session number 0"), which that
   * transform rewrites by design; the suite's texts have no markdown, emoji, address or lexicon
   * word, so the other transforms pass them through, holding and releasing as they would any text.
   */
  static final TextShaping ALL =
      TextShaping.builder()
          .markdown()
          .nameEmoji()
          .urls()
          .lexicon(Lexicon.builder().add("nginx", "engine x").build())
          .estimateWordTimings()
          .build();

  private final ConformanceFixture inner;
  private final StreamingSynthesizer shaped;

  private ShapedFixture(ConformanceFixture inner) {
    this.inner = inner;
    this.shaped = ALL.wrap(inner.synthesizer());
  }

  /** {@code inner} with every transform in front of its synthesizer. */
  static ConformanceFixture of(ConformanceFixture inner) {
    return new ShapedFixture(inner);
  }

  @Override
  public StreamingSynthesizer synthesizer() {
    return shaped;
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

  /**
   * The inner fixture's, wrapped: the configuration and limit rules hold the provider through the
   * shaping wrapper too ([L3]: the wrapper holds one event; the provider's session buffers).
   */
  @Override
  public Optional<Reconfigure> reconfigure() {
    return inner
        .reconfigure()
        .map(r -> new Reconfigure(r.provider(), r.configuration(), r.create().andThen(ALL::wrap)));
  }

  @Override
  public void close() throws Exception {
    shaped.close();
    inner.close();
  }
}
