package dev.voicebridge.emulator;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs every vendor emulator on loopback until interrupted (Ctrl-C):
 *
 * <pre>
 * java -cp ... dev.voicebridge.emulator.EmulatorMain [--port N] [--api-key KEY]
 *     [--profile realistic|zero] [--voice tone|local]
 * </pre>
 *
 * <p>It prints each vendor's base URL and the configuration line that points Voicebridge at it
 * ({@code voicebridge.fish.base-url=http://127.0.0.1:PORT}). {@code --port N} puts the vendors of
 * {@link Emulators#VENDORS} on N, N+1, ... in that order (Fish on N, ElevenLabs on N+1, ...;
 * default: ports chosen by the OS). {@code --voice local} speaks with the {@code local} provider
 * (FreeTTS), which must be on the class path.
 */
public final class EmulatorMain {
  private EmulatorMain() {}

  /** The parsed command line. */
  record Args(int port, String apiKey, boolean realistic, String voice) {}

  /** Entry point. */
  public static void main(String[] args) throws InterruptedException {
    Args a;
    try {
      a = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (a == null) {
      System.out.println(usage());
      return;
    }
    StreamingSynthesizer local = null;
    Voice voice = Voice.tone();
    if (a.voice().equals("local")) {
      local = StreamingSynthesizers.create("local", VoicebridgeConfig.standard());
      voice = Voice.of(local);
    }
    EmulatorConfig config =
        EmulatorConfig.builder().apiKey(a.apiKey()).port(a.port()).voice(voice).build();
    List<VendorEmulator> emulators =
        a.realistic() ? Emulators.startAllRealistic(config) : Emulators.startAll(config);
    CountDownLatch stopped = new CountDownLatch(1);
    StreamingSynthesizer toClose = local;
    Thread hook =
        new Thread(
            () -> {
              emulators.forEach(VendorEmulator::close);
              if (toClose != null) {
                toClose.close();
              }
              stopped.countDown();
            },
            "voicebridge-emulator-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    printBanner(System.out, emulators, a);
    stopped.await();
  }

  /** Prints each emulator's URL and configuration line. */
  static void printBanner(PrintStream out, List<VendorEmulator> emulators, Args a) {
    out.println(
        "Voicebridge emulators on loopback (profile "
            + (a.realistic() ? "realistic" : "zero")
            + ", voice "
            + a.voice()
            + "); API key: the one given with --api-key (default test-key). Ctrl-C stops.");
    for (VendorEmulator e : emulators) {
      out.printf(Locale.ROOT, "  %-10s %s%n", e.vendor(), e.baseUrl());
    }
    out.println("Configuration:");
    for (VendorEmulator e : emulators) {
      out.println("voicebridge." + e.vendor() + ".base-url=" + e.baseUrl());
    }
  }

  /** Parses the arguments; null for {@code --help}. */
  static Args parse(String[] args) {
    int port = 0;
    String key = "test-key";
    boolean realistic = false;
    String voice = "tone";
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      }
      switch (arg) {
        case "-h", "--help" -> {
          return null;
        }
        case "--port", "--api-key", "--profile", "--voice" -> {
          if (value == null) {
            if (i + 1 >= args.length) {
              throw new IllegalArgumentException(arg + " needs a value");
            }
            value = args[++i];
          }
          switch (arg) {
            case "--port" -> {
              try {
                port = Integer.parseInt(value);
              } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--port must be a number: " + value);
              }
              int max = 65535 - (Emulators.VENDORS.size() - 1); // one port per vendor from N
              if (port < 0 || port > max) {
                throw new IllegalArgumentException("--port must be in 0.." + max + ": " + port);
              }
            }
            case "--api-key" -> {
              if (value.isBlank()) {
                throw new IllegalArgumentException("--api-key must not be blank");
              }
              key = value;
            }
            case "--profile" -> {
              switch (value) {
                case "realistic" -> realistic = true;
                case "zero" -> realistic = false;
                default ->
                    throw new IllegalArgumentException(
                        "--profile must be realistic or zero: " + value);
              }
            }
            default -> {
              if (!value.equals("tone") && !value.equals("local")) {
                throw new IllegalArgumentException("--voice must be tone or local: " + value);
              }
              voice = value;
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown argument: " + arg);
      }
    }
    return new Args(port, key, realistic, voice);
  }

  static String usage() {
    return "usage: EmulatorMain [--port N] [--api-key KEY] [--profile realistic|zero]"
        + " [--voice tone|local]";
  }
}
