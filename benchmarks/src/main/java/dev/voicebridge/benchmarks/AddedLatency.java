package dev.voicebridge.benchmarks;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.VendorEmulator;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark 1, added latency: the emulators (zero profile, same JVM) speak a {@link StampVoice}
 * whose every frame carries the nanoTime of its synthesis; the first frame's latency is the
 * application's {@code AudioChunk.receivedNanos()} minus that stamp (an upper bound of write to
 * receive: it also holds the emulator's framing, encoding and hand-off to its pacer thread). Later
 * frames are written back to back under the zero profile, so for them the gap between consecutive
 * frames' arrival is reported: the per-frame cost of the whole path, server encoding included.
 *
 * <p>{@code java -jar benchmarks.jar latency [--short] [--sessions N] [--warmup N]}
 */
public final class AddedLatency {
  private AddedLatency() {}

  static final String TEXT = "Benchmarks measure what the library adds on top of the network.";

  public static void main(String[] args) throws Exception {
    boolean quick = Common.flag(args, "--short");
    int warmup = Integer.parseInt(Common.option(args, "--warmup", quick ? "30" : "300"));
    int sessions = Integer.parseInt(Common.option(args, "--sessions", quick ? "60" : "500"));
    String only = Common.option(args, "--only", null);
    EmulatorConfig config =
        EmulatorConfig.builder()
            .apiKey(Common.KEY)
            .profile(LatencyProfile.ZERO)
            .voice(new StampVoice(100))
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
        "| provider/transport | sessions | first frame to library p50 ms | first frame to"
            + " application p50 ms | p99 ms | later frames gap p50 ms | p99 ms | frames/session |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    Floors floors = new Floors();
    try {
      List<Object[]> rows = new ArrayList<>();
      URI fish = byVendor.get("fish").baseUrl();
      URI eleven = byVendor.get("elevenlabs").baseUrl();
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
      List<StreamingSynthesizer> synths = new ArrayList<>();
      for (Common.Target t : Common.ALL_TARGETS) {
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
      int[] frames = new int[n];
      String[] failed = new String[n];
      for (int r = 0; r < n; r++) {
        first.add(new ArrayList<>());
        firstLib.add(new ArrayList<>());
        later.add(new ArrayList<>());
      }
      // interleaved: round i runs one session of every row, rows rotated so none always goes first
      for (int i = 0; i < warmup + sessions; i++) {
        for (int j = 0; j < n; j++) {
          int r = (i + j) % n;
          if (failed[r] != null) {
            continue;
          }
          try {
            Common.Run run = ((Session) rows.get(r)[1]).run();
            if (i < warmup) {
              continue;
            }
            long[][] stamps = stamps(run);
            if (stamps.length == 0) {
              continue;
            }
            frames[r] += stamps.length;
            first.get(r).add(stamps[0][1] - stamps[0][0]);
            firstLib.get(r).add(stamps[0][2] - stamps[0][0]);
            for (int k = 1; k < stamps.length; k++) {
              later.get(r).add(stamps[k][1] - stamps[k - 1][1]);
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
        System.out.printf(
            "| %s | %d | %s | %s | %s | %s | %s | %s |%n",
            t,
            f.length,
            Common.ms(Common.quantile(Common.toArray(firstLib.get(r)), 0.5)),
            Common.ms(Common.quantile(f, 0.5)),
            Common.ms(Common.quantile(f, 0.99)),
            Common.ms(Common.quantile(l, 0.5)),
            Common.ms(Common.quantile(l, 0.99)),
            f.length == 0 ? "no stamps" : String.valueOf(frames[r] / f.length));
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

  /** Every stamp in the session's audio: {stampNanos, arrivalNanos}, in stream order. */
  static long[][] stamps(Common.Run r) {
    long total = r.bytes();
    byte[] all = new byte[(int) total];
    List<Common.Chunk> chunks = r.chunks();
    for (Common.Chunk c : chunks) {
      System.arraycopy(c.bytes(), 0, all, (int) c.byteOffset(), c.size());
    }
    ByteBuffer b = ByteBuffer.wrap(all);
    List<long[]> out = new ArrayList<>();
    int ci = 0;
    for (int p = 0; p + 16 <= all.length; p += 2) {
      if (b.getLong(p) != StampVoice.MAGIC) {
        continue;
      }
      int end = p + 15;
      while (ci < chunks.size() - 1 && chunks.get(ci).byteOffset() + chunks.get(ci).size() <= end) {
        ci++;
      }
      Common.Chunk c = chunks.get(ci);
      out.add(new long[] {b.getLong(p + 8), c.appNanos(), c.receivedNanos()});
      p += 14;
    }
    return out.toArray(new long[0][]);
  }
}
