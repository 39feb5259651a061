package dev.voicebridge.fish;

import dev.voicebridge.AudioFormat;
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
 * The conformance suite over HTTP {@code POST /v1/tts}.
 *
 * <p>Two differences from the WebSocket fixture, both documented in docs/providers/fish.md:
 *
 * <ul>
 *   <li>The suite finds one server record per session, so the fixture asks for one request per turn
 *       ({@code http-request-unit=flush}); the per-sentence default is covered by {@code
 *       FishEmulatorSessionTest}.
 *   <li>A chunked HTTP audio body has no frames: Fish sends no error frame and no message framing
 *       over HTTP, so the frame faults ({@link Fault.ErrorFrame}, {@link Fault.MalformedFrame},
 *       {@link Fault.WrongFrameType}, {@link Fault.OversizeFrame}, {@link Fault.EndlessFrame})
 *       cannot be expressed on this transport and are not offered (their tests skip).
 * </ul>
 */
class FishHttpConformanceTest extends StreamingSynthesizerContract {

  static final Set<Class<? extends Fault>> FRAME_FAULTS =
      Set.of(
          Fault.ErrorFrame.class,
          Fault.MalformedFrame.class,
          Fault.WrongFrameType.class,
          Fault.OversizeFrame.class,
          Fault.EndlessFrame.class); // a raw audio body has no message to leave unended

  @Override
  protected ConformanceFixture createFixture() {
    ConformanceFixture ws =
        FishConformanceTest.fixture(
            SynthesisOptions.builder()
                .format(AudioFormat.pcm(16_000))
                .set(FishOptions.TRANSPORT, FishOptions.HTTP)
                .set(FishOptions.HTTP_REQUEST_UNIT, FishOptions.PER_FLUSH)
                .build());
    ServerControl inner = ws.control().orElseThrow();
    ServerControl http =
        new ServerControl() {
          @Override
          public Set<Class<? extends Fault>> supportedFaults() {
            Set<Class<? extends Fault>> s = new HashSet<>(inner.supportedFaults());
            s.removeAll(FRAME_FAULTS);
            return s;
          }

          @Override
          public void inject(Fault fault) {
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
        };
    return new ConformanceFixture() {
      @Override
      public dev.voicebridge.StreamingSynthesizer synthesizer() {
        return ws.synthesizer();
      }

      @Override
      public Optional<ServerControl> control() {
        return Optional.of(http);
      }

      @Override
      public SynthesisOptions options() {
        return ws.options();
      }

      @Override
      public Optional<String> apiKey() {
        return ws.apiKey();
      }

      @Override
      public OptionalInt maxFrameBytes() {
        return ws.maxFrameBytes();
      }

      @Override
      public Optional<Duration> responseTimeout() {
        return ws.responseTimeout();
      }

      @Override
      public void close() throws Exception {
        ws.close();
      }
    };
  }
}
