package dev.voicebridge.spi.conformance;

import java.util.List;
import java.util.Set;

/**
 * The handle a conformance test has on the server behind a synthesizer: inject faults, then read
 * what the server received and sent. Implemented by Voicebridge's emulators; a third-party provider
 * brings its own server and implements the same interface. Plain Java: no test library.
 */
public interface ServerControl {

  /**
   * {@return the kinds of {@link Fault} this server can inject; the others make their tests skip}
   */
  Set<Class<? extends Fault>> supportedFaults();

  /**
   * Injects {@code fault} into the next session only.
   *
   * @param fault the fault
   */
  void inject(Fault fault);

  /** Removes faults not yet used. */
  void clearFaults();

  /** {@return every session so far, in the order they started} */
  List<ServerRecord> sessions();

  /** {@return the latest session, or null} */
  default ServerRecord lastSession() {
    List<ServerRecord> all = sessions();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  /** {@return the connections open on the server now} */
  int openConnections();

  /**
   * {@return the open connections on which the server is still at work for a client: an open
   * WebSocket, or an HTTP connection whose response the server has not finished} An HTTP connection
   * idle between exchanges (kept alive in a client's pool) is open but not busy. By default every
   * open connection counts as busy.
   */
  default int busyConnections() {
    return openConnections();
  }

  /** {@return the connections accepted since the last {@link #reset()}} */
  int connectionsAccepted();

  /** Forgets records and faults. */
  void reset();
}
