package dev.voicebridge.emulator;

import java.util.Objects;
import java.util.function.Function;

/**
 * A vendor the emulator module can start: its name, its published latency profile and how to start
 * it. Each vendor's package declares one ({@code FishEmulator.VENDOR}, ...) and {@link Emulators}
 * lists them; adding a vendor is its package plus one entry in that list.
 */
public final class EmulatorVendor {
  private final String name;
  private final LatencyProfile realisticProfile;
  private final Function<EmulatorConfig, ? extends VendorEmulator> starter;

  private EmulatorVendor(
      String name,
      LatencyProfile realisticProfile,
      Function<EmulatorConfig, ? extends VendorEmulator> starter) {
    this.name = Objects.requireNonNull(name, "name");
    this.realisticProfile = Objects.requireNonNull(realisticProfile, "realisticProfile");
    this.starter = Objects.requireNonNull(starter, "starter");
  }

  /**
   * {@return a vendor}
   *
   * @param name the vendor's name as Voicebridge spells it (the provider's name)
   * @param realisticProfile the vendor's published latency
   * @param starter starts an emulator with a configuration (its default options)
   */
  public static EmulatorVendor of(
      String name,
      LatencyProfile realisticProfile,
      Function<EmulatorConfig, ? extends VendorEmulator> starter) {
    return new EmulatorVendor(name, realisticProfile, starter);
  }

  /** {@return the vendor's name ({@code fish}, {@code elevenlabs}, ...)} */
  public String name() {
    return name;
  }

  /** {@return the vendor's published latency, for realistic runs} */
  public LatencyProfile realisticProfile() {
    return realisticProfile;
  }

  /**
   * Starts an emulator of this vendor with {@code config}.
   *
   * @param config the configuration
   * @return the running emulator
   */
  public VendorEmulator start(EmulatorConfig config) {
    return starter.apply(Objects.requireNonNull(config, "config"));
  }

  @Override
  public String toString() {
    return "EmulatorVendor[" + name + "]";
  }
}
