package dev.voicebridge.local.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.ProviderException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.local.LocalProvider;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * The local synthesizer: FreeTTS's {@code kevin16} voice on one worker thread of its own. Cheap to
 * create (no thread, no voice until the first session); thread-safe; {@link #close()} cancels the
 * running sessions, releases the voice and stops the threads.
 */
public final class LocalSynthesizer implements StreamingSynthesizer {

  /** The sample rates PCM and WAV can be delivered at (resampled from 16 kHz). */
  public static final Set<Integer> RATES = Set.of(8000, 16000, 22050, 24000, 32000, 44100, 48000);

  /** The format used when options name none: kevin16's own rate, no resampling. */
  public static final AudioFormat DEFAULT_FORMAT = AudioFormat.pcm(16_000);

  /** FreeTTS's normal speaking rate, in words per minute. */
  static final float NORMAL_WORDS_PER_MINUTE = 150f;

  /** The speeds FreeTTS's duration stretch handles well. */
  static final double MIN_SPEED = 0.25;

  static final double MAX_SPEED = 4.0;

  private static final Capabilities CAPABILITIES = buildCapabilities();

  private final String defaultVoice;
  private final SessionSettings settings;
  private final LocalEngine engine;
  private final Map<LocalSession, SynthesisSession> live = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * Creates a synthesizer; loads nothing and starts no thread.
   *
   * @param defaultVoice the voice of sessions that name none; one of {@link LocalProvider#VOICES}
   * @param settings how sessions are run (clock, response timeout)
   */
  public LocalSynthesizer(String defaultVoice, SessionSettings settings) {
    this.defaultVoice = Objects.requireNonNull(defaultVoice, "defaultVoice");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.engine = new LocalEngine(defaultVoice);
  }

  private static Capabilities buildCapabilities() {
    Capabilities.Builder b =
        Capabilities.builder()
            .streamingInput(true)
            .wordTimings(false)
            .multiplexing(false)
            .network(false)
            .voiceCatalog(true)
            .defaultFormat(DEFAULT_FORMAT)
            .transports("local")
            .supports(LocalSynthesizer::isSupported);
    RATES.stream().sorted().forEach(r -> b.formats(AudioFormat.pcm(r)).formats(AudioFormat.wav(r)));
    b.formats(AudioFormat.mulaw(8000), AudioFormat.alaw(8000));
    return b.build();
  }

  static boolean isSupported(AudioFormat f) {
    if (f.channels() != 1) {
      return false;
    }
    return switch (f.encoding()) {
      case PCM_S16LE, WAV -> RATES.contains(f.sampleRate());
      case MULAW, ALAW -> f.sampleRate() == 8000;
      case MP3, OPUS -> false;
    };
  }

  @Override
  public String provider() {
    return LocalProvider.NAME;
  }

  @Override
  public Capabilities capabilities() {
    return CAPABILITIES;
  }

  /**
   * Opens a session. Options are checked before any work: a format, voice, speed or local option
   * that cannot be honoured is refused; the language (other than English), a model and options of
   * other providers are ignored with a warning in the report.
   *
   * @throws UnsupportedCapabilityException for a format, voice, speed or option that cannot be
   *     honoured
   * @throws IllegalStateException once closed
   */
  @Override
  public SynthesisSession open(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("[local] the synthesizer is closed");
    }
    AudioFormat format = options.format().orElse(DEFAULT_FORMAT);
    if (!isSupported(format)) {
      throw new UnsupportedCapabilityException(
          LocalProvider.NAME,
          "format "
              + format
              + " is not supported; use pcm or wav at "
              + RATES.stream().sorted().toList()
              + " Hz (mono), mulaw_8000 or alaw_8000");
    }
    String voice = options.voice().orElse(defaultVoice);
    if (!LocalProvider.VOICES.contains(voice)) {
      throw new UnsupportedCapabilityException(
          LocalProvider.NAME,
          "voice '" + voice + "' is not available; available voices: " + LocalProvider.VOICES);
    }
    float wordsPerMinute = NORMAL_WORDS_PER_MINUTE;
    if (options.speed().isPresent()) {
      double speed = options.speed().get();
      if (speed < MIN_SPEED || speed > MAX_SPEED) {
        throw new UnsupportedCapabilityException(
            LocalProvider.NAME,
            "speed " + speed + " is not supported; use " + MIN_SPEED + ".." + MAX_SPEED);
      }
      wordsPerMinute = (float) (NORMAL_WORDS_PER_MINUTE * speed);
    }
    List<String> warnings = new ArrayList<>();
    options
        .language()
        .filter(l -> !isEnglish(l))
        .ifPresent(
            l ->
                warnings.add(
                    "language '" + l + "' ignored: voice " + voice + " speaks English only"));
    options
        .model()
        .ifPresent(
            m -> warnings.add("model '" + m + "' ignored: the local provider has no models"));
    for (SynthesisOption<?> o : options.vendorOptions().keySet()) {
      if (o.provider().equals(LocalProvider.NAME)) {
        throw new UnsupportedCapabilityException(
            LocalProvider.NAME, "option " + o + " is not an option of the local provider");
      }
      warnings.add("option " + o + " ignored: it is an option of provider '" + o.provider() + "'");
    }
    LocalSession backend = new LocalSession(engine, format, wordsPerMinute, warnings, live::remove);
    SynthesisSession session =
        SynthesisSessions.open(LocalProvider.NAME, format, settings, backend);
    live.put(backend, session);
    if (backend.isEnded()) {
      live.remove(backend);
    }
    if (closed) {
      session.cancel();
    }
    return session;
  }

  /**
   * The voices FreeTTS has here ({@link LocalProvider#VOICES}), described as FreeTTS describes
   * them; one page, the query's filters applied. No I/O beyond the class path.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public CompletionStage<VoicePage> voices(VoiceQuery query) {
    Objects.requireNonNull(query, "query");
    if (closed) {
      throw new IllegalStateException("the local synthesizer is closed");
    }
    List<Voice> voices = new ArrayList<>();
    for (String name : LocalProvider.VOICES) {
      voices.add(
          Voice.builder(name, "Kevin (FreeTTS " + name + ")")
              .languages("en-us")
              .gender("male")
              .age("younger adult")
              .accent("american")
              .description("FreeTTS's default 16 kHz diphone voice (general domain)")
              .wordTimings(false)
              .build());
    }
    List<Voice> kept = new ArrayList<>();
    for (Voice v : voices) {
      if (query.matches(v)) {
        kept.add(v);
      }
    }
    return CompletableFuture.completedFuture(VoicePage.last(kept));
  }

  /**
   * Loads the voice on the worker thread (what the first session would otherwise wait for): the
   * stage completes once it is loaded, or fails with the {@link ProviderException} of a failed
   * load.
   *
   * @throws UnsupportedCapabilityException for a voice this provider does not have
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public CompletionStage<Void> prewarm(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException("the local synthesizer is closed");
    }
    String voice = options.voice().orElse(defaultVoice);
    if (!LocalProvider.VOICES.contains(voice)) {
      throw new UnsupportedCapabilityException(
          LocalProvider.NAME,
          "voice '" + voice + "' is not available; use " + LocalProvider.VOICES);
    }
    CompletableFuture<Void> loaded = new CompletableFuture<>();
    try {
      engine.execute(
          () -> {
            try {
              engine.voice();
              loaded.complete(null);
            } catch (RuntimeException e) {
              loaded.completeExceptionally(e);
            }
          });
    } catch (RejectedExecutionException e) {
      throw new IllegalStateException("the local synthesizer is closed", e);
    }
    return loaded;
  }

  private static boolean isEnglish(String language) {
    String l = language.trim().toLowerCase(Locale.ROOT);
    return l.equals("en") || l.startsWith("en-") || l.startsWith("en_");
  }

  /** Whether the worker thread has been started (for tests: creation starts nothing). */
  boolean isStarted() {
    return engine.isStarted();
  }

  /** Whether the voice is loaded (for tests). */
  boolean isLoaded() {
    return engine.isLoaded();
  }

  /** The worker thread's name (for tests). */
  String threadName() {
    return engine.threadName();
  }

  /**
   * Cancels the running sessions, releases the voice and stops the worker and FreeTTS's output
   * thread (waiting a few seconds for them unless called on the worker). Idempotent.
   */
  @Override
  public void close() {
    closed = true;
    for (SynthesisSession s : List.copyOf(live.values())) {
      s.cancel();
    }
    live.clear();
    engine.close();
  }

  @Override
  public String toString() {
    return "LocalSynthesizer[voice=" + defaultVoice + ", closed=" + closed + "]";
  }
}
