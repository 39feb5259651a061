package dev.voicebridge.benchmarks;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.VendorEmulator;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 1, added latency: the emulators (zero profile, same JVM) speak a {@link StampVoice}
 * whose every frame carries a stamp, and note through their {@link
 * dev.voicebridge.emulator.AudioTap} the nanoTime at which they hand each frame, encoded, to the
 * server for writing ({@link WriteTimes}). A frame's latency is its arrival ({@code
 * AudioChunk.receivedNanos()} "to library", or the application's {@code onNext} "to application")
 * minus that write time: for the first frame of a session and for every later one. The old upper
 * bound, arrival minus the stamp's synthesis time (which also holds the emulator's framing,
 * encoding and hand-off to its pacer thread), is printed beside it. Floor rows read the same
 * endpoints with a bare JDK client and Jackson (no library).
 *
 * <p>{@code java -jar benchmarks.jar latency [--short] [--sessions N] [--warmup N] [--only s]}
 */
public final class AddedLatency {
  private AddedLatency() {}

  static final String TEXT = "Benchmarks measure what the library adds on top of the network.";

  public static void main(String[] args) throws Exception {
    boolean quick = Common.flag(args, "--short");
    int warmup = Integer.parseInt(Common.option(args, "--warmup", quick ? "30" : "300"));
    int sessions = Integer.parseInt(Common.option(args, "--sessions", quick ? "60" : "500"));
    String only = Common.option(args, "--only", null);
    WriteTimes writeTimes = new WriteTimes();
    EmulatorConfig config =
        EmulatorConfig.builder()
            .apiKey(Common.KEY)
            .profile(LatencyProfile.ZERO)
            .voice(new StampVoice(100))
            .audioTap(writeTimes)
            .build();
    System.out.println("# added latency, " + Common.machine());
    System.out.printf(
        "# %d warm-up + %d measured sessions per row, text of %d chars (%.1f s of PCM 24 kHz)%n",
        warmup, sessions, TEXT.length(), TEXT.length() * 0.06);
    List<VendorEmulator> emulators = Emulators.startAll(config);
    Map<String, VendorEmulator> byVendor = new HashMap<>();
    for (VendorEmulator e : emulators) {
      byVendor.put(e.vendor(), e);
    }
    System.out.println(
        "| provider/transport | sessions | first frame written to library p50 ms | to application"
            + " p50 ms | p99 ms | later frames written to application p50 ms | p99 ms | first"
            + " frame synthesized to application p50 ms | frames/session |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    Floors floors = new Floors();
    try {
      List<Object[]> rows = new ArrayList<>();
      URI fish = byVendor.get("fish").baseUrl();
      URI eleven = byVendor.get("elevenlabs").baseUrl();
      URI cartesia = byVendor.get("cartesia").baseUrl();
      URI smallest = byVendor.get("smallest").baseUrl();
      URI deepgram = byVendor.get("deepgram").baseUrl();
      rows.add(
          new Object[] {
            "floor: bare JDK WebSocket, fish", (Session) () -> floors.fishWs(fish, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK HttpClient, fish", (Session) () -> floors.fishHttp(fish, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK HttpClient, elevenlabs",
            (Session) () -> floors.elevenLabsHttp(eleven, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK HttpClient, elevenlabs with-timestamps",
            (Session) () -> floors.elevenLabsHttpTimestamps(eleven, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK WebSocket, elevenlabs",
            (Session) () -> floors.elevenLabsWs(eleven, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK WebSocket, cartesia", (Session) () -> floors.cartesiaWs(cartesia, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK HttpClient, cartesia SSE",
            (Session) () -> floors.cartesiaSse(cartesia, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK HttpClient, cartesia bytes",
            (Session) () -> floors.cartesiaBytes(cartesia, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK WebSocket, smallest", (Session) () -> floors.smallestWs(smallest, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK HttpClient, smallest SSE",
            (Session) () -> floors.smallestSse(smallest, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK WebSocket, deepgram", (Session) () -> floors.deepgramWs(deepgram, TEXT)
          });
      rows.add(
          new Object[] {
            "floor: bare JDK HttpClient, deepgram REST",
            (Session) () -> floors.deepgramHttp(deepgram, TEXT)
          });
      List<StreamingSynthesizer> synths = new ArrayList<>();
      List<Common.Target> targets = new ArrayList<>(Common.ALL_TARGETS);
      targets.addAll(Common.DEEPGRAM_TARGETS);
      for (Common.Target t : targets) {
        StreamingSynthesizer s = Common.create(t.vendor(), byVendor.get(t.vendor()).baseUrl());
        synths.add(s);
        SynthesisOptions o = Common.options(t);
        rows.add(new Object[] {t.toString(), (Session) () -> Common.run(s, o, TEXT, true)});
      }
      rows.removeIf(r -> only != null && !((String) r[0]).contains(only));
      int n = rows.size();
      List<List<Long>> first = new ArrayList<>();
      List<List<Long>> firstLib = new ArrayList<>();
      List<List<Long>> later = new ArrayList<>();
      List<List<Long>> firstSynth = new ArrayList<>();
      int[] frames = new int[n];
      int[] unmatched = new int[n];
      String[] failed = new String[n];
      for (int r = 0; r < n; r++) {
        first.add(new ArrayList<>());
        firstLib.add(new ArrayList<>());
        later.add(new ArrayList<>());
        firstSynth.add(new ArrayList<>());
      }
      // interleaved: round i runs one session of every row, rows rotated so none always goes first
      for (int i = 0; i < warmup + sessions; i++) {
        for (int j = 0; j < n; j++) {
          int r = (i + j) % n;
          if (failed[r] != null) {
            continue;
          }
          try {
            writeTimes.drain(); // nothing of an earlier session may match this one
            Common.Run run = ((Session) rows.get(r)[1]).run();
            Map<StampVoice.Key, Long> written = writeTimes.drain();
            if (i < warmup) {
              continue;
            }
            List<Arrival> arrivals = arrivals(run);
            if (arrivals.isEmpty()) {
              continue;
            }
            frames[r] += arrivals.size();
            Arrival a0 = arrivals.get(0);
            firstSynth.get(r).add(a0.app() - a0.key().synthesisNanos());
            for (int k = 0; k < arrivals.size(); k++) {
              Arrival a = arrivals.get(k);
              Long w = written.get(a.key());
              if (w == null) {
                unmatched[r]++;
                continue;
              }
              if (k == 0) {
                first.get(r).add(a.app() - w);
                firstLib.get(r).add(a.library() - w);
              } else {
                later.get(r).add(a.app() - w);
              }
            }
          } catch (Exception e) {
            failed[r] = String.valueOf(e);
          }
        }
      }
      for (int r = 0; r < n; r++) {
        String t = (String) rows.get(r)[0];
        if (failed[r] != null) {
          System.out.printf("| %s | failed: %s |%n", t, failed[r]);
          continue;
        }
        long[] f = Common.toArray(first.get(r));
        long[] l = Common.toArray(later.get(r));
        int measured = firstSynth.get(r).size();
        System.out.printf(
            "| %s | %d | %s | %s | %s | %s | %s | %s | %s |%n",
            t,
            f.length,
            Common.ms(Common.quantile(Common.toArray(firstLib.get(r)), 0.5)),
            Common.ms(Common.quantile(f, 0.5)),
            Common.ms(Common.quantile(f, 0.99)),
            Common.ms(Common.quantile(l, 0.5)),
            Common.ms(Common.quantile(l, 0.99)),
            Common.ms(Common.quantile(Common.toArray(firstSynth.get(r)), 0.5)),
            measured == 0
                ? "no stamps"
                : frames[r] / measured
                    + (unmatched[r] == 0 ? "" : " (" + unmatched[r] + " without a write time)"));
      }
      for (StreamingSynthesizer s : synths) {
        s.close();
      }
    } finally {
      floors.close();
      for (VendorEmulator e : emulators) {
        e.close();
      }
    }
  }

  /** One session of a row. */
  interface Session {
    Common.Run run() throws Exception;
  }

  /** One stamped frame as the client received it. */
  record Arrival(StampVoice.Key key, long app, long library) {}

  /**
   * Every stamp in the session's audio, in stream order, with the arrival of the chunk that held
   * its last byte (the same rule {@link WriteTimes} applies to the written frames).
   */
  static List<Arrival> arrivals(Common.Run r) {
    byte[] all = new byte[(int) r.bytes()];
    List<Common.Chunk> chunks = r.chunks();
    for (Common.Chunk c : chunks) {
      System.arraycopy(c.bytes(), 0, all, (int) c.byteOffset(), c.size());
    }
    List<Arrival> out = new ArrayList<>();
    int[] ci = {0};
    StampVoice.scan(
        all,
        (key, lastByte) -> {
          while (ci[0] < chunks.size() - 1
              && chunks.get(ci[0]).byteOffset() + chunks.get(ci[0]).size() <= lastByte) {
            ci[0]++;
          }
          Common.Chunk c = chunks.get(ci[0]);
          out.add(new Arrival(key, c.appNanos(), c.receivedNanos()));
        });
    return out;
  }
}
