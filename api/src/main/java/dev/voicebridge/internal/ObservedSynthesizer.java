package dev.voicebridge.internal;

import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.observe.SessionListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A synthesizer whose sessions are observed by listeners: {@code open()} runs the provider's with
 * the listeners in scope (see {@link SessionEvents}). Everything else (the catalog, prewarm) is the
 * provider's.
 */
public final class ObservedSynthesizer implements StreamingSynthesizer {
  private final StreamingSynthesizer delegate;
  private final List<SessionListener> listeners;

  /** Observes {@code delegate}'s sessions with {@code listeners}. */
  public ObservedSynthesizer(StreamingSynthesizer delegate, List<SessionListener> listeners) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.listeners = List.copyOf(listeners);
  }

  /** The synthesizer observed. */
  public StreamingSynthesizer delegate() {
    return delegate;
  }

  /** The listeners. */
  public List<SessionListener> listeners() {
    return listeners;
  }

  @Override
  public String provider() {
    return delegate.provider();
  }

  @Override
  public Capabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    return SessionEvents.withListeners(listeners, options, () -> delegate.open(options));
  }

  @Override
  public CompletionStage<VoicePage> voices(VoiceQuery query) {
    return delegate.voices(query);
  }

  @Override
  public CompletionStage<Void> prewarm(SynthesisOptions options) {
    return delegate.prewarm(options);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate + " observed by " + listeners.size() + " listener(s)";
  }
}
