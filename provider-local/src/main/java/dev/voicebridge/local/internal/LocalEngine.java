package dev.voicebridge.local.internal;

import com.sun.speech.freetts.OutputQueue;
import com.sun.speech.freetts.Voice;
import com.sun.speech.freetts.VoiceManager;
import com.sun.speech.freetts.en.us.cmu_us_kal.KevinVoiceDirectory;
import dev.voicebridge.ProviderException;
import dev.voicebridge.local.LocalProvider;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One synthesizer's FreeTTS voice and the single worker thread that uses it (FreeTTS voices are not
 * thread-safe). The worker, named {@code voicebridge-local-N}, is a daemon started on the first
 * task; the voice is loaded by the first task that needs it, once. FreeTTS's own output thread,
 * which calls the {@link PcmPlayer}, is renamed {@code voicebridge-local-N-output}. {@link #close}
 * releases the voice and stops both threads.
 */
final class LocalEngine {
  /** The sample rate of {@code kevin16}. */
  static final int SOURCE_RATE = 16_000;

  /** The system property FreeTTS reads its voice directories from. */
  static final String VOICES_PROPERTY = "freetts.voices";

  static final String KEVIN_DIRECTORY = KevinVoiceDirectory.class.getName();

  private static final AtomicInteger IDS = new AtomicInteger();

  /** VoiceManager and output thread creation are global: one voice load at a time in the JVM. */
  private static final Object LOAD_LOCK = new Object();

  private final String voiceName;
  private final String threadName = "voicebridge-local-" + IDS.incrementAndGet();
  private final PcmPlayer player = new PcmPlayer();

  private ThreadPoolExecutor executor; // guarded by this
  private boolean closed; // guarded by this

  private volatile Voice voice; // written by the worker only
  private OutputQueue outputQueue; // the worker only
  private volatile Thread outputThread;
  private volatile Thread worker;

  LocalEngine(String voiceName) {
    this.voiceName = voiceName;
  }

  /** The worker's name, {@code voicebridge-local-N}. */
  String threadName() {
    return threadName;
  }

  /** Whether the voice is loaded. */
  boolean isLoaded() {
    return voice != null;
  }

  /** Whether the worker thread was started. */
  synchronized boolean isStarted() {
    return executor != null;
  }

  /** Whether the calling thread is the worker or FreeTTS's output thread of this engine. */
  boolean onOwnThread() {
    Thread t = Thread.currentThread();
    return t == worker || t == outputThread;
  }

  /**
   * Queues a task on the worker, starting it if needed.
   *
   * @throws RejectedExecutionException once closed
   */
  void execute(Runnable task) {
    ThreadPoolExecutor ex;
    synchronized (this) {
      if (closed) {
        throw new RejectedExecutionException("the local synthesizer is closed");
      }
      if (executor == null) {
        executor =
            new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(),
                r -> {
                  Thread t = new Thread(r, threadName);
                  t.setDaemon(true);
                  worker = t;
                  return t;
                });
      }
      ex = executor;
    }
    ex.execute(task);
  }

  /** The player the voice speaks into. */
  PcmPlayer player() {
    return player;
  }

  /**
   * The voice, loaded on first use. Call on the worker only.
   *
   * @throws ProviderException if FreeTTS has no such voice or fails to load it
   */
  Voice voice() {
    Voice v = voice;
    if (v != null) {
      return v;
    }
    synchronized (LOAD_LOCK) {
      try {
        v = lookUp();
        OutputQueue queue = startOutputThread();
        v.setOutputQueue(queue);
        v.setAudioPlayer(player);
        try {
          v.allocate();
        } catch (RuntimeException | Error e) {
          queue.close();
          throw e;
        }
        outputQueue = queue;
      } catch (ProviderException e) {
        throw e;
      } catch (RuntimeException | LinkageError e) {
        throw new ProviderException(
            LocalProvider.NAME,
            -1,
            "voice_load_failed",
            "FreeTTS could not load voice '" + voiceName + "': " + e,
            e);
      }
    }
    voice = v;
    return v;
  }

  private Voice lookUp() {
    // FreeTTS finds voices only through directories named in this property; respect a value the
    // application set, and fall back to the kevin directory directly if it does not list kevin16.
    if (System.getProperty(VOICES_PROPERTY) == null) {
      System.setProperty(VOICES_PROPERTY, KEVIN_DIRECTORY);
    }
    Voice v = VoiceManager.getInstance().getVoice(voiceName);
    if (v == null) {
      for (Voice candidate : new KevinVoiceDirectory().getVoices()) {
        if (candidate.getName().equals(voiceName)) {
          v = candidate;
        }
      }
    }
    if (v == null) {
      throw new ProviderException(
          LocalProvider.NAME,
          -1,
          "voice_not_found",
          "FreeTTS has no voice '"
              + voiceName
              + "' (system property "
              + VOICES_PROPERTY
              + "="
              + System.getProperty(VOICES_PROPERTY)
              + ")",
          null);
    }
    return v;
  }

  /** FreeTTS's output thread, renamed so it can be told apart (and seen to stop). */
  private OutputQueue startOutputThread() {
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    OutputQueue queue = Voice.createOutputThread();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t) && t.getClass().getName().startsWith(Voice.class.getName())) {
        t.setName(threadName + "-output");
        outputThread = t;
      }
    }
    return queue;
  }

  /**
   * Releases the voice and stops the threads. Queued tasks still run first (the sessions they
   * belong to are cancelled by then, so they return at once). Waits a few seconds for the worker to
   * end unless called on one of them (from a subscriber, say). Idempotent.
   */
  void close() {
    ThreadPoolExecutor ex;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      ex = executor;
    }
    if (ex == null) {
      return;
    }
    try {
      ex.execute(this::release);
    } finally {
      ex.shutdown();
    }
    if (!onOwnThread()) {
      try {
        if (!ex.awaitTermination(5, TimeUnit.SECONDS)) {
          ex.shutdownNow();
        }
        Thread out = outputThread;
        if (out != null) {
          out.join(TimeUnit.SECONDS.toMillis(5));
        }
      } catch (InterruptedException e) {
        ex.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  private void release() {
    Voice v = voice;
    try {
      if (v != null) {
        v.deallocate();
      }
    } catch (RuntimeException ignored) {
      // releasing is best effort; the output thread is stopped below either way
    } finally {
      if (outputQueue != null) {
        outputQueue.close();
      }
    }
  }
}
