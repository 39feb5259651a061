package dev.voicebridge.example;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One session of the example provider. Text is buffered until a flush or the end of input (as a
 * vendor buffers it), then rendered to tone bursts and handed to the sink in 20 ms frames, one
 * frame per {@link SynthesisSink#whenReady} so a slow consumer slows the generator. Every state
 * change runs on the synthesizer's worker thread, so no field needs a lock.
 */
final class ExampleBackend implements SessionBackend {
  private final Executor worker;
  private final ToneGenerator tones;
  private final SynthesisOptions options;

  // worker-thread state
  private SynthesisSink sink;
  private AudioFormat format;
  private final StringBuilder buffer = new StringBuilder();
  private final ArrayDeque<Object> out = new ArrayDeque<>(); // byte[] frames and WordTimings
  private long samplesRendered;
  private boolean finished;
  private boolean pumping;
  private boolean ended;

  ExampleBackend(Executor worker, ToneGenerator tones, SynthesisOptions options) {
    this.worker = worker;
    this.tones = tones;
    this.options = options;
  }

  // tag::backend-input[]
  @Override
  public void start(SynthesisSink s) {
    sink = s;
    format = s.format();
    submit(
        () -> {
          sink.attribute("transport", "in-process");
          // tones have no voice, model, speed or language: say so instead of dropping them silently
          options.voice().ifPresent(v -> sink.warn("voice '" + v + "' ignored: tones have none"));
          options.model().ifPresent(v -> sink.warn("model '" + v + "' ignored: tones have none"));
          options.speed().ifPresent(v -> sink.warn("speed " + v + " ignored"));
          options.language().ifPresent(v -> sink.warn("language '" + v + "' ignored"));
          if (!options.vendorOptions().isEmpty()) {
            sink.warn("options of other providers ignored: " + options.vendorOptions().keySet());
          }
          sink.connected(false);
        });
  }

  @Override
  public void text(String text) {
    submit(() -> buffer.append(text));
  }

  @Override
  public void flush() {
    submit(this::render);
  }

  @Override
  public void finish() {
    submit(
        () -> {
          finished = true;
          render();
        });
  }

  @Override
  public void cancel() {
    try {
      worker.execute(
          () -> {
            ended = true;
            out.clear();
          });
    } catch (RejectedExecutionException e) {
      // the synthesizer is closed: nothing runs any more
    }
  }

  // end::backend-input[]

  private void submit(Runnable task) {
    try {
      worker.execute(
          () -> {
            if (!ended) {
              task.run();
            }
          });
    } catch (RejectedExecutionException e) {
      throw new VoicebridgeException(sink.provider(), "the synthesizer is closed", e);
    }
  }

  /** Renders the buffered text: word timings, then its audio in 20 ms frames. */
  private void render() {
    String text = buffer.toString();
    buffer.setLength(0);
    int rate = format.sampleRate();
    int perChar = tones.samplesPerChar(rate);
    for (int i = 0; i < text.length(); ) {
      if (!Character.isLetterOrDigit(text.charAt(i))) {
        i++;
        continue;
      }
      int end = i;
      while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
        end++;
      }
      Duration start = seconds(samplesRendered + (long) i * perChar, rate);
      Duration stop = seconds(samplesRendered + (long) end * perChar, rate);
      out.add(WordTiming.of(text.substring(i, end), start, stop));
      i = end;
    }
    byte[] audio = tones.render(text, rate);
    samplesRendered += (long) text.length() * perChar;
    int frame = rate / 50 * 2;
    for (int off = 0; off < audio.length; off += frame) {
      byte[] f = new byte[Math.min(frame, audio.length - off)];
      System.arraycopy(audio, off, f, 0, f.length);
      out.add(f);
    }
    pump();
  }

  private static Duration seconds(long samples, int rate) {
    return Duration.ofNanos(samples * 1_000_000_000L / rate);
  }

  /** Hands over the next item, then waits for the application to be ready for more. */
  private void pump() {
    if (pumping || ended) {
      return;
    }
    Object next = out.poll();
    if (next == null) {
      if (finished) {
        ended = true;
        sink.complete();
      }
      return;
    }
    if (next instanceof byte[] f) {
      sink.audio(ByteBuffer.wrap(f));
    } else {
      sink.wordTiming((WordTiming) next);
    }
    pumping = true;
    sink.whenReady(
        () -> {
          try {
            worker.execute(
                () -> {
                  pumping = false;
                  pump();
                });
          } catch (RejectedExecutionException e) {
            // closed: the session was cancelled by close()
          }
        });
  }
}
