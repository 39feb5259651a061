package dev.voicebridge.local.internal;

import com.sun.speech.freetts.Voice;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.ProviderException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.local.LocalProvider;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.text.SentenceSegmenter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One session of the local provider. Input is cut into sentences by a {@link SentenceSegmenter};
 * every complete segment is queued and spoken on the engine's worker, one segment per worker task,
 * so the sessions of a synthesizer take turns in order. After each segment the next task is queued
 * only from {@link SynthesisSink#whenReady}: a slow consumer holds back its own session without
 * ever blocking the worker, and the worker never runs more than a segment ahead of the consumer's
 * buffer.
 */
final class LocalSession implements SessionBackend, PcmPlayer.Target {
  /** Source audio gathered before a chunk is converted and handed over: 100 ms at 16 kHz. */
  static final int CHUNK_BYTES = 3200;

  /** The early first segment: the first clause of at least this many characters is spoken. */
  static final int FIRST_SEGMENT_MIN_CHARS = 40;

  /** The longest segment. */
  static final int MAX_SEGMENT_CHARS = 300;

  private static final Object END = new Object();

  private final LocalEngine engine;
  private final AudioFormat format;
  private final float wordsPerMinute;
  private final List<String> warnings;
  private final Consumer<LocalSession> onEnd;
  private volatile boolean ended;
  private final SentenceSegmenter segmenter =
      SentenceSegmenter.builder()
          .firstSegmentMinChars(FIRST_SEGMENT_MIN_CHARS)
          .maxSegmentChars(MAX_SEGMENT_CHARS)
          .build();

  private SynthesisSink sink;
  private final ArrayDeque<Object> pending = new ArrayDeque<>(); // guarded by this
  private boolean scheduled; // guarded by this: a drive task is queued, running or awaiting room
  private volatile boolean cancelled;
  private volatile boolean connected;

  // Touched by the worker and, during speak, by FreeTTS's output thread; guarded by audioLock.
  private final Object audioLock = new Object();
  private final AudioEncoder encoder;
  private final ByteArrayOutputStream chunk = new ByteArrayOutputStream(CHUNK_BYTES * 2);
  private int chunkRate = LocalEngine.SOURCE_RATE;
  private volatile RuntimeException audioError;

  LocalSession(
      LocalEngine engine,
      AudioFormat format,
      float wordsPerMinute,
      List<String> warnings,
      Consumer<LocalSession> onEnd) {
    this.engine = engine;
    this.format = format;
    this.wordsPerMinute = wordsPerMinute;
    this.warnings = List.copyOf(warnings);
    this.onEnd = onEnd;
    this.encoder = new AudioEncoder(format);
  }

  // ------------------------------------------------------------ application threads

  @Override
  public void start(SynthesisSink s) {
    this.sink = s;
    s.attribute("transport", "local");
    s.attribute("engine", "freetts");
    warnings.forEach(s::warn);
    if (engine.isLoaded()) {
      // the voice is warm: nothing to set up, like a reused connection
      connected = true;
      s.connected(true);
    }
    synchronized (this) {
      scheduled = true;
    }
    submit(); // loads the voice on the worker if needed
  }

  @Override
  public void text(String text) {
    enqueue(segmenter.push(text), false);
  }

  @Override
  public void flush() {
    enqueue(segmenter.flush(), false);
  }

  @Override
  public void finish() {
    enqueue(segmenter.flush(), true);
  }

  @Override
  public void cancel() {
    cancelled = true;
    synchronized (this) {
      pending.clear();
    }
    end();
  }

  private void enqueue(List<String> segments, boolean end) {
    boolean start;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      pending.addAll(segments);
      if (end) {
        pending.add(END);
      }
      start = !scheduled && !pending.isEmpty();
      if (start) {
        scheduled = true;
      }
    }
    if (start) {
      submit();
    }
  }

  /** Queues the next drive step on the worker; fails the session if the synthesizer is closed. */
  private void submit() {
    try {
      engine.execute(this::drive);
    } catch (RejectedExecutionException e) {
      fail(
          new VoicebridgeException(
              LocalProvider.NAME, "the local synthesizer was closed during the session"));
    }
  }

  // ------------------------------------------------------------ worker

  private void drive() {
    try {
      if (stopped()) {
        return;
      }
      if (!connected) {
        boolean wasLoaded = engine.isLoaded();
        engine.voice();
        connected = true;
        sink.connected(wasLoaded);
      }
      Object item;
      synchronized (this) {
        item = pending.poll();
        if (item == null) {
          scheduled = false;
          return;
        }
      }
      if (item == END) {
        synchronized (audioLock) {
          deliver(encoder.headerIfNone());
        }
        sink.complete();
        end();
        return;
      }
      speak((String) item);
      if (stopped()) {
        return;
      }
      sink.whenReady(this::submit);
    } catch (VoicebridgeException e) {
      fail(e);
    } catch (RuntimeException | LinkageError e) {
      fail(
          new ProviderException(
              LocalProvider.NAME, -1, "synthesis_failed", "FreeTTS failed: " + e, e));
    }
  }

  private boolean stopped() {
    return cancelled || sink.isDone();
  }

  private void speak(String segment) {
    Voice voice = engine.voice();
    voice.setRate(wordsPerMinute);
    PcmPlayer player = engine.player();
    boolean ok;
    player.target(this);
    try {
      ok = voice.speak(segment);
    } finally {
      player.target(null);
    }
    if (cancelled) {
      return;
    }
    RuntimeException error = audioError;
    if (error != null) {
      throw new ProviderException(
          LocalProvider.NAME,
          -1,
          "synthesis_failed",
          "could not convert FreeTTS's audio: " + error,
          error);
    }
    synchronized (audioLock) {
      emitChunk();
      deliver(encoder.endSegment());
    }
    if (!ok) {
      throw new ProviderException(
          LocalProvider.NAME,
          -1,
          "synthesis_failed",
          "FreeTTS did not finish speaking a segment of " + segment.length() + " characters",
          null);
    }
  }

  // ------------------------------------------------------------ FreeTTS output thread

  @Override
  public boolean accept(byte[] pcmLe, int off, int len, int sampleRate) {
    if (cancelled) {
      return false;
    }
    synchronized (audioLock) {
      if (sampleRate != chunkRate) {
        emitChunk();
        chunkRate = sampleRate;
      }
      chunk.write(pcmLe, off, len);
      if (chunk.size() >= CHUNK_BYTES) {
        emitChunk();
      }
    }
    return !cancelled;
  }

  @Override
  public void failed(RuntimeException error) {
    audioError = error;
  }

  /** Converts and hands over the gathered source audio; audioLock held. */
  private void emitChunk() {
    if (chunk.size() == 0) {
      return;
    }
    byte[] pcm = chunk.toByteArray();
    chunk.reset();
    deliver(encoder.encode(pcm, 0, pcm.length, chunkRate));
  }

  private void deliver(byte[] bytes) {
    if (bytes.length > 0 && !cancelled) {
      sink.audio(ByteBuffer.wrap(bytes));
    }
  }

  /**
   * Whether the session has ended (completed, failed or cancelled) as far as this backend knows.
   */
  boolean isEnded() {
    return ended;
  }

  private void end() {
    ended = true;
    onEnd.accept(this);
  }

  private void fail(VoicebridgeException e) {
    sink.fail(e);
    end();
  }
}
