package dev.voicebridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.EmulatorControl;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.emulator.cartesia.CartesiaEmulator;
import dev.voicebridge.emulator.deepgram.DeepgramEmulator;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the vendors' official npm clients (interop/checks/*.test.mjs, with node's test runner)
 * against the emulators, then checks that what each emulator recorded matches what the client sent
 * and received. Node modules come from {@code npm ci} in interop/ (.ci/run does it); under CI their
 * absence fails the test, locally it skips.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfficialClientsTest {
  private static final String KEY = "interop-key";
  private final ObjectMapper json = new ObjectMapper();
  private VendorEmulator fish;
  private VendorEmulator elevenlabs;
  private CartesiaEmulator cartesia;
  private VendorEmulator deepgram;
  @TempDir Path results;

  @BeforeAll
  void start() {
    EmulatorConfig config = EmulatorConfig.builder().apiKey(KEY).build();
    fish = FishEmulator.start(config);
    elevenlabs = ElevenLabsEmulator.start(config);
    cartesia = CartesiaEmulator.start(config);
    deepgram = DeepgramEmulator.start(config);
  }

  @AfterAll
  void stop() {
    if (fish != null) {
      fish.close();
    }
    if (elevenlabs != null) {
      elevenlabs.close();
    }
    if (cartesia != null) {
      cartesia.close();
    }
    if (deepgram != null) {
      deepgram.close();
    }
  }

  private static Path interopDir() {
    Path p = Path.of("").toAbsolutePath();
    return Files.isDirectory(p.resolve("checks")) ? p : p.resolve("interop");
  }

  @Test
  void theOfficialClientsWorkAgainstTheEmulators() throws Exception {
    Path dir = interopDir();
    boolean ci = "true".equals(System.getenv("CI"));
    if (!Files.isDirectory(dir.resolve("node_modules/fish-audio"))
        || !Files.isDirectory(dir.resolve("node_modules/@elevenlabs/elevenlabs-js"))
        || !Files.isDirectory(dir.resolve("node_modules/@cartesia/cartesia-js"))
        || !Files.isDirectory(dir.resolve("node_modules/@deepgram/sdk"))) {
      String why = "interop/node_modules is missing: run `npm ci` in interop/ (.ci/run does)";
      if (ci) {
        throw new AssertionError(why);
      }
      Assumptions.abort(why);
    }
    ProcessBuilder pb =
        new ProcessBuilder(
                "node", "--test", "--test-reporter=spec", "--test-timeout=60000", "checks/")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(results.resolve("node.log").toFile());
    pb.environment().put("FISH_BASE_URL", fish.baseUrl().toString().replaceAll("/$", ""));
    pb.environment()
        .put("ELEVENLABS_BASE_URL", elevenlabs.baseUrl().toString().replaceAll("/$", ""));
    pb.environment().put("CARTESIA_BASE_URL", cartesia.baseUrl().toString().replaceAll("/$", ""));
    pb.environment().put("DEEPGRAM_BASE_URL", deepgram.baseUrl().toString().replaceAll("/$", ""));
    pb.environment().put("INTEROP_API_KEY", KEY);
    pb.environment().put("INTEROP_RESULTS", results.toString());
    pb.environment().remove("FISH_API_KEY");
    pb.environment().remove("ELEVENLABS_API_KEY");
    pb.environment().remove("CARTESIA_API_KEY");
    pb.environment().remove("DEEPGRAM_API_KEY");
    pb.environment().remove("DEEPGRAM_ACCESS_TOKEN");
    Process p = pb.start();
    boolean finished = p.waitFor(150, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }
    assertThat(finished).as("node finished").isTrue();
    String log = Files.readString(results.resolve("node.log"), StandardCharsets.UTF_8);
    System.out.println(log);
    assertThat(p.exitValue()).as("node --test exit code; output:%n%s", log).isZero();

    // what the emulators recorded matches what the clients sent and received
    checkAgainst(fish, "fish-realtime");
    checkAgainst(fish, "fish-http");
    checkAgainst(elevenlabs, "elevenlabs-stream");
    checkAgainst(elevenlabs, "elevenlabs-timestamps");
    checkAgainst(cartesia, "cartesia-bytes");
    checkAgainst(cartesia, "cartesia-sse");
    checkAgainst(cartesia, "cartesia-ws-a");
    checkAgainst(cartesia, "cartesia-ws-b");
    checkCancelled(cartesia, "cartesia-ws-cancel");
    checkAgainst(deepgram, "deepgram-rest");
    checkAgainst(deepgram, "deepgram-live");
  }

  private void checkAgainst(VendorEmulator emulator, String check) throws Exception {
    File f = results.resolve(check + ".json").toFile();
    assertThat(f).as("the %s check recorded its result", check).exists();
    JsonNode r = json.readTree(f);
    String text = r.get("text").asText();
    List<ServerRecord> sessions = emulator.control().sessions();
    ServerRecord match =
        sessions.stream()
            .filter(
                s ->
                    s.text()
                        .replaceAll("\\s+", " ")
                        .strip()
                        .equals(text.replaceAll("\\s+", " ").strip()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no emulator session with the text of " + check + ": " + sessions));
    assertThat(match.completed()).as("%s completed on the server", check).isTrue();
    if (!check.equals("fish-http")) {
      // raw PCM: the bytes the client got are exactly those the emulator sent
      assertThat(match.audioSha256())
          .as("%s audio digest", check)
          .isEqualTo(r.get("sha256").asText());
      assertThat(match.audioBytesSent()).isEqualTo(r.get("bytes").asLong());
    } else {
      assertThat(match.audioBytesSent()).as("WAV bytes sent").isEqualTo(r.get("bytes").asLong());
    }
    if (r.has("model")) {
      assertThat(match.headers().get("model")).contains(r.get("model").asText());
    }
    if (r.has("flushes")) {
      assertThat(match.flushes()).as("%s flushes", check).isEqualTo(r.get("flushes").asInt());
    }
    if (r.has("version")) {
      assertThat(match.headers().get("cartesia-version")).contains(r.get("version").asText());
    }
    if (r.has("requestId")) {
      // the id the client saw (dg-request-id, Metadata's request_id) is the session's
      int i = sessions.indexOf(match);
      assertThat(((EmulatorControl) emulator.control()).sessionNotes().get(i))
          .as("%s request id", check)
          .containsEntry("request_id", r.get("requestId").asText());
    }
  }

  /** The client cancelled a context: the emulator recorded the cancel and sent no done. */
  private void checkCancelled(CartesiaEmulator emulator, String check) throws Exception {
    File f = results.resolve(check + ".json").toFile();
    assertThat(f).as("the %s check recorded its result", check).exists();
    String id = json.readTree(f).get("contextId").asText();
    List<ServerRecord> sessions = emulator.control().sessions();
    List<java.util.Map<String, String>> notes = emulator.control().sessionNotes();
    int i = 0;
    while (i < notes.size() && !id.equals(notes.get(i).get("context_id"))) {
      i++;
    }
    assertThat(i).as("a record of context %s", id).isLessThan(notes.size());
    assertThat(notes.get(i)).containsEntry("cancelled", "true");
    assertThat(sessions.get(i).completed()).isFalse();
  }
}
