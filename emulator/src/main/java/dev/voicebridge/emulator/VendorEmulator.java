package dev.voicebridge.emulator;

import dev.voicebridge.spi.conformance.ServerControl;
import dev.voicebridge.spi.conformance.TestServer;
import java.net.URI;

/** A running emulator of one vendor, bound to loopback. */
public interface VendorEmulator extends TestServer {

  /**
   * {@return the vendor's name as Voicebridge spells it ({@code fish}, {@code elevenlabs}, ...)}
   */
  default String vendor() {
    return getClass().getSimpleName().replace("Emulator", "").toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code http://127.0.0.1:PORT}; adapters derive {@code ws://} from it themselves. */
  @Override
  URI baseUrl();

  /** Faults and records. */
  @Override
  ServerControl control();

  /** {@return the configuration it runs with} */
  EmulatorConfig config();

  /** Stops the server and every thread it started. Idempotent. */
  @Override
  void close();
}
