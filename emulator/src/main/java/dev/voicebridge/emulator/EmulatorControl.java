package dev.voicebridge.emulator;

import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerControl;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The {@link ServerControl} of an emulator: a queue of injected faults (each consumed by the next
 * session, in the order injected), the session records, and the connection counters. Thread-safe.
 */
public final class EmulatorControl implements ServerControl {
  private final Set<Class<? extends Fault>> supported;
  private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
  private final List<SessionRecorder> sessions = new CopyOnWriteArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger ids = new AtomicInteger();

  /**
   * A control supporting the fault kinds in {@code supported}.
   *
   * @param supported the fault kinds the emulator can inject; the others make their tests skip
   */
  public EmulatorControl(Set<Class<? extends Fault>> supported) {
    this.supported = Set.copyOf(supported);
  }

  /**
   * {@return the fault injected for the next session, or null; consumes it} Emulators call this
   * once per session (WebSocket: when the session starts or at the handshake; HTTP: per request).
   */
  public Fault takeFault() {
    return faults.poll();
  }

  /** {@return the next fault without consuming it, or null} */
  public Fault peekFault() {
    return faults.peek();
  }

  /**
   * Starts the record of a new session.
   *
   * @param connectionId the id from {@link #connectionOpened()} of the connection it runs on
   * @param headers the request or handshake headers
   * @return the recorder of the new session
   */
  public SessionRecorder newSession(int connectionId, Map<String, List<String>> headers) {
    SessionRecorder r = new SessionRecorder(connectionId, headers);
    sessions.add(r);
    return r;
  }

  /**
   * Counts a new connection and returns its id (1, 2, ...; never reused, even after reset).
   *
   * @return the connection's id
   */
  public int connectionOpened() {
    open.incrementAndGet();
    accepted.incrementAndGet();
    return ids.incrementAndGet();
  }

  /** Counts a closed connection. */
  public void connectionClosed() {
    open.decrementAndGet();
  }

  @Override
  public Set<Class<? extends Fault>> supportedFaults() {
    return supported;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if this emulator does not support the fault's kind
   */
  @Override
  public void inject(Fault fault) {
    Objects.requireNonNull(fault, "fault");
    if (!supported.contains(fault.getClass())) {
      throw new IllegalArgumentException(
          "this emulator does not support " + fault.getClass().getSimpleName());
    }
    faults.add(fault);
  }

  @Override
  public void clearFaults() {
    faults.clear();
  }

  @Override
  public List<ServerRecord> sessions() {
    List<ServerRecord> out = new ArrayList<>(sessions.size());
    for (SessionRecorder r : sessions) {
      out.add(r.snapshot());
    }
    return List.copyOf(out);
  }

  /**
   * {@return the notes of every session ({@link SessionRecorder#note}), in the order of {@link
   * #sessions()}}
   */
  public List<Map<String, String>> sessionNotes() {
    List<Map<String, String>> out = new ArrayList<>(sessions.size());
    for (SessionRecorder r : sessions) {
      out.add(r.notes());
    }
    return List.copyOf(out);
  }

  @Override
  public int openConnections() {
    Runnable check = beforeCount;
    if (check != null) {
      check.run();
    }
    return open.get();
  }

  private volatile Runnable beforeCount;
  private volatile IntSupplier busy;

  /**
   * {@inheritDoc} As the server counts them ({@link #countBusyWith(IntSupplier)}); every open
   * connection until a server says how.
   */
  @Override
  public int busyConnections() {
    IntSupplier b = busy;
    return b == null ? openConnections() : b.getAsInt();
  }

  /**
   * Tells the control how to count the connections the server is busy on (open WebSockets, HTTP
   * responses not finished), for {@link #busyConnections()}: in one pass, so that the count is of
   * one moment.
   *
   * @param busy counts the busy connections, on the thread that asks
   */
  public void countBusyWith(IntSupplier busy) {
    this.busy = Objects.requireNonNull(busy, "busy");
  }

  /**
   * Runs {@code check} before each {@link #openConnections()} count: the server uses it to count as
   * closed a connection whose socket is closed even if no close event reached it (an event can be
   * lost when a client resets a connection while it is being upgraded or closed).
   *
   * @param check the check to run, on the thread that counts
   */
  public void checkBeforeCounting(Runnable check) {
    this.beforeCount = check;
  }

  @Override
  public int connectionsAccepted() {
    return accepted.get();
  }

  /**
   * Forgets records and faults and zeroes the accepted-connection count (open ones stay counted).
   */
  @Override
  public void reset() {
    faults.clear();
    sessions.clear();
    accepted.set(0);
  }
}
