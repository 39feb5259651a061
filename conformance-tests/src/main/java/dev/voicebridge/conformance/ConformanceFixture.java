package dev.voicebridge.conformance;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import dev.voicebridge.spi.conformance.ServerControl;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * What a provider's conformance test supplies: a synthesizer pointed at its server, and the handle
 * on that server. Created fresh for every test by {@link
 * StreamingSynthesizerContract#createFixture()} and closed after it (close the synthesizer and stop
 * the server).
 */
public interface ConformanceFixture extends AutoCloseable {

  /** {@return the synthesizer under test} */
  StreamingSynthesizer synthesizer();

  /** {@return the server behind it, or empty for a provider without one (faults then skip)} */
  Optional<ServerControl> control();

  /**
   * {@return the options for the suite's sessions} The format must be uncompressed (PCM, mu-law or
   * A-law) so integrity can be checked byte for byte.
   */
  SynthesisOptions options();

  /**
   * {@return the API key the synthesizer was configured with, if any} The suite checks that it
   * never appears in an exception message, a report or a {@code toString}; use a distinctive value.
   */
  default Optional<String> apiKey() {
    return Optional.empty();
  }

  /**
   * {@return how long the suite waits for any single outcome} The synthesizer's own response
   * timeout must be well below it (a few seconds), so stall faults end in a timeout the suite can
   * observe.
   */
  default Duration timeout() {
    return Duration.ofSeconds(20);
  }

  /**
   * {@return the {@code max-frame-bytes} the synthesizer was configured with, if the fixture set
   * one small enough for the oversize-frame rule [E13] (a few tens of KiB, above the server's
   * largest normal frame)} Empty makes that rule skip.
   */
  default OptionalInt maxFrameBytes() {
    return OptionalInt.empty();
  }

  /**
   * {@return the response (inactivity) timeout the synthesizer was configured with, if the fixture
   * knows it} The inactivity rule [E15] checks that a silent server ends the session within it;
   * empty makes that rule skip.
   */
  default Optional<Duration> responseTimeout() {
    return Optional.empty();
  }

  /**
   * {@return true if the vendor's protocol tells clients to ignore a frame of the other type (Fish
   * Audio's live socket: "Text frames are ignored by the server and should be ignored by your
   * client")} The wrong-frame-type rules [E14] and [F1] then require the session to go on past it
   * and complete with all the audio, instead of ending in a {@code ProtocolException}.
   */
  default boolean ignoresWrongFrameType() {
    return false;
  }

  /**
   * How the suite can configure the provider afresh, for the configuration rules (a plain-text base
   * URL, a key with a stray character...): the provider, the configuration this fixture's
   * synthesizer was made with (full keys), and a function that makes a synthesizer from that
   * configuration with some keys replaced (a null value removes a key).
   *
   * @param provider the provider
   * @param configuration the configuration the fixture's synthesizer was made with (full keys)
   * @param create makes a synthesizer from a configuration
   */
  record Reconfigure(
      StreamingSynthesizerProvider provider,
      Map<String, String> configuration,
      Function<Map<String, String>, StreamingSynthesizer> create) {}

  /**
   * {@return how to configure the provider afresh, or empty (the configuration rules then skip)}
   */
  default Optional<Reconfigure> reconfigure() {
    return Optional.empty();
  }

  /**
   * {@return this fixture, declaring {@code maxFrameBytes} (or null) and {@code responseTimeout}
   * (or null) as what its synthesizer was configured with} For fixtures built by shared helpers.
   *
   * @param maxFrameBytes the max frame bytes
   * @param responseTimeout the response timeout
   */
  default ConformanceFixture declaring(Integer maxFrameBytes, Duration responseTimeout) {
    ConformanceFixture self = this;
    return new ConformanceFixture() {
      @Override
      public StreamingSynthesizer synthesizer() {
        return self.synthesizer();
      }

      @Override
      public Optional<ServerControl> control() {
        return self.control();
      }

      @Override
      public SynthesisOptions options() {
        return self.options();
      }

      @Override
      public Optional<String> apiKey() {
        return self.apiKey();
      }

      @Override
      public Duration timeout() {
        return self.timeout();
      }

      @Override
      public OptionalInt maxFrameBytes() {
        return maxFrameBytes == null ? self.maxFrameBytes() : OptionalInt.of(maxFrameBytes);
      }

      @Override
      public Optional<Duration> responseTimeout() {
        return responseTimeout == null ? self.responseTimeout() : Optional.of(responseTimeout);
      }

      @Override
      public boolean ignoresWrongFrameType() {
        return self.ignoresWrongFrameType();
      }

      @Override
      public Optional<Reconfigure> reconfigure() {
        return self.reconfigure();
      }

      @Override
      public void close() throws Exception {
        self.close();
      }
    };
  }

  /** Stops the server and closes the synthesizer. */
  @Override
  void close() throws Exception;
}
