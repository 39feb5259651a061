package dev.voicebridge.benchmarks;

import java.util.Arrays;

/**
 * The one entry point of the shaded jar: {@code java -jar benchmarks.jar <name> [args]} with name
 * {@code jmh} (JMH's own command line), {@code latency}, {@code reuse}, {@code scale}, {@code
 * peer}, {@code emulator} (the child emulator process of {@code scale}).
 */
public final class Bench {
  private Bench() {}

  /** Dispatches to the named benchmark. */
  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: java -jar benchmarks.jar jmh|latency|reuse|scale|peer|long-text [--short] [options]");
      System.exit(2);
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "jmh" -> org.openjdk.jmh.Main.main(rest);
      case "latency" -> AddedLatency.main(rest);
      case "reuse" -> ConnectionReuse.main(rest);
      case "scale" -> Scale.main(rest);
      case "peer" -> Peer.main(rest);
      case "long-text" -> LongText.main(rest);
      case "emulator" -> EmulatorProcess.main(rest);
      default -> {
        System.err.println("unknown benchmark " + args[0]);
        System.exit(2);
      }
    }
  }
}
