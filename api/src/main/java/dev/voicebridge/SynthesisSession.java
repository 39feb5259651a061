package dev.voicebridge;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * One synthesis: text goes in incrementally, audio comes out as the vendor produces it.
 *
 * <p>Input: {@link #send(InputEvent)} (or {@link #sendText(CharSequence)} and {@link #flush()}),
 * then {@link #finish()} once. Input methods never block on the network; they may be called from
 * one thread at a time (any thread).
 *
 * <p>Output: subscribe once, either with {@link #events()} (push, back-pressured down to the
 * socket) or with {@link #stream()} (pull: a blocking iterator and an {@code InputStream}). Audio
 * queues until someone consumes it; a consumer that stops reading slows the connection instead of
 * filling memory.
 *
 * <p>Every session ends with exactly one terminal signal: completion after the last audio, an error
 * (a {@link VoicebridgeException}), or {@link SynthesisCancelledException} after {@link #cancel()}.
 * {@link #completion()} completes at the same moment, with the {@link SynthesisReport} or the same
 * exception.
 */
public interface SynthesisSession extends AutoCloseable {

  /** {@return the provider's name} */
  String provider();

  /** {@return the format of the audio this session delivers} */
  AudioFormat format();

  /**
   * Hands text or a flush to the provider. Empty text is ignored.
   *
   * @param event the text or flush
   */
  void send(InputEvent event);

  /**
   * Hands text to the provider.
   *
   * @param text the text, possibly a single token
   */
  default void sendText(CharSequence text) {
    send(InputEvent.text(text));
  }

  /** Asks the provider to speak what it was given so far without waiting for more. */
  default void flush() {
    send(FlushEvent.INSTANCE);
  }

  /** Ends the input: the remaining audio follows, then the completion. Idempotent. */
  void finish();

  /**
   * Stops the session (barge-in). When this method returns, no audio will be delivered any more;
   * the terminal signal is {@link SynthesisCancelledException}; the provider closes its server-side
   * context or connection. Idempotent; does nothing once the session has ended.
   */
  void cancel();

  /**
   * {@return the events of this session as a publisher that accepts one subscriber} Its methods are
   * called on transport threads, never concurrently: do not block in them (use {@link #stream()} to
   * block).
   */
  Flow.Publisher<SynthesisEvent> events();

  /**
   * {@return a pull view of the events: a blocking iterator and an {@code InputStream} of the
   * audio}
   */
  SynthesisStream stream();

  /**
   * Completes once, with the report or with the session's terminal exception.
   *
   * @return the stage that completes with the report, or exceptionally with the session's {@link
   *     VoicebridgeException}
   */
  CompletionStage<SynthesisReport> completion();

  /** {@return what was measured so far} */
  SynthesisReport report();

  /** Cancels the session unless it has already ended. */
  @Override
  void close();
}
