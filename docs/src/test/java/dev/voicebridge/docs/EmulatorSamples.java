package dev.voicebridge.docs;

import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.emulator.smallest.SmallestEmulator;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/** The samples of docs/emulator.md. */
final class EmulatorSamples {
  private EmulatorSamples() {}

  /** An ElevenLabs emulator, a synthesizer pointed at it, a fault, and what the server saw. */
  static ServerRecord elevenLabs() {
    // tag::elevenlabs[]
    try (ElevenLabsEmulator emu = ElevenLabsEmulator.start(EmulatorConfig.defaults())) {
      URI http = emu.baseUrl(); // http://127.0.0.1:PORT (the adapter derives ws:// from it)
      emu.control().inject(new Fault.ErrorFrame(2, Fault.ErrorKind.QUOTA)); // the next session
      try (StreamingSynthesizer tts =
              StreamingSynthesizers.create(
                  "elevenlabs",
                  VoicebridgeConfig.of(
                      Map.of(
                          "voicebridge.elevenlabs.api-key", emu.config().apiKey(), // test-key
                          "voicebridge.elevenlabs.base-url", http.toString())));
          SynthesisStream s = tts.synthesize("Two chunks, then the quota runs out.")) {
        s.readAllAudio(); // audio, then the vendor's quota_exceeded frame
      } catch (QuotaExceededException e) {
        System.out.println("as injected: " + e.getMessage());
      }
      return emu.control().lastSession(); // the frames the client sent, the text it assembled
    }
    // end::elevenlabs[]
  }

  /** The ElevenLabs emulator with options: at most five contexts on a multi-stream socket. */
  static int elevenLabsWithOptions(EmulatorConfig config) {
    // tag::elevenlabs-options[]
    try (ElevenLabsEmulator emu =
        ElevenLabsEmulator.start(
            config, ElevenLabsEmulator.Options.builder().maxContexts(5).build())) {
      return emu.options().maxContexts();
    }
    // end::elevenlabs-options[]
  }

  /** A Smallest emulator that completes sooner than the client asked, and a server fault. */
  static ServerRecord smallest() {
    // tag::smallest[]
    EmulatorConfig config = EmulatorConfig.builder().apiKey("test-key").build(); // ZERO, tone voice
    SmallestEmulator.Options options =
        SmallestEmulator.Options.builder()
            .completeBackoffOverride(Duration.ofMillis(50)) // instead of complete_backoff_ms
            .build();
    try (SmallestEmulator emulator = SmallestEmulator.start(config, options)) {
      URI http = emulator.baseUrl(); // http://127.0.0.1:PORT
      URI ws = emulator.webSocketUrl(); // ws://127.0.0.1:PORT/waves/v1/tts/live
      System.out.println("Smallest emulator at " + http + " and " + ws);
      emulator.control().inject(new Fault.ErrorFrame(2, Fault.ErrorKind.SERVER));
      try (StreamingSynthesizer tts =
              StreamingSynthesizers.create(
                  "smallest",
                  VoicebridgeConfig.of(
                      Map.of(
                          "voicebridge.smallest.api-key",
                          "test-key",
                          "voicebridge.smallest.base-url",
                          http.toString())));
          SynthesisStream s = tts.synthesize("Two chunks, then a server error.")) {
        s.readAllAudio(); // audio, then Smallest's error frame of a server failure
      } catch (ProviderUnavailableException e) {
        System.out.println("as injected: " + e.getMessage());
      }
      return emulator.control().lastSession();
    }
    // end::smallest[]
  }
}
