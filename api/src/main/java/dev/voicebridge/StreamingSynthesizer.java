package dev.voicebridge;

import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

  /**
   * Lists the voices of the vendor's catalog, one page at a time: ids for {@link
   * SynthesisOptions.Builder#voice(String)}, with what the vendor says about each (languages,
   * gender, age, accent, word timings, models, a preview). Pages are cached by query for the
   * provider's {@code voices-cache-ttl} (10 minutes by default): asking again within it costs no
   * request, and concurrent requests for the same page share one.
   *
   * <p>Arguments and the synthesizer's state are checked at once (thrown); the vendor's answer
   * comes in the stage, which fails with the error tree's exceptions: {@link
   * AuthenticationException} for a wrong key, {@link RateLimitedException}, {@link
   * ProviderUnavailableException} for a server error, {@link TransportException} when the server
   * cannot be reached, {@link ProtocolException} for an answer that is not a catalog.
   *
   * @param query the filters and the page (see {@link VoiceQuery} for which filters the vendor
   *     applies)
   * @return the page, completed on the HTTP client's thread
   * @throws UnsupportedCapabilityException if the provider has no catalog ({@link
   *     Capabilities#voiceCatalog()} is false): the default
   * @throws IllegalStateException after {@link #close()}
   */
  default CompletionStage<VoicePage> voices(VoiceQuery query) {
    Objects.requireNonNull(query, "query");
    throw new UnsupportedCapabilityException(
        provider(), "provider '" + provider() + "' cannot list its voices");
  }

  /**
   * Gets ready for a session with {@code options}, so that its connection set-up is off the
   * critical path: opens the connection the session will need (or finds it open in the pool), or
   * loads what the provider loads on first use. Call it when a session is likely soon (the user
   * started speaking); the next {@link #open(SynthesisOptions)} with the same options then reports
   * {@link SynthesisReport#connectionReused()}.
   *
   * <p>Options are checked as {@link #open(SynthesisOptions)} checks them (thrown); the stage
   * completes when the connection is open, or fails with what opening it met ({@link
   * AuthenticationException} for a refused key, {@link TransportException}...), leaving nothing
   * behind. A prewarmed connection waits in the pool as long as an idle one may (then it is
   * closed); what a provider does for each transport is in its documentation. The default does
   * nothing and completes at once.
   *
   * @param options the options
   * @throws UnsupportedCapabilityException for options {@code open} would refuse
   * @throws IllegalStateException after {@link #close()}
   * @return gets ready for a session with {@code options}, so that its connection set-up is off the
   *     critical path: opens the connection the session will need (or finds it open in the pool),
   *     or loads what the provider loads on first use
   */
  default CompletionStage<Void> prewarm(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Same as {@link #prewarm(SynthesisOptions)} with default options.
   *
   * @return same as {@link #prewarm(SynthesisOptions)} with default options
   */
  default CompletionStage<Void> prewarm() {
    return prewarm(SynthesisOptions.defaults());
  }

  /** Releases connections and threads. Sessions still running are cancelled. */
  @Override
  void close();
}
