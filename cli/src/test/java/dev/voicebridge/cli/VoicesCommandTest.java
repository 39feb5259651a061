package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.VendorEmulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code voices} against every vendor's emulator, and the local provider. */
class VoicesCommandTest {
  private static List<VendorEmulator> emulators;

  @BeforeAll
  static void start() {
    emulators = Emulators.startAll(EmulatorConfig.builder().build());
  }

  @AfterAll
  static void stop() {
    emulators.forEach(VendorEmulator::close);
  }

  private static String[] args(String vendor, String key, String... more) {
    String url = emulators.get(Emulators.VENDORS.indexOf(vendor)).baseUrl().toString();
    List<String> all = new ArrayList<>(List.of("voices", "--provider", vendor));
    all.addAll(
        List.of(
            "-D",
            "voicebridge." + vendor + ".base-url=" + url,
            "-D",
            "voicebridge." + vendor + ".api-key=" + key));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void everyVendorListsItsWholeCatalogAsJson() throws Exception {
    for (String v : Emulators.VENDORS) {
      Cli cli = new Cli();
      int code = cli.run(args(v, "test-key", "--json"));
      assertThat(code).as("%s: %s", v, cli.err()).isZero();
      JsonNode voices = new ObjectMapper().readTree(cli.out());
      assertThat(voices.size()).as("%s: every page followed", v).isEqualTo(12);
      assertThat(voices.get(0).path("name").asText()).as(v).isEqualTo("Ava");
      assertThat(voices.get(0).path("languages").get(0).asText()).as(v).startsWith("en");
    }
  }

  @Test
  void aLanguageFiltersTheTable() {
    Cli cli = new Cli();
    int code = cli.run(args("elevenlabs", "test-key", "--language", "fr"));
    assertThat(code).as(cli.err()).isZero();
    assertThat(cli.out()).contains("Amelie", "Louis", "2 voice(s)").doesNotContain("Ava");
  }

  @Test
  void theLocalProviderListsItsVoice() {
    Cli cli = new Cli();
    assertThat(cli.run("voices", "--provider", "local")).as(cli.err()).isZero();
    assertThat(cli.out()).contains("kevin16", "en-us", "1 voice(s)");
  }

  @Test
  void aWrongKeyFailsInOneLineWithoutTheKey() {
    Cli cli = new Cli();
    int code = cli.run(args("cartesia", "sk-not-the-key-81"));
    assertThat(code).isEqualTo(Main.FAILED);
    assertThat(cli.err()).startsWith("voicebridge: ").doesNotContain("sk-not-the-key-81");
    assertThat(cli.err().strip().lines()).hasSize(1);
  }

  @Test
  void aBadLanguageIsAUsageError() {
    Cli cli = new Cli();
    assertThat(cli.run("voices", "--provider", "local", "--language", "english!")).isEqualTo(2);
    assertThat(cli.err()).contains("--language");
    Cli help = new Cli();
    assertThat(help.run("voices", "--help")).isZero();
    assertThat(help.out()).startsWith("Usage: voicebridge voices");
  }
}
