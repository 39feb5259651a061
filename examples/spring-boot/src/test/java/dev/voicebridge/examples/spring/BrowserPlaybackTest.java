package dev.voicebridge.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.spring.boot.test.AutoConfigureVoicebridgeEmulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Headless Chromium plays the streamed speech: the page's {@code <audio>} reaches {@code ended},
 * and what it played lasts as long as the server's report says the audio lasts. Offline: the
 * application speaks through the emulator (the test slice). Under CI a missing Chromium fails the
 * test instead of skipping it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureVoicebridgeEmulator(provider = "fish")
class BrowserPlaybackTest {
  @LocalServerPort int port;
  @TempDir Path dir;

  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":([0-9.]+)").matcher(json);
    assertThat(m.find()).as("%s in %s", key, json).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void theBrowserPlaysTheStreamToTheEnd() throws Exception {
    Path chromium = HeadlessChromium.find();
    if (chromium == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("chromium is not installed; .ci/run must install it");
      }
      Assumptions.abort("chromium is not installed");
    }
    try (HeadlessChromium browser =
        HeadlessChromium.open(
            chromium, dir.resolve("profile"), "http://127.0.0.1:" + port + "/index.html")) {
      // the page has loaded and its script has run; the start page's pending question ends with an
      // error when its document is replaced, and is asked again of the new one
      String ready = "";
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!ready.contains("\"value\":\"ready\"") && System.nanoTime() < deadline) {
        ready =
            browser.evaluate(
                "new Promise(r => { const ok = () => typeof playOnce === 'function'"
                    + " && location.href.startsWith('http');"
                    + " if (ok() && document.readyState === 'complete') r('ready');"
                    + " else addEventListener('load', () => { if (ok()) r('ready'); }); })",
                Duration.ofSeconds(30));
      }
      assertThat(ready).contains("\"value\":\"ready\"");
      String answer =
          browser.evaluate(
              "playOnce('The browser plays this stream to its end.')", Duration.ofSeconds(90));
      assertThat(answer).doesNotContain("exceptionDetails");
      double played = number(answer, "playedSeconds");
      double reported = number(answer, "audioDurationMs") / 1000.0;
      System.out.printf("browser played %.3f s; the server reported %.3f s%n", played, reported);
      assertThat(answer).contains("\"outcome\":\"COMPLETED\"");
      assertThat(reported).isGreaterThan(0.5);
      // media time, not wall-clock time: the browser played the whole stream
      assertThat(played).isCloseTo(reported, org.assertj.core.data.Offset.offset(0.25));
    }
  }
}
