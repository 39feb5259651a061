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
   * None: the configuration and limit rules (CFG, SEC3, SEC4, L) hold the provider itself and run
   * in its own conformance classes. Through the shaping wrapper, [L3] does not hold yet: the
   * wrapper's own session buffers audio up to the library's default bound, not the provider's
   * configured {@code max-buffered-audio-bytes} (a known gap, in the closing note).
   */
  @Override
  public Optional<Reconfigure> reconfigure() {
    return Optional.empty();
  }

  @Override
  public void close() throws Exception {
    shaped.close();
    inner.close();
  }
}
