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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  /** Lists the chart labels whose laid-out box leaves their SVG's view box. */
  private static final String MEASURE_LABELS =
      """
      <script>
      const out = [];
      let count = 0;
      for (const svg of document.querySelectorAll('svg')) {
        const vb = svg.viewBox.baseVal;
        for (const t of svg.querySelectorAll('text')) {
          count++;
          const b = t.getBBox();
          if (b.x < vb.x - 0.5 || b.y < vb.y - 0.5
              || b.x + b.width > vb.x + vb.width + 0.5 || b.y + b.height > vb.y + vb.height + 0.5) {
            out.push(svg.id + ' "' + t.textContent + '" x=' + b.x.toFixed(1) + ' w='
                + b.width.toFixed(1) + ' of ' + vb.width);
          }
        }
      }
      const pre = document.createElement('pre');
      pre.id = 'labels';
      pre.setAttribute('data-count', count);
      pre.textContent = out.join(' | ');
      document.body.appendChild(pre);
      </script>
      """;

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
    assertThat(dom).contains("class=\"chunk\"").contains("fast is faster than slow by");

    // Every label of every chart lies inside its chart, as Chromium lays it out: a copy of the
    // page (the report itself has no scripts) measures each <text> and lists those that stick out.
    Path measured = dir.resolve("measured.html");
    Files.writeString(
        measured,
        Files.readString(html).replace("</body>", MEASURE_LABELS + "</body>"),
        StandardCharsets.UTF_8);
    String laidOut = runChromium(chromium, List.of("--dump-dom", measured.toUri().toString()));
    Matcher m =
        Pattern.compile("<pre id=\"labels\" data-count=\"(\\d+)\">([^<]*)</pre>").matcher(laidOut);
    assertThat(m.find()).as("the measuring script ran: %s", laidOut).isTrue();
    assertThat(Integer.parseInt(m.group(1))).as("labels measured").isGreaterThan(20);
    assertThat(m.group(2).strip()).as("labels outside their chart").isEmpty();

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
