package dev.voicebridge.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.elevenlabs.ElevenLabsOptions;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.fish.FishOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 5, against the vendors' own clients: the npm {@code fish-audio} ({@code
 * convertRealtime} over WebSocket, {@code convert} over HTTP) and {@code @elevenlabs/elevenlabs-js}
 * ({@code stream} over HTTP) in one long-lived Node process ({@code benchmarks/peer/peer.mjs}),
 * against provider-fish and provider-elevenlabs, on the same emulators (zero profile, same JVM as
 * ours), same texts, runs interleaved. Ours is timed from {@code open()}, theirs from the client
 * call; both to the first and the last audio chunk delivered to the application.
 *
 * <p>{@code java -jar benchmarks.jar peer [--short] [--runs N] [--root /work/main]}
 */
public final class Peer {
  private Peer() {}

  record Row(String name, String kind, String vendor, SynthesisOptions options) {}

  public static void main(String[] args) throws Exception {
    boolean quick = Common.flag(args, "--short");
    int runs = Integer.parseInt(Common.option(args, "--runs", quick ? "30" : "200"));
    int warmup = quick ? 10 : 50;
    Path root = Path.of(Common.option(args, "--root", ".")).toAbsolutePath().normalize();
    String[] texts = {
      AddedLatency.TEXT,
      "The quick brown fox jumps over the lazy dog.",
      "Interleaved runs keep the comparison fair on a shared machine."
    };
    EmulatorConfig config =
        EmulatorConfig.builder().apiKey(Common.KEY).profile(LatencyProfile.ZERO).build();
    try (FishEmulator fish = FishEmulator.start(config);
        ElevenLabsEmulator eleven = ElevenLabsEmulator.start(config)) {
      ProcessBuilder pb =
          new ProcessBuilder("node", root.resolve("benchmarks/peer/peer.mjs").toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().put("FISH_BASE_URL", fish.baseUrl().toString());
      pb.environment().put("ELEVENLABS_BASE_URL", eleven.baseUrl().toString());
      pb.environment().put("PEER_API_KEY", Common.KEY);
      pb.environment().put("INTEROP_DIR", root.resolve("interop").toString());
      Process node = pb.start();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
      Writer nodeIn = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8);
      ObjectMapper json = new ObjectMapper();
      List<Row> rows =
          List.of(
              new Row(
                  "fish WebSocket (convertRealtime)",
                  "fish-ws",
                  "fish",
                  Common.options(new Common.Target("fish", FishOptions.WEBSOCKET))),
              new Row(
                  "fish HTTP (convert)",
                  "fish-http",
                  "fish",
                  Common.options(new Common.Target("fish", FishOptions.HTTP))),
              new Row(
                  "elevenlabs HTTP (stream)",
                  "elevenlabs-http",
                  "elevenlabs",
                  Common.options(new Common.Target("elevenlabs", ElevenLabsOptions.HTTP))));
      Map<String, URI> urls = Map.of("fish", fish.baseUrl(), "elevenlabs", eleven.baseUrl());
      Map<String, List<long[]>> theirs = new LinkedHashMap<>();
      Map<String, List<long[]>> warm = new LinkedHashMap<>();
      Map<String, List<long[]>> cold = new LinkedHashMap<>();
      Map<String, List<long[]>> floor = new LinkedHashMap<>();
      Floors floors = new Floors();
      Map<String, StreamingSynthesizer> warmSynths = new LinkedHashMap<>();
      for (Row r : rows) {
        theirs.put(r.name(), new ArrayList<>());
        warm.put(r.name(), new ArrayList<>());
        cold.put(r.name(), new ArrayList<>());
        floor.put(r.name(), new ArrayList<>());
        warmSynths.put(r.name(), Common.create(r.vendor(), urls.get(r.vendor())));
      }
      System.out.println("# peer comparison, " + Common.machine());
      System.out.println(
          "# node "
              + nodeVersion()
              + ", "
              + warmup
              + " warm-up + "
              + runs
              + " interleaved runs per row");
      int id = 0;
      try {
        for (int i = 0; i < warmup + runs; i++) {
          boolean measure = i >= warmup;
          String text = texts[i % texts.length];
          for (Row r : rows) {
            // rotate the order of the three contenders so none always runs first
            for (int k = 0; k < 4; k++) {
              int which = (i + k) % 4;
              long[] t;
              if (which == 0) {
                nodeIn.write(
                    json.writeValueAsString(Map.of("id", ++id, "kind", r.kind(), "text", text))
                        + "\n");
                nodeIn.flush();
                JsonNode resp = json.readTree(in.readLine());
                if (resp.has("error")) {
                  throw new IllegalStateException(r.kind() + ": " + resp.get("error").asText());
                }
                t = new long[] {resp.get("first").asLong(), resp.get("last").asLong()};
                if (measure) {
                  theirs.get(r.name()).add(t);
                }
              } else if (which == 1) {
                Common.Run run = Common.run(warmSynths.get(r.name()), r.options(), text, false);
                if (measure) {
                  warm.get(r.name()).add(new long[] {run.firstNanos(), run.lastNanos()});
                }
              } else if (which == 3) {
                Common.Run run =
                    switch (r.kind()) {
                      case "fish-ws" -> floors.fishWs(urls.get("fish"), text);
                      case "fish-http" -> floors.fishHttp(urls.get("fish"), text);
                      default -> floors.elevenLabsHttp(urls.get("elevenlabs"), text);
                    };
                if (measure) {
                  floor.get(r.name()).add(new long[] {run.firstNanos(), run.lastNanos()});
                }
              } else {
                try (StreamingSynthesizer s = Common.create(r.vendor(), urls.get(r.vendor()))) {
                  Common.Run run = Common.run(s, r.options(), text, false);
                  if (measure) {
                    cold.get(r.name()).add(new long[] {run.firstNanos(), run.lastNanos()});
                  }
                }
              }
            }
          }
        }
      } finally {
        nodeIn.close();
        node.waitFor();
        floors.close();
        for (StreamingSynthesizer s : warmSynths.values()) {
          s.close();
        }
      }
      System.out.println(
          "| row | theirs first p50 ms | ours new first p50 ms | ratio | ours warm first p50 ms |"
              + " ratio | theirs last p50 ms | ours new last p50 ms | ratio | ours warm last p50"
              + " ms | ratio | bare JDK client first / last p50 ms |");
      System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
      for (Row r : rows) {
        double tf = median(theirs.get(r.name()), 0);
        double cf = median(cold.get(r.name()), 0);
        double wf = median(warm.get(r.name()), 0);
        double tl = median(theirs.get(r.name()), 1);
        double cl = median(cold.get(r.name()), 1);
        double wl = median(warm.get(r.name()), 1);
        System.out.printf(
            "| %s | %s | %s | %.2f | %s | %.2f | %s | %s | %.2f | %s | %.2f | %s / %s |%n",
            r.name(),
            Common.ms(tf),
            Common.ms(cf),
            cf / tf,
            Common.ms(wf),
            wf / tf,
            Common.ms(tl),
            Common.ms(cl),
            cl / tl,
            Common.ms(wl),
            wl / tl,
            Common.ms(median(floor.get(r.name()), 0)),
            Common.ms(median(floor.get(r.name()), 1)));
      }
    }
  }

  private static double median(List<long[]> l, int idx) {
    return Common.quantile(l.stream().mapToLong(a -> a[idx]).toArray(), 0.5);
  }

  private static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").start();
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (Exception e) {
      return "?";
    }
  }
}
