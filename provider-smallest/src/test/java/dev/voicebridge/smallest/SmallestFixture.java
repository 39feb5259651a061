package dev.voicebridge.smallest;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.conformance.ConformanceFixture;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.smallest.SmallestEmulator;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Ticker;
import dev.voicebridge.spi.conformance.ServerControl;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The Smallest synthesizer pointed at a fresh Smallest emulator. */
final class SmallestFixture implements ConformanceFixture {
  /** A distinctive key, so the suite's leak check [SEC1] would notice it anywhere. */
  static final String KEY = "sk-canary-5m4ll35t";

  final SmallestEmulator emulator;
  final StreamingSynthesizer synthesizer;
  private final SynthesisOptions options;

  SmallestFixture(String transport, SmallestEmulator.Options emulatorOptions) {
    this(transport, emulatorOptions, Map.of());
  }

  SmallestFixture(
      String transport, SmallestEmulator.Options emulatorOptions, Map<String, String> extra) {
    this(transport, emulatorOptions, extra, Ticker.system());
  }

  SmallestFixture(
      String transport,
      SmallestEmulator.Options emulatorOptions,
      Map<String, String> extra,
      Ticker ticker) {
    emulator =
        SmallestEmulator.start(EmulatorConfig.builder().apiKey(KEY).build(), emulatorOptions);
    Map<String, String> props = new HashMap<>();
    props.put("voicebridge.smallest.api-key", KEY);
    props.put("voicebridge.smallest.base-url", emulator.baseUrl().toString());
    props.put("voicebridge.smallest.response-timeout", "2s");
    props.put("voicebridge.smallest.transport", transport);
    props.putAll(extra);
    synthesizer =
        new SmallestProvider()
            .create(ProviderContext.of("smallest", VoicebridgeConfig.of(props)).withTicker(ticker));
    SynthesisOptions.Builder b =
        SynthesisOptions.builder().format(AudioFormat.pcm(24_000)).voice("liam");
    if (transport.equals("websocket")) {
      b.set(SmallestOptions.WORD_TIMESTAMPS, true).set(SmallestOptions.COMPLETE_BACKOFF_MS, 50);
    } else {
      // one request per flush/finish, so that one session is one server record (see the docs)
      b.set(SmallestOptions.TRANSPORT, "sse").set(SmallestOptions.SSE_SPLIT, "flush");
    }
    options = b.build();
  }

  static SmallestEmulator.Options emulatorOptions() {
    return SmallestEmulator.Options.builder().maxConcurrentRequests(64).build();
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
  public SynthesisOptions options() {
    return options;
  }

  @Override
  public Optional<String> apiKey() {
    return Optional.of(KEY);
  }

  @Override
  public Duration timeout() {
    return Duration.ofSeconds(15);
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
