package dev.voicebridge.benchmarks;

import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.emulator.Voice;
import java.time.Duration;
import java.util.List;

/**
 * The emulators in their own JVM, for the scale benchmark: like {@code EmulatorMain} but with a
 * latency profile given on the command line ({@code --first-ms}, {@code --pace}, {@code
 * --jitter-ms}). Prints {@code <vendor>=<base url>} lines and {@code READY}, then serves until its
 * standard input closes.
 */
public final class EmulatorProcess {
  private EmulatorProcess() {}

  public static void main(String[] args) throws Exception {
    LatencyProfile profile =
        new LatencyProfile(
            Duration.ofMillis(Long.parseLong(Common.option(args, "--first-ms", "200"))),
            Double.parseDouble(Common.option(args, "--pace", "1.0")),
            Duration.ofMillis(Long.parseLong(Common.option(args, "--jitter-ms", "0"))));
    List<VendorEmulator> emulators =
        Emulators.startAll(
            EmulatorConfig.builder()
                .apiKey(Common.KEY)
                .profile(profile)
                .voice(Voice.tone())
                .build());
    for (VendorEmulator e : emulators) {
      System.out.println(e.vendor() + "=" + e.baseUrl());
    }
    System.out.println("READY");
    System.out.flush();
    while (System.in.read() >= 0) {
      // serve until the parent closes our stdin (or dies)
    }
    for (VendorEmulator e : emulators) {
      e.close();
    }
    System.exit(0);
  }
}
