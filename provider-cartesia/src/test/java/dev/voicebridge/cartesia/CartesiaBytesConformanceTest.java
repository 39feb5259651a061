package dev.voicebridge.cartesia;

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
 * The conformance suite over {@code POST /tts/bytes}, against the Cartesia emulator, one request
 * per flush and one at finish (as {@link CartesiaSseConformanceTest}).
 *
 * <p>A bytes body is raw audio: it has no frames, so Cartesia cannot send an error frame, a frame
 * that does not parse, a frame of the wrong type, an oversize or endless message, or a close reason
 * on it (the emulator answers those faults normally, see its README). They are not offered here,
 * and their rules skip rather than pass; an error after audio is a cut body, covered by {@link
 * Fault.Disconnect}.
 */
class CartesiaBytesConformanceTest extends StreamingSynthesizerContract {

  /** The faults a raw audio body cannot express. */
  static final Set<Class<? extends Fault>> FRAME_FAULTS =
      Set.of(
          Fault.ErrorFrame.class,
          Fault.MalformedFrame.class,
          Fault.WrongFrameType.class,
          Fault.OversizeFrame.class,
          Fault.EndlessFrame.class);

  /** The echo channels a raw audio body cannot express. */
  static final Set<Fault.Channel> FRAME_CHANNELS =
      Set.of(Fault.Channel.CLOSE_REASON, Fault.Channel.MALFORMED_FRAME);

  @Override
  protected ConformanceFixture createFixture() {
    ConformanceFixture f =
        CartesiaConformanceTest.FIXTURE
            .config("transport", CartesiaOptions.BYTES)
            .options(CartesiaConformanceTest.options(CartesiaOptions.BYTES))
            .create();
    ServerControl bytes = new WithoutFrames(f.control().orElseThrow());
    return new ConformanceFixture() {
      @Override
      public StreamingSynthesizer synthesizer() {
        return f.synthesizer();
      }

      @Override
      public Optional<ServerControl> control() {
        return Optional.of(bytes);
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

  /** The emulator's control without the faults and echo channels that need frames. */
  static final class WithoutFrames implements ServerControl {
    private final ServerControl delegate;

    WithoutFrames(ServerControl delegate) {
      this.delegate = delegate;
    }

    @Override
    public Set<Class<? extends Fault>> supportedFaults() {
      Set<Class<? extends Fault>> s = new HashSet<>(delegate.supportedFaults());
      s.removeAll(FRAME_FAULTS);
      return s;
    }

    @Override
    public void inject(Fault fault) {
      if (FRAME_FAULTS.contains(fault.getClass())
          || (fault instanceof Fault.EchoCredentials e && FRAME_CHANNELS.contains(e.channel()))) {
        throw new IllegalArgumentException("a raw audio body has no frames: " + fault);
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
}
