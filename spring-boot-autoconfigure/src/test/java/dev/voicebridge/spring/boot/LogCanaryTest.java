package dev.voicebridge.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.fallback.FallbackSynthesizer;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.conformance.Fault;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * The canary: sessions of every vendor on every transport carry a distinctive API key, with every
 * logger at the finest level captured (the library logs through {@code System.Logger}, here backed
 * by {@code java.util.logging}), through normal sessions, refusals, malformed frames, resets,
 * servers that echo the key in every channel (where the emulator offers that fault), and a
 * failover. The key appears in no log line, no message, no stack trace.
 */
class LogCanaryTest {
  static final String CANARY = "vbCanary-7Q2xK9-log-key";

  @Test
  void theKeyAppearsInNoLogLineAtAnyLevel() {
    List<String> lines = new CopyOnWriteArrayList<>();
    SimpleFormatter format = new SimpleFormatter();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            lines.add(format.format(r));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    capture.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    Level previousRoot = root.getLevel();
    Logger vb = Logger.getLogger("dev.voicebridge");
    Level previousVb = vb.getLevel();
    root.setLevel(Level.ALL);
    vb.setLevel(Level.ALL);
    root.addHandler(capture);
    List<VendorEmulator> emulators =
        Emulators.startAll(EmulatorConfig.builder().apiKey(CANARY).build());
    List<VendorEmulator> refusing =
        Emulators.startAll(EmulatorConfig.builder().apiKey("another-key").build());
    int sessions = 0;
    try {
      for (int i = 0; i < emulators.size(); i++) {
        String vendor = emulators.get(i).vendor();
        if (!StreamingSynthesizers.providers().containsKey(vendor)) {
          continue; // its adapter is not on this module's class path
        }
        for (String transport : transports(vendor)) {
          List<Fault> faults = new ArrayList<>();
          for (Fault.Channel c : Fault.Channel.values()) {
            faults.add(new Fault.EchoCredentials(c));
          }
          faults.add(new Fault.HandshakeStatus(401, null));
          faults.add(new Fault.MalformedFrame(1));
          faults.add(new Fault.Disconnect(1, true));
          sessions += speak(vendor, transport, emulators.get(i));
          for (Fault f : faults) {
            // the faults this emulator has (echoed credentials where the emulator offers them)
            if (emulators.get(i).control().supportedFaults().contains(f.getClass())) {
              emulators.get(i).control().inject(f);
              sessions += speak(vendor, transport, emulators.get(i));
            }
          }
          sessions += speak(vendor, transport, refusing.get(i));
        }
      }
      // a failover from a refusing vendor to the local voice
      try (StreamingSynthesizer tts =
          FallbackSynthesizer.builder()
              .add(create("smallest", "websocket", refusing.get(2)))
              .add(StreamingSynthesizers.create("local", VoicebridgeConfig.empty()))
              .build()) {
        try (SynthesisStream s = tts.synthesize("A failover.")) {
          assertThat(s.readAllAudio()).isNotEmpty();
        }
      }
    } finally {
      root.removeHandler(capture);
      root.setLevel(previousRoot);
      vb.setLevel(previousVb);
      emulators.forEach(VendorEmulator::close);
      refusing.forEach(VendorEmulator::close);
    }
    String all = String.join("", lines);
    assertThat(sessions).isGreaterThan(20);
    // the capture works at the finest level: every vendor's sessions were logged
    assertThat(all)
        .contains("[fish] session opened")
        .contains("[elevenlabs] session opened")
        .contains("[smallest] session opened")
        .contains("failing over to local");
    assertThat(all).doesNotContain(CANARY);
  }

  private static List<String> transports(String vendor) {
    for (ConfigKey<?> k : StreamingSynthesizers.providers().get(vendor).configKeys()) {
      if (k.name().equals("transport")) {
        return List.of(k.typeName().substring("one of ".length()).split("\\|"));
      }
    }
    return List.of();
  }

  private static StreamingSynthesizer create(String vendor, String transport, VendorEmulator e) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("voicebridge." + vendor + ".api-key", CANARY);
    m.put("voicebridge." + vendor + ".base-url", e.baseUrl().toString());
    m.put("voicebridge." + vendor + ".transport", transport);
    m.put("voicebridge." + vendor + ".response-timeout", "5s");
    return StreamingSynthesizers.create(vendor, VoicebridgeConfig.of(m));
  }

  private static int speak(String vendor, String transport, VendorEmulator e) {
    try (StreamingSynthesizer tts = create(vendor, transport, e);
        SynthesisStream s = tts.synthesize("The canary sings.")) {
      s.readAllAudio();
    } catch (VoicebridgeException expected) {
      assertThat(expected.getMessage()).doesNotContain(CANARY);
    }
    return 1;
  }
}
