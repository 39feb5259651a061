package dev.voicebridge.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.VendorEmulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's example runs as printed: its {@code main} on the embedded default (this module's
 * surefire sets {@code voicebridge.provider=local}, as a user would with {@code -D}), and the same
 * code against each vendor's emulator. Before the example waited for {@code completion()}, leaving
 * the {@code try} block cancelled the streamed turn: these tests fail on that.
 */
class QuickStartTest {
  @TempDir Path dir;

  @Test
  void mainSpeaksBothPartsOnTheLocalVoice() throws Exception {
    assertThat(System.getProperty("voicebridge.provider")).isEqualTo("local");
    String printed = capturingStdout(() -> QuickStart.main(new String[] {dir.toString()}));
    assertSpoke(printed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"fish", "elevenlabs", "smallest"})
  void theSameCodeSpeaksThroughEachEmulator(String vendor) throws Exception {
    try (VendorEmulator emulator = Emulators.start(vendor, EmulatorConfig.defaults());
        StreamingSynthesizer tts = Samples.againstEmulator(emulator)) {
      String printed = capturingStdout(() -> QuickStart.speak(tts, dir));
      assertSpoke(printed);
      // ElevenLabs wants a text to end with a space: its adapter adds one
      assertThat(emulator.control().lastSession().text().strip())
          .isEqualTo("Streaming text in, audio out.");
    }
  }

  private void assertSpoke(String printed) throws Exception {
    // 24 kHz 16-bit mono: about a second of speech for each part, never a cancelled, empty turn
    assertThat(Files.size(dir.resolve("hello.pcm"))).isGreaterThan(24_000);
    assertThat(Files.size(dir.resolve("turn.pcm"))).isGreaterThan(24_000);
    assertThat(printed)
        .containsPattern("first audio after \\d+ ms\\R")
        .containsPattern(
            "first audio after \\d+ ms, last audio after \\d+ ms, completed after \\d+ ms")
        .doesNotContain("Optional")
        .doesNotContain("PT");
  }

  interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} with {@code System.out} captured (this module runs its tests one by one). */
  static synchronized String capturingStdout(Body body) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      body.run();
    } finally {
      System.setOut(original);
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    original.print(printed);
    return printed;
  }

  @Test
  void theProviderIsTheOneConfigured() {
    try (StreamingSynthesizer tts = StreamingSynthesizers.fromConfig()) {
      assertThat(tts.provider()).isEqualTo("local");
    }
  }
}
