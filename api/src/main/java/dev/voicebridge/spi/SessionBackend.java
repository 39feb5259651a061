package dev.voicebridge.spi;

import dev.voicebridge.VoicebridgeException;

/**
 * The part of a session a provider writes: it turns input into vendor requests and vendor frames
 * into calls on a {@link SynthesisSink}. Everything else (timing, ordering, back pressure, the one
 * terminal signal, cancel fencing, timeouts) is done once, by the library.
 *
 * <p>The library calls {@link #start} first, then {@link #text}, {@link #flush} and {@link #finish}
 * from the application's threads, one call at a time, never after {@code finish}. They must not
 * block on the network: queue and send asynchronously. {@link #flush} is called only when text was
 * given since the previous flush. {@link #cancel} may come at any time from any thread, at most
 * once, and only while the backend has not itself completed or failed the sink.
 */
public interface SessionBackend {

  /**
   * Starts the session: typically acquires a connection asynchronously.
   *
   * @param sink where the backend reports what the vendor sends
   */
  void start(SynthesisSink sink);

  /**
   * Text, possibly one LLM token; never empty.
   *
   * @param text the text
   */
  void text(String text);

  /** Speak what was given so far. */
  void flush();

  /** End of input. */
  void finish();

  /**
   * Abort: the session was cancelled or failed in the library (a timeout). Release the connection
   * (close the vendor's context, or discard the socket) and send nothing more to the sink.
   */
  void cancel();

  /**
   * The library ended the session with {@code error} (its response timeout, a limit, the audio
   * budget): abort as {@link #cancel()} does. A backend may take the cause into account: a
   * connection shared with other sessions that broke the protocol (a {@link
   * dev.voicebridge.ProtocolException}) should take no more of them. Called instead of {@code
   * cancel()}, under the same rules.
   *
   * @param error the error
   */
  default void abort(VoicebridgeException error) {
    cancel();
  }
}
