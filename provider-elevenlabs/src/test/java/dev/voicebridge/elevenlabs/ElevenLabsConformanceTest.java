package dev.voicebridge.elevenlabs;

import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.conformance.StreamingSynthesizerContract;
import dev.voicebridge.spi.Limits;
import java.time.Duration;
import java.util.Map;

/** The conformance suite over the {@code stream-input} WebSocket, against the emulator. */
class ElevenLabsConformanceTest extends StreamingSynthesizerContract {
  /** A max-frame-bytes well above the emulator's frames, for the oversize rule [E13]. */
  static final int MAX_FRAME_BYTES = 64 * 1024;

  /** The response timeout {@link EmulatorFixture} configures, for the inactivity rule [E15]. */
  static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(2);

  /** Whether the provider accepts {@code max-frame-bytes}. */
  static boolean acceptsLimits() {
    return new ElevenLabsProvider()
        .configKeys().stream().anyMatch(k -> k.name().equals(Limits.MAX_FRAME_BYTES.name()));
  }

  /** The configuration that sets the small max-frame-bytes, if the provider accepts it. */
  static Map<String, String> limits() {
    return acceptsLimits()
        ? Map.of("voicebridge.elevenlabs.max-frame-bytes", String.valueOf(MAX_FRAME_BYTES))
        : Map.of();
  }

  /** The max-frame-bytes configured, or null. */
  static Integer maxFrameBytes() {
    return acceptsLimits() ? MAX_FRAME_BYTES : null;
  }

  @Override
  protected ConformanceFixture createFixture() {
    return EmulatorFixture.forTransport("websocket", ElevenLabsConformanceTest.limits())
        .declaring(
            ElevenLabsConformanceTest.maxFrameBytes(), ElevenLabsConformanceTest.RESPONSE_TIMEOUT);
  }
}
