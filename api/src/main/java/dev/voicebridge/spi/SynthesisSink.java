package dev.voicebridge.spi;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import java.nio.ByteBuffer;

/**
 * Where a {@link SessionBackend} puts what its vendor sends. Implemented by the library's session,
 * which measures time, orders and delivers events, and guarantees one terminal signal: after the
 * first {@link #complete()} or {@link #fail}, everything else is ignored.
 *
 * <p>All methods are non-blocking and safe to call from transport threads.
 */
public interface SynthesisSink {

  /** {@return the provider's name} */
  String provider();

  /** {@return the format the application asked for; audio handed over must be in it} */
  AudioFormat format();

  /** {@return the session's clock} */
  Ticker ticker();

  /**
   * The connection is ready; marks the end of connection set-up.
   *
   * @param reused whether a pooled connection of an earlier session was used
   */
  void connected(boolean reused);

  /**
   * Audio, in order. The sink takes ownership of the buffer; empty buffers are ignored.
   *
   * @param data the audio bytes
   */
  void audio(ByteBuffer data);

  /**
   * A word timing on the session's audio timeline.
   *
   * @param timing the timing
   */
  void wordTiming(WordTiming timing);

  /** The vendor signalled completion and every audio byte was handed over. */
  void complete();

  /**
   * The session failed.
   *
   * @param error the error, the session's terminal signal
   */
  void fail(VoicebridgeException error);

  /**
   * A warning for the report (an ignored option, a fallback the vendor made...).
   *
   * @param warning the warning, one sentence
   */
  void warn(String warning);

  /**
   * A fact for the report, such as {@code transport=websocket}.
   *
   * @param key the fact's name
   * @param value its value
   */
  void attribute(String key, String value);

  /**
   * Back pressure: runs {@code action} once the application has room for more events, now if it
   * has. A transport asks for the next frame from {@code action} ({@code WebSocket.request(1)}).
   *
   * @param action what to run
   */
  void whenReady(Runnable action);

  /** {@return whether the session has ended (completed, failed or cancelled)} */
  boolean isDone();
}
