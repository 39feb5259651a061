package dev.voicebridge.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the HTML report in headless Chromium (Debian's {@code chromium}, installed by .ci/run):
 * the page loads, the SVG charts are in the DOM after rendering, and a screenshot is produced.
 * Under CI a missing Chromium fails the test instead of skipping it.
 */
class HtmlRenderTest {
  @TempDir Path dir;

  private static Path chromium() {
    for (String c :
        List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(c))) {
        return Path.of(c);
      }
    }
    return null;
  }

  private String runChromium(Path chromium, List<String> args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(chromium.toString());
    cmd.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + dir.resolve("profile")));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    return out;
  }

  @Test
  void theReportRendersWithItsCharts() throws Exception {
    Path chromium = chromium();
    if (chromium == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(
            "chromium is not installed; .ci/run must install Debian's chromium");
      }
      Assumptions.abort("chromium is not installed");
    }
    Random ra = new Random(1);
    Random rb = new Random(2);
    ComparisonResult r =
        Comparison.builder()
            .contender("fast", () -> new FakeVendor("fast", 90, 30, ra), ComparisonTest.PCM)
            .contender("slow", () -> new FakeVendor("slow", 160, 30, rb), ComparisonTest.PCM)
            .script(Script.reply())
            .rounds(8)
            .sleeper(d -> {})
            .note("Emulated: figures from fake vendors in a unit test.")
            .build()
            .run();
    Path html = dir.resolve("report.html");
    Reports.write(r, html, dir.resolve("report.json"));

    String dom = runChromium(chromium, List.of("--dump-dom", html.toUri().toString()));
    assertThat(dom).contains("<svg id=\"cdf\"").contains("<svg id=\"timeline\"");
    assertThat(dom.split("class=\"series\"", -1)).hasSize(5);
    assertThat(dom).contains("class=\"chunk\"").contains("is faster by");

    Path png = dir.resolve("report.png");
    runChromium(
        chromium,
        List.of("--screenshot=" + png, "--window-size=1100,1400", html.toUri().toString()));
    assertThat(png).exists();
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes.length).isGreaterThan(10_000);
    assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    // kept for people to look at: latency/target/report-screenshot.png
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "report-screenshot.png"), bytes);
  }
}
