package dev.voicebridge.latency;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Writes a comparison as JSON (every raw figure) and as one self-contained HTML page with SVG. */
public final class Reports {
  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"
  };

  private Reports() {}

  private static String num(Double d) {
    return d == null || d.isNaN() || d.isInfinite()
        ? "null"
        : String.format(Locale.ROOT, "%.3f", d);
  }

  /** The machine the comparison ran on. */
  static Map<String, String> machine() {
    return Map.of(
        "os",
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        "arch",
        System.getProperty("os.arch"),
        "cpus",
        Integer.toString(Runtime.getRuntime().availableProcessors()),
        "java",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
  }

  /** The JSON document. */
  public static String json(ComparisonResult r) {
    StringBuilder sb = new StringBuilder("{\n");
    sb.append("  \"script\": {\"name\": ")
        .append(FlatJson.quote(r.script().name()))
        .append(", \"text\": ")
        .append(FlatJson.quote(r.script().text()))
        .append(", \"steps\": ")
        .append(r.script().steps().size())
        .append(", \"flushes\": ")
        .append(r.script().flushes())
        .append("},\n");
    sb.append("  \"rounds\": ").append(r.rounds()).append(",\n");
    sb.append("  \"seed\": ").append(r.seed()).append(",\n");
    sb.append("  \"started\": ").append(FlatJson.quote(r.started().toString())).append(",\n");
    sb.append("  \"elapsed_ms\": ").append(r.elapsed().toMillis()).append(",\n");
    sb.append("  \"note\": ").append(FlatJson.quote(r.note())).append(",\n");
    sb.append("  \"machine\": {");
    appendMap(sb, machine());
    sb.append("},\n  \"contenders\": [");
    for (int i = 0; i < r.contenders().size(); i++) {
      var c = r.contenders().get(i);
      sb.append(i == 0 ? "\n" : ",\n")
          .append("    {\"label\": ")
          .append(FlatJson.quote(c.label()))
          .append(", \"settings\": {");
      appendMap(sb, c.settings());
      sb.append("}}");
    }
    sb.append("\n  ],\n  \"verdicts\": [");
    List<ComparisonResult.Verdict> vs = r.verdicts();
    for (int i = 0; i < vs.size(); i++) {
      var v = vs.get(i);
      sb.append(i == 0 ? "\n" : ",\n")
          .append("    {\"series\": ")
          .append(FlatJson.quote(v.series()))
          .append(", \"a\": ")
          .append(FlatJson.quote(v.a()))
          .append(", \"b\": ")
          .append(FlatJson.quote(v.b()))
          .append(", \"median_difference_ms\": ")
          .append(num(v.difference().estimate()))
          .append(", \"ci95_ms\": [")
          .append(num(v.difference().low()))
          .append(", ")
          .append(num(v.difference().high()))
          .append("], \"significant\": ")
          .append(v.difference().significant())
          .append(", \"verdict\": ")
          .append(FlatJson.quote(v.verdict()))
          .append("}");
    }
    sb.append("\n  ],\n  \"runs\": [");
    for (int i = 0; i < r.runs().size(); i++) {
      RunResult x = r.runs().get(i);
      sb.append(i == 0 ? "\n" : ",\n")
          .append("    {\"label\": ")
          .append(FlatJson.quote(x.label()))
          .append(", \"round\": ")
          .append(x.round())
          .append(", \"warm\": ")
          .append(x.warm())
          .append(", \"outcome\": ")
          .append(FlatJson.quote(x.outcome()))
          .append(", \"error\": ")
          .append(x.error() == null ? "null" : FlatJson.quote(x.error()))
          .append(", \"connect_ms\": ")
          .append(num(x.connectMs()))
          .append(", \"reused\": ")
          .append(x.reused())
          .append(", \"first_audio_ms\": ")
          .append(num(x.firstAudioMs()))
          .append(", \"flush_ms\": [");
      for (int k = 0; k < x.flushMs().size(); k++) {
        sb.append(k == 0 ? "" : ", ").append(num(x.flushMs().get(k)));
      }
      sb.append("], \"last_audio_after_end_ms\": ")
          .append(num(x.lastAudioAfterEndMs()))
          .append(", \"total_ms\": ")
          .append(num(x.totalMs()))
          .append(", \"completion_ms\": ")
          .append(num(x.completionMs()))
          .append(", \"audio_ms\": ")
          .append(num(x.audioMs()))
          .append(", \"real_time_factor\": ")
          .append(num(x.realTimeFactor()))
          .append(", \"max_gap_ms\": ")
          .append(num(x.maxGapMs()))
          .append(", \"underruns\": ")
          .append(x.underruns())
          .append(", \"underrun_ms\": ")
          .append(num(x.underrunMs()))
          .append(", \"chunks\": [");
      for (int k = 0; k < x.chunks().size(); k++) {
        RunResult.Chunk c = x.chunks().get(k);
        sb.append(k == 0 ? "" : ", ")
            .append('[')
            .append(num(c.arrivalMs()))
            .append(", ")
            .append(num(c.audioMs()))
            .append(']');
      }
      sb.append("]}");
    }
    sb.append("\n  ]\n}\n");
    return sb.toString();
  }

  private static void appendMap(StringBuilder sb, Map<String, String> m) {
    boolean first = true;
    for (var e : new java.util.TreeMap<>(m).entrySet()) {
      sb.append(first ? "" : ", ")
          .append(FlatJson.quote(e.getKey()))
          .append(": ")
          .append(FlatJson.quote(e.getValue()));
      first = false;
    }
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String f1(double d) {
    return String.format(Locale.ROOT, "%.1f", d);
  }

  /** The HTML page: no external scripts, styles or fonts. */
  public static String html(ComparisonResult r) {
    List<String> series = r.series();
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Voicebridge latency comparison</title><style>")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;")
        .append("margin:2em;color:#222;max-width:1100px}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;")
        .append("padding:4px 8px;text-align:right}th{background:#f4f4f4}td:first-child,")
        .append("th:first-child{text-align:left}.note{background:#fff3cd;border:1px solid #e0c36a;")
        .append("padding:.8em;margin:1em 0}.verdict{font-weight:600}svg{background:#fff;")
        .append("border:1px solid #ddd}</style></head><body>\n");
    sb.append("<h1>Latency comparison</h1>\n");
    if (!r.note().isBlank()) {
      sb.append("<p class=\"note\" id=\"note\">").append(esc(r.note())).append("</p>\n");
    }
    sb.append("<p>Script <b>")
        .append(esc(r.script().name()))
        .append("</b> (")
        .append(r.script().text().length())
        .append(" characters, ")
        .append(r.script().steps().size())
        .append(" steps, ")
        .append(r.script().flushes())
        .append(" flushes), ")
        .append(r.rounds())
        .append(" rounds, interleaved in an order shuffled with seed ")
        .append(r.seed())
        .append(". Started ")
        .append(esc(r.started().toString()))
        .append(" on ")
        .append(esc(machine().toString()))
        .append(".</p>\n");
    sb.append("<h2>Contenders</h2><ul>");
    for (var c : r.contenders()) {
      sb.append("<li><b>")
          .append(esc(c.label()))
          .append("</b> ")
          .append(esc(new java.util.TreeMap<>(c.settings()).toString()))
          .append("</li>");
    }
    sb.append("</ul>\n<h2>Verdict</h2><ul id=\"verdicts\">");
    for (var v : r.verdicts()) {
      sb.append("<li class=\"verdict\">")
          .append(v.series())
          .append(" connections: ")
          .append(esc(v.verdict()))
          .append("</li>");
    }
    sb.append("</ul>\n<h2>Time to first audio, cumulative distribution</h2>\n");
    sb.append(cdf(r, series));
    sb.append("\n<h2>Statistics</h2>\n<table id=\"stats\"><tr><th>figure</th><th>series</th>")
        .append("<th>n</th><th>failed</th><th>p50</th><th>p95</th><th>p99</th></tr>\n");
    boolean leftOut = false;
    boolean firstFigure = true;
    for (Map.Entry<String, Function<RunResult, Double>> f : ComparisonResult.figures().entrySet()) {
      for (String s : series) {
        ComparisonResult.Summary sum = r.summary(s, f.getValue());
        if (sum == null && !(firstFigure && r.failures(s) > 0)) {
          // no run produced this figure (a flush figure for a script without flushes): no row;
          // a series that never completed keeps its first row, which counts its failures
          leftOut = true;
          continue;
        }
        sb.append("<tr><td>")
            .append(esc(f.getKey()))
            .append("</td><td>")
            .append(esc(s))
            .append("</td><td>")
            .append(sum == null ? 0 : sum.n())
            .append("</td><td>")
            .append(r.failures(s))
            .append("</td><td>")
            .append(sum == null ? "-" : f1(sum.p50()))
            .append("</td><td>")
            .append(sum == null ? "-" : f1(sum.p95()))
            .append("</td><td>")
            .append(sum == null ? "-" : f1(sum.p99()))
            .append("</td></tr>\n");
      }
      firstFigure = false;
    }
    sb.append("</table>\n");
    if (leftOut) {
      sb.append("<p id=\"left-out\">Figures that no run of a series produced are left out (for")
          .append(" example first audio after a flush, for a script without flushes).</p>\n");
    }
    sb.append("<h2>Chunk timeline of each series' median run</h2>\n")
        .append(
            "<p>Each bar is a chunk: it starts when the chunk arrived (from the first text) and is")
        .append(
            " as long as the audio it holds. Bars that overlap or touch mean playback never ran dry.</p>\n");
    sb.append(timeline(r, series));
    sb.append(
            "\n<h2>How the figures are measured</h2><p>Connection set-up, time to first audio, time to")
        .append(
            " first audio after each flush and time to last audio come from Voicebridge's own timing")
        .append(
            " (System.nanoTime in the library, identical for every provider). Gaps and underruns")
        .append(
            " come from each chunk's arrival time and audio length: an underrun is a chunk that")
        .append(
            " arrives after the audio before it would have finished playing, while the text for it")
        .append(" had already been given. The difference of medians is bootstrapped (")
        .append(ComparisonResult.RESAMPLES)
        .append(" resamples); a winner is named only where the 95% interval excludes zero.</p>\n");
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static String cdf(ComparisonResult r, List<String> series) {
    int w = 900;
    int h = 360;
    int left = 60;
    int bottom = 40;
    int top = 20;
    int right = Math.max(180, 60 + labelWidth(series, 12));
    double max = 1;
    for (String s : series) {
      for (double v : r.values(s, RunResult::firstAudioMs)) {
        max = Math.max(max, v);
      }
    }
    max *= 1.05;
    double plotW = w - left - right;
    double plotH = h - top - bottom;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg id=\"cdf\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h)
        .append("\" role=\"img\" aria-label=\"CDF of time to first audio\">");
    for (int t = 0; t <= 4; t++) {
      double y = top + plotH - plotH * t / 4.0;
      double x = left + plotW * t / 4.0;
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>",
              left,
              y,
              left + plotW,
              y));
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.2f</text>",
              left - 6,
              y + 4,
              t / 4.0));
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%.0f ms</text>",
              x,
              h - bottom + 16,
              max * t / 4.0));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#444\"/>",
            left,
            top + plotH,
            left + plotW,
            top + plotH));
    sb.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"#444\"/>",
            left,
            top,
            left,
            top + plotH));
    for (int i = 0; i < series.size(); i++) {
      double[] v = r.values(series.get(i), RunResult::firstAudioMs).clone();
      java.util.Arrays.sort(v);
      String color = COLORS[i % COLORS.length];
      boolean warmSeries = series.get(i).endsWith("/warm");
      StringBuilder d = new StringBuilder();
      double prevY = top + plotH;
      d.append(String.format(Locale.ROOT, "M%d %.1f", left, prevY));
      for (int k = 0; k < v.length; k++) {
        double x = left + plotW * v[k] / max;
        double y = top + plotH - plotH * (k + 1) / v.length;
        d.append(String.format(Locale.ROOT, " L%.1f %.1f L%.1f %.1f", x, prevY, x, y));
        prevY = y;
      }
      sb.append("<path class=\"series\" data-series=\"")
          .append(esc(series.get(i)))
          .append("\" d=\"")
          .append(d)
          .append("\" fill=\"none\" stroke=\"")
          .append(color)
          .append("\" stroke-width=\"2\"")
          .append(warmSeries ? " stroke-dasharray=\"6 3\"" : "")
          .append("/>");
      double ly = top + 14 + i * 18;
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>",
              left + plotW + 12,
              ly,
              left + plotW + 36,
              ly,
              color,
              warmSeries ? " stroke-dasharray=\"6 3\"" : ""));
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">%s</text>",
              left + plotW + 42,
              ly + 4,
              esc(series.get(i))));
    }
    sb.append("</svg>");
    return sb.toString();
  }

  /**
   * A generous estimate of the width of the longest label at {@code fontSize} (0.65 em per
   * character, wider than the average glyph of a sans-serif font), so margins fit it.
   */
  private static int labelWidth(List<String> labels, int fontSize) {
    int longest = labels.stream().mapToInt(String::length).max().orElse(0);
    return (int) Math.ceil(longest * fontSize * 0.65);
  }

  private static String timeline(ComparisonResult r, List<String> series) {
    List<RunResult> rows = new ArrayList<>();
    for (String s : series) {
      List<RunResult> ok =
          r.runs().stream()
              .filter(x -> x.series().equals(s) && x.ok() && x.firstAudioMs() != null)
              .sorted(Comparator.comparingDouble(RunResult::firstAudioMs))
              .toList();
      if (!ok.isEmpty()) {
        rows.add(ok.get(ok.size() / 2));
      }
    }
    double max = 1;
    for (RunResult x : rows) {
      for (RunResult.Chunk c : x.chunks()) {
        max = Math.max(max, c.arrivalMs() + c.audioMs());
      }
    }
    int w = 900;
    int left = Math.max(160, 16 + labelWidth(series, 12));
    int rowH = 26;
    int h = 40 + rows.size() * rowH;
    double plotW = w - left - 24;
    StringBuilder sb = new StringBuilder();
    sb.append("<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(h)
        .append("\" viewBox=\"0 0 ")
        .append(w)
        .append(' ')
        .append(h)
        .append("\" role=\"img\" aria-label=\"chunk timeline\">");
    for (int t = 0; t <= 5; t++) {
      double x = left + plotW * t / 5.0;
      sb.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"10\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>",
              x,
              x,
              h - 24));
      // the last label ends at the last tick rather than centring on it, so it is never clipped
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"%s\">%.0f ms</text>",
              x,
              h - 8,
              t == 5 ? "end" : "middle",
              max * t / 5.0));
    }
    for (int i = 0; i < rows.size(); i++) {
      RunResult x = rows.get(i);
      String color = COLORS[series.indexOf(x.series()) % COLORS.length];
      double y = 14 + i * rowH;
      sb.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%.1f\" font-size=\"12\" text-anchor=\"end\">%s</text>",
              left - 8,
              y + 13,
              esc(x.series())));
      for (RunResult.Chunk c : x.chunks()) {
        double cx = left + plotW * c.arrivalMs() / max;
        double cw = Math.max(1, plotW * c.audioMs() / max);
        sb.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"chunk\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"%s\" fill-opacity=\"0.55\" stroke=\"%s\"/>",
                cx,
                y,
                cw,
                color,
                color));
      }
    }
    sb.append("</svg>");
    return sb.toString();
  }

  /** Writes {@code report.json} and {@code report.html} style files. */
  public static void write(ComparisonResult r, Path html, Path json) throws IOException {
    if (html != null) {
      Files.writeString(html, html(r), StandardCharsets.UTF_8);
    }
    if (json != null) {
      Files.writeString(json, json(r), StandardCharsets.UTF_8);
    }
  }
}
