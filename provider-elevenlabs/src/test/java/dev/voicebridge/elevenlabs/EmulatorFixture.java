package dev.voicebridge.elevenlabs;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.conformance.ServerControl;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The ElevenLabs emulator plus a synthesizer pointed at it, for session and conformance tests. */
final class EmulatorFixture implements ConformanceFixture {
  /** A distinctive key, so leak checks can find it anywhere. */
  static final String KEY = "sk-canary-el-5c2e91";

  final ElevenLabsEmulator emulator;
  final StreamingSynthesizer synthesizer;
  final SynthesisOptions options;

  EmulatorFixture(
      ElevenLabsEmulator.Options emulatorOptions,
      Map<String, String> config,
      SynthesisOptions options) {
    this.emulator =
        ElevenLabsEmulator.start(EmulatorConfig.builder().apiKey(KEY).build(), emulatorOptions);
    Map<String, String> m = new HashMap<>();
    m.put("voicebridge.elevenlabs.api-key", KEY);
    m.put("voicebridge.elevenlabs.base-url", emulator.baseUrl().toString());
    m.put("voicebridge.elevenlabs.response-timeout", "2s");
    m.put("voicebridge.elevenlabs.connect-timeout", "5s");
    m.putAll(config);
    StreamingSynthesizer s;
    try {
      s =
          new ElevenLabsProvider()
              .create(ProviderContext.of("elevenlabs", VoicebridgeConfig.of(m)));
    } catch (RuntimeException e) {
      emulator.close();
      throw e;
    }
    this.synthesizer = s;
    this.options = options;
  }

  /** The conformance fixture of a transport: PCM 24 kHz, generous emulator limits. */
  static EmulatorFixture forTransport(String transport, Map<String, String> config) {
    Map<String, String> m = new HashMap<>(config);
    m.put("voicebridge.elevenlabs.transport", transport);
    return new EmulatorFixture(
        ElevenLabsEmulator.Options.builder().maxConcurrentRequests(64).build(),
        m,
        SynthesisOptions.builder().format(AudioFormat.PCM_24K).build());
  }

  @Override
  public StreamingSynthesizer synthesizer() {
    return synthesizer;
  }

  @Override
  public Optional<ServerControl> control() {
    return Optional.of(emulator.control());
  }

  @Override
  public Optional<String> apiKey() {
    return Optional.of(KEY);
  }

  @Override
  public SynthesisOptions options() {
    return options;
  }

  @Override
  public void close() {
    try {
      synthesizer.close();
    } finally {
      emulator.close();
    }
  }
}
