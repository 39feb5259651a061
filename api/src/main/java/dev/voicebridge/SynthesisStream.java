package dev.voicebridge;

import java.io.InputStream;
import java.time.Duration;
import java.util.Iterator;

/**
 * A blocking, pull view of a session's events. {@link #hasNext()} blocks until the next event or
 * the end; a failed session throws its {@link VoicebridgeException} from {@link #hasNext()} once
 * the events delivered before the failure are read. Use the iterator or {@link #audio()}, not both.
 * Closing the stream cancels a session that has not ended.
 */
public interface SynthesisStream extends Iterator<SynthesisEvent>, AutoCloseable {

  /** The next event, or null if none arrived within {@code timeout} (the session goes on). */
  SynthesisEvent poll(Duration timeout) throws InterruptedException;

  /** The audio bytes of the remaining events, in order; word timings are skipped. */
  InputStream audio();

  /** Reads the remaining audio to the end and returns it. */
  byte[] readAllAudio();

  /** Waits for the end and returns the report (or throws the session's exception). */
  SynthesisReport report();

  /** The session behind this stream. */
  SynthesisSession session();

  /** Cancels the session if it has not ended. */
  @Override
  void close();
}
