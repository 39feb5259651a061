package dev.voicebridge.text.shaping;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.text.shaping.internal.Aligner;
import dev.voicebridge.text.shaping.internal.Annotated;
import dev.voicebridge.text.shaping.internal.Estimator;
import dev.voicebridge.text.shaping.internal.Pipeline;
import dev.voicebridge.text.shaping.internal.SpokenText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;

/**
 * One shaped session: the application's text goes through the pipeline into a session of the
 * delegate; the delegate's events come back, its word timings given their place in the
 * application's text (or estimated ones added).
 *
 * <p>Input methods run on the application's threads, one at a time (the library's session
 * serializes them); events run on the delegate's threads, one at a time. What both touch (the
 * pipeline's output, the aligner, the estimator) is guarded by {@code lock}, never held while
 * calling the delegate's session or the sink, so neither side can deadlock the other.
 */
final class ShapedBackend implements SessionBackend, Flow.Subscriber<SynthesisEvent> {
  private final ShapedSynthesizer owner;
  private final TextShaping shaping;
  private final SynthesisOptions innerOptions;
  private final AudioFormat format;
  private final String language;
  private final double speed;
  private final boolean estimateAsked;

  private final Object lock = new Object();
  private final Pipeline pipeline; // input side only
  private final Annotated unsent = new Annotated(); // input side: white space waiting for words
  private final SpokenText spoken = new SpokenText(); // lock
  private final Aligner aligner = new Aligner(spoken); // lock
  private Estimator estimator; // lock; null when timings are not estimated
  private long audioBytes; // event side

  private SynthesisSink sink;
  private volatile SynthesisSession inner;
  private volatile Flow.Subscription subscription;
  private volatile boolean done;
  private boolean connected; // event side
  private boolean warnedRealTimings; // event side

  /**
   * @param rate the estimate's speaking rate, or 0 when timings are not estimated
   */
  ShapedBackend(
      ShapedSynthesizer owner,
      TextShaping shaping,
      SynthesisOptions innerOptions,
      AudioFormat format,
      double rate) {
    this.owner = owner;
    this.shaping = shaping;
    this.innerOptions = innerOptions;
    this.format = format;
    this.language = shaping.language(innerOptions);
    this.speed = innerOptions.speed().orElse(1.0);
    this.pipeline = shaping.pipeline(language);
    this.estimateAsked = rate > 0;
    if (estimateAsked && format.isUncompressed()) {
      this.estimator = new Estimator(spoken, rate);
    }
  }

  @Override
  public void start(SynthesisSink s) {
    sink = s;
    sink.attribute("text.shaping", shaping.describe());
    if (estimateAsked && estimator == null) {
      sink.warn(
          "text shaping: no estimated word timings for "
              + format
              + " (the duration of compressed audio is not known from its bytes)");
    }
    if (shaping.skipsNumbers(language)) {
      sink.warn("text shaping: English numbers skipped for language '" + language + "'");
    }
    if (estimator != null) {
      sink.attribute("text.word-timings", "estimated");
    }
    SynthesisSession session = owner.delegate.open(innerOptions);
    inner = session;
    session.events().subscribe(this);
  }

  // ------------------------------------------------------------------ input

  @Override
  public void text(String text) {
    forward(pipeline.push(text), false);
  }

  @Override
  public void flush() {
    forward(pipeline.flush(), true);
    inner.flush();
  }

  @Override
  public void finish() {
    forward(pipeline.flush(), true);
    unsent.clear(); // white space at the very end says nothing
    inner.finish();
  }

  /**
   * Hands shaped text to the delegate. White space alone waits for the next words (a vendor may
   * take a lone space for a keep-alive); at a boundary it is dropped.
   */
  private void forward(Annotated out, boolean boundary) {
    unsent.append(out);
    String text = unsent.text();
    boolean words = !text.isBlank();
    if (words) {
      synchronized (lock) {
        spoken.append(unsent);
        if (estimator != null) {
          estimator.textAdded(boundary);
        }
      }
      unsent.clear();
      inner.sendText(text);
    } else {
      if (boundary) {
        unsent.clear();
      }
      if (boundary && estimator != null) {
        synchronized (lock) {
          estimator.textAdded(true);
        }
      }
    }
  }

  @Override
  public void cancel() {
    done = true;
    SynthesisSession s = inner;
    if (s != null) {
      s.cancel();
    }
  }

  // ------------------------------------------------------------------ events

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(SynthesisEvent event) {
    if (done) {
      return;
    }
    markConnected();
    if (event instanceof AudioChunk c) {
      sink.audio(c.data());
      audioBytes += c.size();
      if (estimator != null) {
        List<WordTiming> timings;
        synchronized (lock) {
          timings = estimator.audio(format.durationOf(audioBytes));
          prune();
        }
        timings.forEach(sink::wordTiming);
      }
    } else if (event instanceof WordTiming t) {
      if (estimator != null) {
        if (!warnedRealTimings) {
          warnedRealTimings = true;
          sink.warn(
              "text shaping: "
                  + owner.provider()
                  + " sent word timings although it declares none; estimated ones are delivered"
                  + " instead (the two are never mixed)");
        }
      } else {
        sink.wordTiming(place(t));
      }
    }
    sink.whenReady(this::requestOne);
  }

  /** {@code t} with its place in the application's text. */
  private WordTiming place(WordTiming t) {
    int[] span;
    synchronized (lock) {
      if (t.hasTextOffsets() && t.textStart() >= spoken.base() && t.textEnd() <= spoken.end()) {
        span = spoken.span(t.textStart(), t.textEnd()); // a shaped delegate: its offsets are ours
      } else {
        span = aligner.align(t.word());
      }
      prune();
    }
    if (span == null) {
      return t.hasTextOffsets()
          ? new WordTiming(t.word(), t.start(), t.end(), t.normalized(), t.estimated())
          : t;
    }
    return t.withTextOffsets(span[0], span[1]);
  }

  private void prune() {
    int keep = aligner.position() - 1;
    if (estimator != null) {
      keep = Math.min(keep, estimator.position());
    }
    spoken.prune(keep);
  }

  private void requestOne() {
    Flow.Subscription s = subscription;
    if (s != null && !done) {
      s.request(1);
    }
  }

  private void markConnected() {
    if (connected) {
      return;
    }
    SynthesisReport r = inner.report();
    if (r.connectionSetup().isPresent()) {
      connected = true;
      sink.connected(r.connectionReused());
    }
  }

  @Override
  public void onError(Throwable t) {
    if (done) {
      return;
    }
    done = true;
    copyReport();
    sink.fail(
        t instanceof VoicebridgeException v
            ? v
            : new VoicebridgeException(owner.provider(), "session failed: " + t, t));
  }

  @Override
  public void onComplete() {
    if (done) {
      return;
    }
    done = true;
    markConnected();
    if (estimator != null) {
      Duration audio = format.durationOf(audioBytes);
      List<WordTiming> timings;
      double units;
      synchronized (lock) {
        timings = estimator.finish(audio);
        units = estimator.units();
      }
      timings.forEach(sink::wordTiming);
      owner.calibrate(units, audio.toNanos() / 1e9, speed);
    }
    copyReport();
    sink.complete();
  }

  private void copyReport() {
    SynthesisReport r = inner.report();
    for (Map.Entry<String, String> e : r.attributes().entrySet()) {
      sink.attribute(e.getKey(), e.getValue());
    }
    r.warnings().forEach(sink::warn);
  }
}
