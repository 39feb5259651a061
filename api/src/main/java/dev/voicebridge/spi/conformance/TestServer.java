package dev.voicebridge.spi.conformance;

import java.net.URI;

/**
 * A server a provider's conformance test runs against: where it listens and the handle on it.
 * Voicebridge's emulators are such servers; a third-party provider brings its own.
 */
public interface TestServer extends AutoCloseable {

  /** {@return the base URL a synthesizer is pointed at ({@code http://127.0.0.1:PORT})} */
  URI baseUrl();

  /** {@return faults and records} */
  ServerControl control();

  /** Stops the server. */
  @Override
  void close();
}
