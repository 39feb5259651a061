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

  /**
   * {@return the next event, or null if none arrived within {@code timeout} (the session goes on)}
   *
   * @param timeout how long to wait at most
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  SynthesisEvent poll(Duration timeout) throws InterruptedException;

  /** {@return the audio bytes of the remaining events, in order; word timings are skipped} */
  InputStream audio();

  /**
   * Reads the remaining audio to the end and returns it.
   *
   * @return the rest of the audio
   */
  byte[] readAllAudio();

  /**
   * Waits for the end and returns the report (or throws the session's exception).
   *
   * @return the report of the session
   */
  SynthesisReport report();

  /** {@return the session behind this stream} */
  SynthesisSession session();

  /** Cancels the session if it has not ended. */
  @Override
  void close();
}
