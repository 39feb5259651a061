package dev.voicebridge.cli;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.LatencyProfile;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.emulator.Voice;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code voicebridge emulate}: the three vendor emulators on loopback until interrupted. */
@Command(
    name = "emulate",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Serve the Fish Audio, ElevenLabs and Smallest AI emulators on 127.0.0.1 until interrupted,",
      "for offline development. Prints each base URL and the matching configuration line."
    })
final class EmulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Option(
      names = "--port",
      description =
          "Fish on PORT, ElevenLabs on PORT+1, Smallest on PORT+2 (default: chosen by the OS).")
  int port;

  @Option(
      names = "--api-key",
      description = "The key the emulators accept (default: ${DEFAULT-VALUE}).")
  String apiKey = "test-key";

  @Option(
      names = "--profile",
      description =
          "realistic (each vendor's published latency) or zero (default: ${DEFAULT-VALUE}).")
  String profile = "realistic";

  @Option(
      names = "--voice",
      description =
          "tone (a fast synthetic voice) or local (real speech with FreeTTS) (default:"
              + " ${DEFAULT-VALUE}).")
  String voice = "local";

  @Option(
      names = "--verbose",
      description = "Print stack traces of errors and the library's debug log.")
  boolean verbose;

  /** Starts the emulators; callers close them. */
  static Started start(int port, String apiKey, String profile, String voice) {
    if (port < 0 || port > 65533) {
      throw new Errors.UsageException("--port must be between 0 and 65533");
    }
    if (!profile.equals("realistic") && !profile.equals("zero")) {
      throw new Errors.UsageException("--profile must be realistic or zero");
    }
    if (!voice.equals("tone") && !voice.equals("local")) {
      throw new Errors.UsageException("--voice must be tone or local");
    }
    StreamingSynthesizer local = null;
    Voice v = Voice.tone();
    if (voice.equals("local")) {
      local =
          StreamingSynthesizers.create(
              "local", VoicebridgeConfig.of(Map.of()).withFallback(VoicebridgeConfig.standard()));
      v = Voice.of(local);
    }
    EmulatorConfig config =
        EmulatorConfig.builder()
            .apiKey(apiKey)
            .port(port)
            .voice(v)
            .profile(LatencyProfile.ZERO)
            .build();
    try {
      List<VendorEmulator> emulators =
          profile.equals("realistic")
              ? Emulators.startAllRealistic(config)
              : Emulators.startAll(config);
      return new Started(emulators, local);
    } catch (RuntimeException e) {
      if (local != null) {
        local.close();
      }
      if (port != 0 && causedBy(e, BindException.class)) {
        throw new Errors.UsageException(
            "cannot listen on 127.0.0.1 ports "
                + port
                + " to "
                + (port + Emulators.VENDORS.size() - 1)
                + ": one of them is in use; choose another --port, or leave --port out to let"
                + " the OS choose");
      }
      throw e;
    }
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /** Running emulators and the local synthesizer behind their voice. */
  record Started(List<VendorEmulator> emulators, StreamingSynthesizer local)
      implements AutoCloseable {
    /** The configuration that points each provider at its emulator. */
    Map<String, String> config(String apiKey) {
      Map<String, String> m = new LinkedHashMap<>();
      for (VendorEmulator e : emulators) {
        m.put("voicebridge." + e.vendor() + ".base-url", e.baseUrl().toString());
        m.put("voicebridge." + e.vendor() + ".api-key", apiKey);
      }
      return m;
    }

    @Override
    public void close() {
      emulators.forEach(VendorEmulator::close);
      if (local != null) {
        local.close();
      }
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    // the emulators' key is not a secret: it is printed to be copied, so no redaction here
    PrintWriter out = main.rawOut();
    CountDownLatch stop = new CountDownLatch(1);
    try (StopSignal.Registration stopping = main.stop().register(stop::countDown);
        Started s = start(port, apiKey, profile, voice)) {
      out.println(
          "Voicebridge emulators ("
              + profile
              + " latency, "
              + voice
              + " voice), key '"
              + apiKey
              + "':");
      for (VendorEmulator e : s.emulators()) {
        out.printf("  %-11s %s%n", e.vendor(), e.baseUrl());
      }
      out.println("Point Voicebridge at them with:");
      s.config(apiKey).forEach((k, v) -> out.println("  " + k + "=" + v));
      out.println("Press Ctrl-C to stop.");
      out.flush();
      stop.await();
    }
    return 0;
  }
}
