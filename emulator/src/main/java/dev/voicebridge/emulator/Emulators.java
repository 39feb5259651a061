package dev.voicebridge.emulator;

import dev.voicebridge.emulator.cartesia.CartesiaEmulator;
import dev.voicebridge.emulator.deepgram.DeepgramEmulator;
import dev.voicebridge.emulator.elevenlabs.ElevenLabsEmulator;
import dev.voicebridge.emulator.fish.FishEmulator;
import dev.voicebridge.emulator.smallest.SmallestEmulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The vendor emulators: the one list of vendors ({@link #vendors()}), and starting them all at once
 * (Fish, ElevenLabs, Smallest, Cartesia, Deepgram, in that order).
 */
public final class Emulators {
  /**
   * Every vendor, in the order {@link #startAll} starts them. A new vendor is one entry here (and
   * its package).
   */
  private static final List<EmulatorVendor> ALL =
      List.of(
          FishEmulator.VENDOR,
          ElevenLabsEmulator.VENDOR,
          SmallestEmulator.VENDOR,
          CartesiaEmulator.VENDOR,
          DeepgramEmulator.VENDOR);

  /** The vendors' names, in the order {@link #startAll} returns them. */
  public static final List<String> VENDORS = ALL.stream().map(EmulatorVendor::name).toList();

  private Emulators() {}

  /** Every vendor, in the order {@link #startAll} starts them. */
  public static List<EmulatorVendor> vendors() {
    return ALL;
  }

  /**
   * The vendor named {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException for an unknown vendor
   */
  public static EmulatorVendor vendor(String name) {
    Objects.requireNonNull(name, "name");
    for (EmulatorVendor v : ALL) {
      if (v.name().equals(name.toLowerCase(Locale.ROOT))) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown vendor '" + name + "'; use " + VENDORS);
  }

  /**
   * Starts the emulator of one vendor with its default options.
   *
   * @throws IllegalArgumentException for an unknown vendor
   */
  public static VendorEmulator start(String vendor, EmulatorConfig config) {
    return vendor(vendor).start(config);
  }

  /**
   * Starts every vendor with {@code config}. With a fixed port {@code p} they listen on {@code p},
   * {@code p+1}, ... in the order of {@link #VENDORS}; with port 0 the OS chooses each port. If one
   * fails to start, those already started are closed and the error is thrown.
   */
  public static List<VendorEmulator> startAll(EmulatorConfig config) {
    return startAll(config, vendor -> config.profile());
  }

  /**
   * Like {@link #startAll(EmulatorConfig)}, but each vendor runs with its own published latency
   * profile ({@link #realisticProfile(String)}) instead of {@code config.profile()}.
   */
  public static List<VendorEmulator> startAllRealistic(EmulatorConfig config) {
    return startAll(config, Emulators::realisticProfile);
  }

  /**
   * Starts every emulator, each with the profile {@code profiles} gives for its vendor name.
   *
   * @param profiles the profile per vendor name ({@link #VENDORS})
   */
  public static List<VendorEmulator> startAll(
      EmulatorConfig config, Function<String, LatencyProfile> profiles) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(profiles, "profiles");
    List<VendorEmulator> started = new ArrayList<>();
    try {
      for (int i = 0; i < ALL.size(); i++) {
        EmulatorVendor v = ALL.get(i);
        EmulatorConfig.Builder b = config.toBuilder().profile(profiles.apply(v.name()));
        if (config.port() != 0) {
          b.port(config.port() + i);
        }
        started.add(v.start(b.build()));
      }
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
   * The published latency profile of a vendor ({@link EmulatorVendor#realisticProfile()}).
   *
   * @throws IllegalArgumentException for an unknown vendor
   */
  public static LatencyProfile realisticProfile(String vendor) {
    return vendor(vendor).realisticProfile();
  }
}
