package dev.voicebridge.text.shaping;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.spi.Limits;
import dev.voicebridge.spi.Redactor;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.Ticker;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The synthesizer of {@link TextShaping#wrap}: each session is the library's session around a
 * backend that shapes the text into a session of the delegate and passes its events back, word
 * timings with their place in the application's text.
 */
final class ShapedSynthesizer implements StreamingSynthesizer {
  /** The estimate's starting speaking rate, in weight units per second (see Estimator). */
  static final double NOMINAL_RATE = 15.0;

  /**
   * The outer session leaves the limits, the buffering and the response timeout to the delegate's
   * session (which applies them to the text it is sent and the audio it receives); it only
   * delivers, holding one event at a time: the delegate's session holds the rest, within its own
   * {@code max-buffered-audio-bytes}, and pauses its transport when the application does not read.
   */
  private static final SessionSettings SETTINGS =
      new SessionSettings(
          Ticker.system(),
          Duration.ofDays(1),
          1,
          Limits.DEFAULT_MAX_BUFFERED_AUDIO_BYTES,
          Long.MAX_VALUE,
          Redactor.none(),
          SessionSettings.AudioBudget.unbounded());

  final StreamingSynthesizer delegate;
  private final TextShaping shaping;
  private final Capabilities capabilities;
  private final Set<SynthesisSession> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private double rate = NOMINAL_RATE; // guarded by this

  ShapedSynthesizer(StreamingSynthesizer delegate, TextShaping shaping) {
    this.delegate = delegate;
    this.shaping = shaping;
    Capabilities c = delegate.capabilities();
    this.capabilities =
        Capabilities.builder()
            .streamingInput(c.streamingInput())
            .wordTimings(c.wordTimings() || shaping.estimatesWordTimings())
            .multiplexing(c.multiplexing())
            .network(c.network())
            .defaultFormat(c.defaultFormat())
            .supports(c::supports)
            .formats(c.formats().toArray(new AudioFormat[0]))
            .transports(c.transports().toArray(new String[0]))
            .build();
  }

  @Override
  public String provider() {
    return delegate.provider();
  }

  /**
   * The delegate's capabilities; word timings also when this synthesizer estimates them for a
   * delegate without.
   */
  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException(provider() + " (text shaping) is closed");
    }
    TextShaping s = options.get(TextShaping.OPTION).orElse(shaping);
    SynthesisOptions inner = options.toBuilder().unset(TextShaping.OPTION).build();
    AudioFormat format = options.format().orElse(delegate.capabilities().defaultFormat());
    boolean estimate = s.estimatesWordTimings() && !delegate.capabilities().wordTimings();
    double speed = options.speed().orElse(1.0);
    SynthesisSession session =
        SynthesisSessions.open(
            provider(),
            format,
            SETTINGS,
            new ShapedBackend(this, s, inner, format, estimate ? rate() * speed : 0));
    running.add(session);
    session.completion().whenComplete((r, e) -> running.remove(session));
    if (closed) {
      session.cancel();
    }
    return session;
  }

  /** The speaking rate estimates start from: calibrated by the sessions that completed. */
  synchronized double rate() {
    return rate;
  }

  /**
   * A session with estimated timings completed: {@code units} of text took {@code seconds} of
   * audio. The next sessions start from a rate halfway between the old one and this one.
   */
  synchronized void calibrate(double units, double seconds, double speed) {
    if (seconds < 1 || units < 20) {
      return;
    }
    double observed = units / seconds / speed;
    rate = Math.max(6, Math.min(30, (rate + observed) / 2));
  }

  /** Cancels running sessions, then closes the delegate. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (SynthesisSession s : List.copyOf(running)) {
      s.cancel();
    }
    delegate.close();
  }

  @Override
  public String toString() {
    return delegate + " with text shaping " + shaping.describe();
  }
}
