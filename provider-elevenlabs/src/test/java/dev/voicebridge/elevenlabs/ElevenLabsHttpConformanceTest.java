package dev.voicebridge.elevenlabs;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerControl;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The conformance suite over HTTP {@code /stream/with-timestamps}, against the emulator.
 *
 * <p>Two deliberate differences from the WebSocket fixtures, both about what HTTP is:
 *
 * <ul>
 *   <li>{@link ElevenLabsOptions#HTTP_SENTENCES} is off, so a session is one request per flush and
 *       one at finish: the suite finds a session's text in one server record, while sentence
 *       splitting makes one record per sentence (covered by {@link ElevenLabsHttpSessionTest}).
 *   <li>The {@link Fault.ErrorFrame} fault is not offered: ElevenLabs has no error frame inside an
 *       HTTP body, so the emulator answers an error before audio with a status and aborts the body
 *       after audio, which is a transport failure. Both are tested in {@link
 *       ElevenLabsHttpSessionTest}; here the error-frame rules are skipped, not passed.
 * </ul>
 */
class ElevenLabsHttpConformanceTest extends StreamingSynthesizerContract {
  @Override
  protected ConformanceFixture createFixture() {
    EmulatorFixture f =
        new EmulatorFixture(
            ElevenLabsEmulator.Options.builder().maxConcurrentRequests(64).build(),
            withTransport(ElevenLabsConformanceTest.limits(), "http-timestamps"),
            SynthesisOptions.builder()
                .format(AudioFormat.PCM_24K)
                .set(ElevenLabsOptions.HTTP_SENTENCES, false)
                .build());
    ServerControl control = new WithoutErrorFrames(f.emulator.control());
    return new ConformanceFixture() {
      @Override
      public StreamingSynthesizer synthesizer() {
        return f.synthesizer();
      }

      @Override
      public Optional<ServerControl> control() {
        return Optional.of(control);
      }

      @Override
      public Optional<String> apiKey() {
        return f.apiKey();
      }

      @Override
      public OptionalInt maxFrameBytes() {
        Integer max = ElevenLabsConformanceTest.maxFrameBytes();
        return max == null ? OptionalInt.empty() : OptionalInt.of(max);
      }

      @Override
      public Optional<Duration> responseTimeout() {
        return Optional.of(ElevenLabsConformanceTest.RESPONSE_TIMEOUT);
      }

      @Override
      public SynthesisOptions options() {
        return f.options();
      }

      @Override
      public void close() {
        f.close();
      }
    };
  }

  private static Map<String, String> withTransport(Map<String, String> config, String transport) {
    Map<String, String> m = new HashMap<>(config);
    m.put("voicebridge.elevenlabs.transport", transport);
    return m;
  }

  /**
   * The emulator's control without the error-frame fault, nor the wrong-frame-type fault: an NDJSON
   * body is text lines, it has no frame types.
   */
  static final class WithoutErrorFrames implements ServerControl {
    private final ServerControl delegate;

    WithoutErrorFrames(ServerControl delegate) {
      this.delegate = delegate;
    }

    @Override
    public Set<Class<? extends Fault>> supportedFaults() {
      Set<Class<? extends Fault>> s = new HashSet<>(delegate.supportedFaults());
      s.remove(Fault.ErrorFrame.class);
      s.remove(Fault.WrongFrameType.class);
      return s;
    }

    @Override
    public void inject(Fault fault) {
      if (fault instanceof Fault.ErrorFrame || fault instanceof Fault.WrongFrameType) {
        throw new IllegalArgumentException("no error frames and no frame types over HTTP");
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
    public int connectionsAccepted() {
      return delegate.connectionsAccepted();
    }

    @Override
    public void reset() {
      delegate.reset();
    }
  }
}
