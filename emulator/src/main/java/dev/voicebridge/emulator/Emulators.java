package dev.voicebridge.emulator;

import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.emulator.smallest.SmallestEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/** Starts every vendor emulator at once (Fish, ElevenLabs, Smallest, in that order). */
public final class Emulators {
  /** The vendors, in the order {@link #startAll} returns them. */
  public static final List<String> VENDORS = List.of("fish", "elevenlabs", "smallest");

  private Emulators() {}

  /**
   * Starts Fish, ElevenLabs and Smallest with {@code config}. With a fixed port {@code p} they
   * listen on {@code p}, {@code p+1} and {@code p+2}; with port 0 the OS chooses each port. If one
   * fails to start, those already started are closed and the error is thrown.
   *
   * @param config the configuration of every emulator
   * @return the running emulators, Fish, ElevenLabs and Smallest in that order
   */
  public static List<VendorEmulator> startAll(EmulatorConfig config) {
    return startAll(config, vendor -> config.profile());
  }

  /**
   * Like {@link #startAll(EmulatorConfig)}, but each vendor runs with its own published latency
   * profile ({@link #realisticProfile(String)}) instead of {@code config.profile()}.
   *
   * @param config the configuration of every emulator (its profile is not used)
   * @return the running emulators, Fish, ElevenLabs and Smallest in that order
   */
  public static List<VendorEmulator> startAllRealistic(EmulatorConfig config) {
    return startAll(config, Emulators::realisticProfile);
  }

  /**
   * Starts every emulator, each with the profile {@code profiles} gives for its vendor name.
   *
   * @param profiles the profile per vendor name ({@link #VENDORS})
   * @param config the configuration of every emulator (its profile is replaced)
   * @return the running emulators, in the order of {@link #VENDORS}
   */
  public static List<VendorEmulator> startAll(
      EmulatorConfig config, Function<String, LatencyProfile> profiles) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(profiles, "profiles");
    List<VendorEmulator> started = new ArrayList<>();
    try {
      started.add(FishEmulator.start(configFor(config, profiles, "fish", 0)));
      started.add(ElevenLabsEmulator.start(configFor(config, profiles, "elevenlabs", 1)));
      started.add(SmallestEmulator.start(configFor(config, profiles, "smallest", 2)));
    } catch (RuntimeException e) {
      for (VendorEmulator v : started) {
        try {
          v.close();
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    return List.copyOf(started);
  }

  /**
   * {@return the published latency profile of a vendor: {@link FishEmulator#REALISTIC}, {@link
   * ElevenLabsEmulator#REALISTIC} or {@link SmallestEmulator#SMALLEST_PROFILE}}
   *
   * @param vendor the vendor's name, one of {@link #VENDORS}
   * @throws IllegalArgumentException for an unknown vendor
   */
  public static LatencyProfile realisticProfile(String vendor) {
    return switch (vendor.toLowerCase(Locale.ROOT)) {
      case "fish" -> FishEmulator.REALISTIC;
      case "elevenlabs" -> ElevenLabsEmulator.REALISTIC;
      case "smallest" -> SmallestEmulator.SMALLEST_PROFILE;
      default ->
          throw new IllegalArgumentException("unknown vendor '" + vendor + "'; use " + VENDORS);
    };
  }

  private static EmulatorConfig configFor(
      EmulatorConfig config, Function<String, LatencyProfile> profiles, String vendor, int offset) {
    EmulatorConfig.Builder b = config.toBuilder().profile(profiles.apply(vendor));
    if (config.port() != 0) {
      b.port(config.port() + offset);
    }
    return b.build();
  }
}
