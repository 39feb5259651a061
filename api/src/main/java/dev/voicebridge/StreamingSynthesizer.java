package dev.voicebridge;

import java.util.Iterator;
import java.util.Objects;

/**
 * A text-to-speech vendor behind one provider-neutral interface: stream text in (whole strings or
 * LLM tokens with explicit flushes at turn boundaries), get audio out as soon as the vendor
 * produces it.
 *
 * <p>Get one from {@link StreamingSynthesizers#fromConfig(VoicebridgeConfig)}. A synthesizer is
 * thread-safe and meant to be shared: it owns pooled connections and background resources, which
 * {@link #close()} releases.
 */
public interface StreamingSynthesizer extends AutoCloseable {

  /**
   * {@return the provider's name: {@code fish}, {@code elevenlabs}, {@code smallest}, {@code
   * local}..}
   */
  String provider();

  /** {@return what this synthesizer can do} */
  Capabilities capabilities();

  /**
   * Opens a session for incremental input. Options are validated here, before any network I/O.
   *
   * @param options the session's options
   * @return the open session, ready for text
   * @throws UnsupportedCapabilityException for a format or option the provider cannot honour
   */
  SynthesisSession open(SynthesisOptions options);

  /**
   * Opens a session with default options.
   *
   * @return the open session, ready for text
   */
  default SynthesisSession open() {
    return open(SynthesisOptions.defaults());
  }

  /**
   * Synthesizes a whole text; the audio streams as it is produced.
   *
   * @param text the whole text
   * @param options the session's options
   * @return the audio, readable as it arrives
   */
  default SynthesisStream synthesize(String text, SynthesisOptions options) {
    Objects.requireNonNull(text, "text");
    SynthesisSession session = open(options);
    SynthesisStream stream = session.stream();
    session.sendText(text);
    session.finish();
    return stream;
  }

  /**
   * Synthesizes a whole text with default options.
   *
   * @param text the whole text
   * @return the audio, readable as it arrives
   */
  default SynthesisStream synthesize(String text) {
    return synthesize(text, SynthesisOptions.defaults());
  }

  /**
   * Synthesizes a sequence of text and flush events, for example LLM tokens as they arrive. The
   * events are read on a named background thread that ends with the iteration (or when the session
   * ends), so the caller can read audio while tokens are still coming.
   *
   * @param events the text and flush events, in order
   * @param options the session's options
   * @return the audio, readable as it arrives
   */
  default SynthesisStream stream(Iterable<? extends InputEvent> events, SynthesisOptions options) {
    Objects.requireNonNull(events, "events");
    return stream(events.iterator(), options);
  }

  /**
   * Same as {@link #stream(Iterable, SynthesisOptions)} for an iterator.
   *
   * @param events the text and flush events, in order
   * @param options the session's options
   * @return the audio, readable as it arrives
   */
  default SynthesisStream stream(Iterator<? extends InputEvent> events, SynthesisOptions options) {
    Objects.requireNonNull(events, "events");
    SynthesisSession session = open(options);
    SynthesisStream stream = session.stream();
    InputPump.start(session, events);
    return stream;
  }

  /** Releases connections and threads. Sessions still running are cancelled. */
  @Override
  void close();
}
