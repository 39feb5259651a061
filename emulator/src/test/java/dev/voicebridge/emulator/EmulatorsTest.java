package dev.voicebridge.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmulatorsTest {

  @Test
  void startAllStartsEveryVendorOnItsOwnPortAndCloseStopsThem() throws Exception {
    List<VendorEmulator> all = Emulators.startAll(EmulatorConfig.defaults());
    List<Integer> ports = all.stream().map(e -> e.baseUrl().getPort()).toList();
    try {
      assertThat(all)
          .extracting(VendorEmulator::vendor)
          .containsExactlyElementsOf(Emulators.VENDORS);
      assertThat(all).extracting(e -> e.baseUrl().getPort()).doesNotHaveDuplicates();
      assertThat(all).allSatisfy(e -> assertThat(e.baseUrl().getHost()).isEqualTo("127.0.0.1"));
      for (VendorEmulator e : all) {
        try (Socket s = new Socket("127.0.0.1", e.baseUrl().getPort())) {
          assertThat(s.isConnected()).isTrue();
        }
      }
    } finally {
      all.forEach(VendorEmulator::close);
    }
    for (int port : ports) {
      assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void realisticProfilesArePerVendor() {
    assertThat(Emulators.realisticProfile("fish").firstAudio())
        .isEqualTo(dev.voicebridge.emulator.fish.FishEmulator.REALISTIC.firstAudio());
    assertThat(Emulators.realisticProfile("fish").pace()).isEqualTo(1.0);
    assertThatThrownBy(() -> Emulators.realisticProfile("nope"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void oneListOfVendorsDrivesEverything() {
    assertThat(Emulators.vendors())
        .extracting(EmulatorVendor::name)
        .containsExactlyElementsOf(Emulators.VENDORS)
        .containsExactly("fish", "elevenlabs", "smallest", "cartesia", "deepgram");
    for (EmulatorVendor v : Emulators.vendors()) {
      assertThat(Emulators.vendor(v.name().toUpperCase(java.util.Locale.ROOT))).isSameAs(v);
      assertThat(Emulators.realisticProfile(v.name())).isSameAs(v.realisticProfile());
      try (VendorEmulator e = Emulators.start(v.name(), EmulatorConfig.defaults())) {
        assertThat(e.vendor()).isEqualTo(v.name());
      }
    }
    assertThatThrownBy(() -> Emulators.vendor("nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fish");
  }

  @Test
  void mainParsesItsArguments() {
    EmulatorMain.Args a =
        EmulatorMain.parse(
            new String[] {
              "--port", "9000", "--api-key=k", "--profile", "realistic", "--voice", "tone"
            });
    assertThat(a).isEqualTo(new EmulatorMain.Args(9000, "k", true, "tone"));
    assertThat(EmulatorMain.parse(new String[0]))
        .isEqualTo(new EmulatorMain.Args(0, "test-key", false, "tone"));
    assertThat(EmulatorMain.parse(new String[] {"--help"})).isNull();
    assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--profile", "fast"}))
        .hasMessageContaining("realistic or zero");
    assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--port"}))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--bogus"}))
        .hasMessageContaining("unknown argument");
  }

  @Test
  void mainPrintsTheBaseUrlLines() {
    List<VendorEmulator> all = Emulators.startAll(EmulatorConfig.defaults());
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      EmulatorMain.printBanner(
          new PrintStream(out, true, StandardCharsets.UTF_8),
          all,
          new EmulatorMain.Args(0, "test-key", false, "tone"));
      String text = out.toString(StandardCharsets.UTF_8);
      for (VendorEmulator e : all) {
        assertThat(text).contains("voicebridge." + e.vendor() + ".base-url=" + e.baseUrl() + "\n");
      }
    } finally {
      all.forEach(VendorEmulator::close);
    }
  }
}
