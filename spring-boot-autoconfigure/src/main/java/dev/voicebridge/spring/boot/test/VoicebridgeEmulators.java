package dev.voicebridge.spring.boot.test;

import dev.voicebridge.emulator.EmulatorConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.emulator.VendorEmulator;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerControl;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * The running emulators of a test's application context, by vendor (every vendor of {@link
 * Emulators#VENDORS}: {@code fish}, {@code elevenlabs}, {@code smallest}, {@code cartesia}, {@code
 * deepgram}): their addresses and their control (faults, records). The only place the Spring Boot
 * support touches the emulator module.
 */
public final class VoicebridgeEmulators implements AutoCloseable {
  private final Map<String, VendorEmulator> byVendor;
  private final String apiKey;

  private VoicebridgeEmulators(Map<String, VendorEmulator> byVendor, String apiKey) {
    this.byVendor = byVendor;
    this.apiKey = apiKey;
  }

  static VoicebridgeEmulators start(int frameMillis) {
    String key = "emulator-" + UUID.randomUUID();
    List<VendorEmulator> started =
        Emulators.startAll(
            EmulatorConfig.builder().apiKey(key).frameMillis(frameMillis).port(0).build());
    Map<String, VendorEmulator> m = new LinkedHashMap<>();
    for (VendorEmulator e : started) {
      m.put(e.vendor(), e);
    }
    return new VoicebridgeEmulators(m, key);
  }

  /** {@return the vendors emulated} */
  public List<String> vendors() {
    return List.copyOf(byVendor.keySet());
  }

  /**
   * {@return the base URL of {@code vendor}'s emulator ({@code http://127.0.0.1:PORT})}
   *
   * @param vendor the vendor's name
   */
  public URI baseUrl(String vendor) {
    return emulator(vendor).baseUrl();
  }

  /**
   * {@return the control of {@code vendor}'s emulator: faults and records}
   *
   * @param vendor the vendor's name
   */
  public ServerControl control(String vendor) {
    return emulator(vendor).control();
  }

  /**
   * Injects {@code fault} into the next session of {@code vendor}'s emulator.
   *
   * @param vendor the vendor's name
   * @param fault the fault
   */
  public void inject(String vendor, Fault fault) {
    control(vendor).inject(fault);
  }

  /** Forgets every emulator's records and faults. */
  public void reset() {
    byVendor.values().forEach(e -> e.control().reset());
  }

  /** The API key the emulators accept (random per context; never a real key). */
  String apiKey() {
    return apiKey;
  }

  private VendorEmulator emulator(String vendor) {
    VendorEmulator e = byVendor.get(vendor);
    if (e == null) {
      throw new NoSuchElementException(
          "no emulator of '" + vendor + "'; emulated: " + byVendor.keySet());
    }
    return e;
  }

  @Override
  public void close() {
    RuntimeException first = null;
    for (VendorEmulator e : byVendor.values()) {
      try {
        e.close();
      } catch (RuntimeException x) {
        if (first == null) {
          first = x;
        } else {
          first.addSuppressed(x);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
