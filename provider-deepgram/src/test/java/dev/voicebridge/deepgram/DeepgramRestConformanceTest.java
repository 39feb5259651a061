package dev.voicebridge.deepgram;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerControl;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The conformance suite over REST {@code POST /v1/speak}, against the Deepgram emulator.
 *
 * <p>Two differences from the WebSocket fixture, both about what REST is (see
 * docs/providers/deepgram.md):
 *
 * <ul>
 *   <li>The suite finds a session's text in one server record, so the fixture asks for one request
 *       per flush ({@code http-request-unit=flush}); the per-sentence default, pipelined, is
 *       covered by {@link DeepgramRestStubTest}.
 *   <li>A REST audio body has no frames: Deepgram sends no error frame inside it (an error after
 *       audio can only cut the body), so the frame faults ({@link Fault.ErrorFrame}, {@link
 *       Fault.MalformedFrame}, {@link Fault.WrongFrameType}, {@link Fault.OversizeFrame}, {@link
 *       Fault.EndlessFrame}) cannot be expressed on this transport and are not offered (their rules
 *       skip). Error statuses before audio are the handshake rules, which run.
 * </ul>
 */
class DeepgramRestConformanceTest extends StreamingSynthesizerContract {

  static final Set<Class<? extends Fault>> FRAME_FAULTS =
      Set.of(
          Fault.ErrorFrame.class,
          Fault.MalformedFrame.class,
          Fault.WrongFrameType.class,
          Fault.OversizeFrame.class,
          Fault.EndlessFrame.class);

  @Override
  protected ConformanceFixture createFixture() {
    ConformanceFixture f =
        DeepgramConformanceTest.FIXTURE
            .config("transport", "http")
            .options(
                SynthesisOptions.builder()
                    .format(AudioFormat.pcm(24_000))
                    .voice("aura-2-thalia-en")
                    .set(DeepgramOptions.TRANSPORT, DeepgramOptions.HTTP)
                    .set(DeepgramOptions.HTTP_REQUEST_UNIT, DeepgramOptions.PER_FLUSH)
                    .build())
            .create();
    ServerControl http = new WithoutFrameFaults(f.control().orElseThrow());
    return new ConformanceFixture() {
      @Override
      public StreamingSynthesizer synthesizer() {
        return f.synthesizer();
      }

      @Override
      public Optional<ServerControl> control() {
        return Optional.of(http);
      }

      @Override
      public SynthesisOptions options() {
        return f.options();
      }

      @Override
      public Optional<String> apiKey() {
        return f.apiKey();
      }

      @Override
      public Duration timeout() {
        return f.timeout();
      }

      @Override
      public OptionalInt maxFrameBytes() {
        return f.maxFrameBytes();
      }

      @Override
      public Optional<Duration> responseTimeout() {
        return f.responseTimeout();
      }

      @Override
      public Optional<Reconfigure> reconfigure() {
        return f.reconfigure();
      }

      @Override
      public void close() throws Exception {
        f.close();
      }
    };
  }

  /** The emulator's control without the faults a raw audio body cannot express. */
  static final class WithoutFrameFaults implements ServerControl {
    private final ServerControl inner;

    WithoutFrameFaults(ServerControl inner) {
      this.inner = inner;
    }

    @Override
    public Set<Class<? extends Fault>> supportedFaults() {
      Set<Class<? extends Fault>> s = new HashSet<>(inner.supportedFaults());
      s.removeAll(FRAME_FAULTS);
      return s;
    }

    @Override
    public void inject(Fault fault) {
      if (FRAME_FAULTS.contains(fault.getClass())) {
        throw new IllegalArgumentException("a REST audio body has no frames");
      }
      inner.inject(fault);
    }

    @Override
    public void clearFaults() {
      inner.clearFaults();
    }

    @Override
    public List<ServerRecord> sessions() {
      return inner.sessions();
    }

    @Override
    public int openConnections() {
      return inner.openConnections();
    }

    @Override
    public int connectionsAccepted() {
      return inner.connectionsAccepted();
    }

    @Override
    public void reset() {
      inner.reset();
    }
  }
}
