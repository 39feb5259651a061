package dev.voicebridge.conformance;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.spi.conformance.ServerControl;
import java.time.Duration;
import java.util.Optional;

/**
 * What a provider's conformance test supplies: a synthesizer pointed at its server, and the handle
 * on that server. Created fresh for every test by {@link
 * StreamingSynthesizerContract#createFixture()} and closed after it (close the synthesizer and stop
 * the server).
 */
public interface ConformanceFixture extends AutoCloseable {

  /** The synthesizer under test. */
  StreamingSynthesizer synthesizer();

  /** The server behind it, or empty for a provider without one (faults then skip). */
  Optional<ServerControl> control();

  /**
   * Options for the suite's sessions. The format must be uncompressed (PCM, mu-law or A-law) so
   * integrity can be checked byte for byte.
   */
  SynthesisOptions options();

  /**
   * The API key the synthesizer was configured with, if any. The suite checks that it never appears
   * in an exception message, a report or a {@code toString}; use a distinctive value.
   */
  default Optional<String> apiKey() {
    return Optional.empty();
  }

  /**
   * How long the suite waits for any single outcome. The synthesizer's own response timeout must be
   * well below it (a few seconds), so stall faults end in a timeout the suite can observe.
   */
  default Duration timeout() {
    return Duration.ofSeconds(20);
  }

  /** Stops the server and closes the synthesizer. */
  @Override
  void close() throws Exception;
}
