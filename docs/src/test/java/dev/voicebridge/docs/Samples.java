package dev.voicebridge.docs;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.emulator.VendorEmulator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the samples' tests share: configuration that points providers at running emulators. */
final class Samples {
  private Samples() {}

  /** The keys that point each emulator's provider at it: key and base URL. */
  static VoicebridgeConfig config(List<VendorEmulator> emulators) {
    Map<String, String> keys = new HashMap<>();
    for (VendorEmulator e : emulators) {
      keys.put("voicebridge." + e.vendor() + ".api-key", e.config().apiKey());
      keys.put("voicebridge." + e.vendor() + ".base-url", e.baseUrl().toString());
    }
    return VoicebridgeConfig.of(keys);
  }

  /** A synthesizer of the emulator's vendor, pointed at it. */
  static StreamingSynthesizer againstEmulator(VendorEmulator emulator) {
    return StreamingSynthesizers.create(emulator.vendor(), config(List.of(emulator)));
  }
}
