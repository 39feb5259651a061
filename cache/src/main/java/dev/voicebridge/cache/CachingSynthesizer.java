package dev.voicebridge.cache;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.SynthesisSink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A synthesizer that remembers phrases: the audio and word timings of a text spoken by the
 * synthesizer it wraps are kept in a {@link PhraseCache}, and the next session asking for the same
 * phrase gets them at once, with the same events in the same order (audio chunks with their
 * boundaries, word timings, completion) and the same report fields, marked as cached.
 *
 * <pre>{@code
 * StreamingSynthesizer tts =
 *     CachingSynthesizer.builder(vendor).cache(phrases).maxPhraseChars(200).build();
 * }</pre>
 *
 * <h2>What is a phrase</h2>
 *
 * The key is the provider's name, the session's format (the one asked for, or the provider's
 * default), voice, model, speed, language, every vendor option, and the text. A session's text is
 * known whole only when its input ends, so the rule is:
 *
 * <ul>
 *   <li>Text is held, and nothing is sent to the vendor, until {@code finish()}, a flush, or more
 *       than {@link Builder#maxPhraseChars(int)} characters.
 *   <li>At {@code finish()} with no flush before it (a whole text, as {@code synthesize(text)}
 *       gives; tokens sent without a flush count too), the text is the phrase: a hit replays it; a
 *       miss synthesizes it once for every session asking for it meanwhile (they share the vendor's
 *       audio as it arrives) and stores it when the vendor completes.
 *   <li>A flush must give audio before {@code finish()}, so at the first flush the session goes to
 *       the vendor as it is (held text first, then the rest live, with back pressure). It is
 *       recorded and, if it completes, stored under its whole text: a later whole-text request for
 *       the same text is a hit. A session whose text grows past {@code maxPhraseChars}, or whose
 *       text fails {@link Builder#cacheable(Predicate)}, goes to the vendor unrecorded.
 * </ul>
 *
 * Only sessions that complete are stored; a failed or cancelled one never is, and a failure is not
 * remembered (the next request tries the vendor again).
 *
 * <h2>The report</h2>
 *
 * Sessions are measured by the library like any other ({@link SynthesisReport}), under the wrapped
 * provider's name. The report carries the original session's warnings and attributes (such as
 * {@code transport}) and the attribute {@value #ATTRIBUTE}: {@value #HIT} (replayed from the cache,
 * no vendor call), {@value #SHARED} (joined a synthesis of the same phrase another session
 * started), {@value #MISS} (synthesized and recorded), {@value #BYPASS} (synthesized, not
 * cacheable). A hit reports its connection as reused (no connection was made), so it does not count
 * as a cold start; for a session that goes to the vendor, connection set-up is reported when the
 * vendor's first event arrives. See {@link #isCached(SynthesisReport)}.
 *
 * <p>Thread-safe. {@link #close()} cancels running sessions and closes the wrapped synthesizer; a
 * cache given to the builder is shared and stays open (close it yourself).
 */
public final class CachingSynthesizer implements StreamingSynthesizer {

  /** The report attribute that says where a session's audio came from. */
  public static final String ATTRIBUTE = "cache";

  /** Replayed from the cache. */
  public static final String HIT = "hit";

  /** Joined a synthesis of the same phrase started by another session. */
  public static final String SHARED = "shared";

  /** Synthesized by the vendor and recorded. */
  public static final String MISS = "miss";

  /** Synthesized by the vendor, not cacheable (too long, or refused by the predicate). */
  public static final String BYPASS = "bypass";

  private final StreamingSynthesizer delegate; // null: replay only
  private final String provider;
  private final String scope; // null: none
  private final Capabilities capabilities;
  private final PhraseCache cache;
  private final boolean ownsCache;
  private final Predicate<String> cacheable;
  private final int maxPhraseChars;
  private final SessionSettings settings;
  private final Set<SynthesisSession> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private CachingSynthesizer(
      StreamingSynthesizer delegate,
      String provider,
      String scope,
      Capabilities capabilities,
      PhraseCache cache,
      boolean ownsCache,
      Predicate<String> cacheable,
      int maxPhraseChars,
      Duration responseTimeout) {
    this.delegate = delegate;
    this.provider = provider;
    this.scope = scope;
    this.capabilities = capabilities;
    this.cache = cache;
    this.ownsCache = ownsCache;
    this.cacheable = cacheable;
    this.maxPhraseChars = maxPhraseChars;
    this.settings = SessionSettings.defaults().withResponseTimeout(responseTimeout);
  }

  /**
   * A builder of a cache in front of {@code delegate}.
   *
   * @param delegate the delegate
   * @return a builder of a cache in front of {@code delegate}
   */
  public static Builder builder(StreamingSynthesizer delegate) {
    return new Builder(Objects.requireNonNull(delegate, "delegate"));
  }

  static CachingSynthesizer replayOnly(
      PhraseCache cache, String provider, String scope, Capabilities capabilities) {
    return new CachingSynthesizer(
        null,
        Objects.requireNonNull(provider, "provider"),
        scope,
        Objects.requireNonNull(capabilities, "capabilities"),
        cache,
        false,
        t -> true,
        Integer.MAX_VALUE,
        Duration.ofMinutes(2));
  }

  /**
   * Whether {@code report} is of a session replayed from a phrase cache ({@value #HIT}).
   *
   * @param report the report
   * @return whether {@code report} is of a session replayed from a phrase cache ({@value #HIT})
   */
  public static boolean isCached(SynthesisReport report) {
    return HIT.equals(report.attributes().get(ATTRIBUTE));
  }

  /** The wrapped synthesizer's name: phrases are keyed by it. */
  @Override
  public String provider() {
    return provider;
  }

  /** The wrapped synthesizer's capabilities. */
  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /**
   * The wrapped synthesizer's voice catalog (not cached here: each provider caches its own).
   *
   * @param query the query
   * @return the wrapped synthesizer's page
   */
  @Override
  public CompletionStage<VoicePage> voices(VoiceQuery query) {
    if (delegate == null) {
      return StreamingSynthesizer.super.voices(query);
    }
    return delegate.voices(query);
  }

  /**
   * Prewarms the wrapped synthesizer, which a miss needs; a replayer has nothing to prewarm.
   *
   * @param options the options
   * @return the wrapped synthesizer's prewarm
   */
  @Override
  public CompletionStage<Void> prewarm(SynthesisOptions options) {
    if (delegate == null) {
      return StreamingSynthesizer.super.prewarm(options);
    }
    return delegate.prewarm(options);
  }

  /**
   * The scope that keeps this synthesizer's phrases apart from those of other synthesizers of the
   * same provider (see {@link Builder#scope(String)}), if any.
   *
   * @return the scope, if any
   */
  public Optional<String> scope() {
    return Optional.ofNullable(scope);
  }

  /**
   * The cache this synthesizer uses.
   *
   * @return the cache this synthesizer uses
   */
  public PhraseCache cache() {
    return cache;
  }

  /**
   * Opens a session. The format is checked here; the wrapped synthesizer is asked for a session
   * only when the vendor is needed (see the class comment), so its own checks of the options
   * surface as the session's failure.
   *
   * @throws UnsupportedCapabilityException for a format the wrapped synthesizer does not support
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public SynthesisSession open(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException(provider + " (cached) is closed");
    }
    AudioFormat format = options.format().orElse(capabilities.defaultFormat());
    if (!capabilities.supports(format)) {
      throw new UnsupportedCapabilityException(provider, "format " + format + " is not supported");
    }
    SynthesisOptions o = options.toBuilder().format(format).build();
    SynthesisSession session =
        SynthesisSessions.open(provider, format, settings, new Backend(o, format));
    running.add(session);
    session.completion().whenComplete((r, e) -> running.remove(session));
    if (closed) {
      session.cancel();
    }
    return session;
  }

  /**
   * Speaks {@code text} into the cache ahead of need (a greeting at start-up), reading nothing out.
   * Completes with the session's report (a hit if the phrase was already there).
   *
   * @param options the options
   * @param text the text
   * @return speaks {@code text} into the cache ahead of need (a greeting at start-up), reading
   *     nothing out
   */
  public CompletionStage<SynthesisReport> warm(String text, SynthesisOptions options) {
    Objects.requireNonNull(text, "text");
    SynthesisSession s = open(options);
    s.events()
        .subscribe(
            new Flow.Subscriber<>() {
              @Override
              public void onSubscribe(Flow.Subscription sub) {
                sub.request(Long.MAX_VALUE);
              }

              @Override
              public void onNext(SynthesisEvent item) {}

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onComplete() {}
            });
    s.sendText(text);
    s.finish();
    return s.completion();
  }

  /** Cancels running sessions, then closes the wrapped synthesizer (and a cache it made). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (SynthesisSession s : List.copyOf(running)) {
      s.cancel();
    }
    try {
      if (delegate != null) {
        delegate.close();
      }
    } finally {
      if (ownsCache) {
        cache.close();
      }
    }
  }

  @Override
  public String toString() {
    return "CachingSynthesizer["
        + (delegate == null ? provider + ", replay only" : delegate.toString())
        + ", "
        + cache
        + "]";
  }

  static VoicebridgeException wrap(String provider, Throwable t) {
    return t instanceof VoicebridgeException v
        ? v
        : new VoicebridgeException(provider, "synthesis failed: " + t, t);
  }

  static byte[] bytes(AudioChunk c) {
    ByteBuffer b = c.data().duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  // ------------------------------------------------------------------------------ session

  /**
   * The session's backend. Input calls come one at a time from the application; {@link #cancel}
   * from any thread; audio from the vendor's threads. Whatever replays or relays the audio is set
   * once, under this object's lock, so that a cancel racing with {@code finish()} is never lost.
   */
  private final class Backend implements SessionBackend {
    private final SynthesisOptions options;
    private final AudioFormat format;
    private SynthesisSink sink;
    private final StringBuilder text = new StringBuilder();
    private boolean recording = true;
    private Relay relay;
    private Replay replay;
    private boolean cancelled;

    Backend(SynthesisOptions options, AudioFormat format) {
      this.options = options;
      this.format = format;
    }

    @Override
    public void start(SynthesisSink s) {
      this.sink = s;
    }

    @Override
    public void text(String t) {
      if (sink.isDone()) {
        return;
      }
      if (relay != null) {
        if (recording) {
          text.append(t);
          if (text.length() > maxPhraseChars) {
            stopRecording();
          }
        }
        relay.session.sendText(t);
        return;
      }
      text.append(t);
      if (delegate != null && text.length() > maxPhraseChars) {
        goLive();
        stopRecording();
      }
    }

    @Override
    public void flush() {
      if (delegate == null || sink.isDone()) {
        return; // replay only: the whole text is looked up at finish()
      }
      if (relay == null) {
        goLive();
      }
      if (relay != null) {
        relay.session.flush();
      }
    }

    @Override
    public void finish() {
      if (sink.isDone()) {
        return;
      }
      if (relay != null) {
        relay.finish(recording ? text.toString() : null);
        return;
      }
      String phrase = text.toString();
      if (phrase.isEmpty()) {
        sink.connected(true);
        sink.complete();
        return;
      }
      boolean keep = delegate == null || cacheable.test(phrase);
      String key = PhraseKey.of(provider, scope, format, options, phrase);
      Entry stored = keep ? cache.lookup(key) : null;
      if (stored != null) {
        cache.hit();
        startReplay(new Replay(sink, stored, null, HIT, true));
        return;
      }
      if (delegate == null) {
        cache.miss();
        sink.fail(
            new ProviderUnavailableException(
                provider,
                -1,
                null,
                "the phrase is not in the cache, and this synthesizer only replays it"));
        return;
      }
      Replay r = new Replay(sink, null, null, keep ? MISS : BYPASS, false);
      Flight[] created = new Flight[1];
      Flight f =
          cache
              .flights()
              .compute(
                  key,
                  (k, running) -> {
                    if (running != null && running.join(r)) {
                      return running;
                    }
                    created[0] = new Flight(cache, key, format, keep, r);
                    return created[0];
                  });
      boolean leader = created[0] == f;
      if (leader) {
        cache.miss();
      } else {
        cache.joined();
        r.marker = SHARED;
        r.reused = true;
      }
      r.flight = f;
      startReplay(r);
      if (leader) {
        f.start(delegate, options, phrase);
      }
    }

    private void stopRecording() {
      recording = false;
      text.setLength(0);
      if (relay != null) {
        relay.stopRecording();
      }
    }

    /** Sends the session to the vendor as it is: held text first, the rest live. */
    private void goLive() {
      cache.miss();
      Relay r = new Relay(sink, format, options);
      try {
        r.start(delegate);
      } catch (RuntimeException e) {
        sink.fail(wrap(provider, e));
        return;
      }
      boolean cancel;
      synchronized (this) {
        cancel = cancelled;
        relay = r;
      }
      if (cancel) {
        r.cancelled = true;
        r.session.cancel();
        return;
      }
      if (text.length() > 0) {
        r.session.sendText(text.toString());
      }
    }

    private void startReplay(Replay r) {
      synchronized (this) {
        if (cancelled) {
          if (r.flight != null) {
            r.flight.leave(r);
          }
          return;
        }
        replay = r;
      }
      r.signal();
    }

    @Override
    public void cancel() {
      Relay l;
      Replay p;
      synchronized (this) {
        cancelled = true;
        l = relay;
        p = replay;
      }
      if (l != null && l.session != null) {
        l.cancelled = true;
        l.session.cancel();
      }
      if (p != null) {
        p.cancel();
      }
    }
  }

  /**
   * Replays a stored phrase, or a flight as it grows, into one session: one event at a time as the
   * application makes room ({@link SynthesisSink#whenReady}), through a drain loop that any thread
   * may enter and that never runs twice at once.
   */
  private static final class Replay implements Flight.Listener {
    private final SynthesisSink sink;
    private final Entry entry;
    volatile Flight flight;
    volatile String marker;
    volatile boolean reused;
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean waiting;
    private volatile boolean cancelled;
    private int next;
    private boolean connected;
    private boolean done;

    Replay(SynthesisSink sink, Entry entry, Flight flight, String marker, boolean reused) {
      this.sink = sink;
      this.entry = entry;
      this.flight = flight;
      this.marker = marker;
      this.reused = reused;
    }

    @Override
    public void signal() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      do {
        step();
      } while (wip.decrementAndGet() != 0);
    }

    void cancel() {
      cancelled = true;
      Flight f = flight;
      if (f != null) {
        f.leave(this);
      }
    }

    private void connect() {
      if (!connected) {
        connected = true;
        Flight f = flight;
        sink.connected(reused || (f != null && f.reused()));
      }
    }

    private void step() {
      if (done || cancelled || waiting) {
        return;
      }
      Object terminal;
      Entry.Event ev = null;
      Flight f = flight;
      if (f != null) {
        synchronized (f) {
          terminal = f.terminal();
          if (next < f.size()) {
            ev = f.event(next);
          }
        }
      } else {
        terminal = entry;
        if (next < entry.events.size()) {
          ev = entry.events.get(next);
        }
      }
      if (ev != null) {
        next++;
        connect();
        if (ev.audio() != null) {
          sink.audio(ByteBuffer.wrap(ev.audio()).asReadOnlyBuffer());
        } else {
          WordTiming t = ev.timing();
          sink.wordTiming(t);
        }
        waiting = true;
        sink.whenReady(
            () -> {
              waiting = false;
              signal();
            });
        return;
      }
      if (terminal instanceof Entry e) {
        done = true;
        connect();
        e.warnings.forEach(sink::warn);
        for (Map.Entry<String, String> a : e.attributes.entrySet()) {
          sink.attribute(a.getKey(), a.getValue());
        }
        sink.attribute(ATTRIBUTE, marker);
        sink.complete();
        if (f != null) {
          f.leave(this);
        }
      } else if (terminal instanceof VoicebridgeException x) {
        done = true;
        sink.fail(x);
      }
      // else: the flight is still running; its next event signals
    }
  }

  /**
   * A session that goes to the vendor as it is: the vendor's session is read one event at a time as
   * the application makes room (back pressure down to the vendor's socket), each event passed on
   * and, while the session is recordable, kept; stored if it completes with its whole text known.
   */
  private final class Relay implements Flow.Subscriber<SynthesisEvent> {
    private final SynthesisSink sink;
    private final AudioFormat format;
    SynthesisSession session;
    volatile boolean cancelled;
    private volatile Flow.Subscription subscription;
    private final List<Entry.Event> events = new ArrayList<>();
    private volatile String phrase; // set at finish() when recordable
    private volatile boolean record = true;
    private final SynthesisOptions options;
    private boolean connected;

    Relay(SynthesisSink sink, AudioFormat format, SynthesisOptions options) {
      this.sink = sink;
      this.format = format;
      this.options = options;
    }

    void start(StreamingSynthesizer d) {
      session = d.open(options);
      session.events().subscribe(this);
    }

    void stopRecording() {
      record = false;
      synchronized (events) {
        events.clear();
      }
    }

    void finish(String wholeText) {
      if (wholeText == null || !cacheable.test(wholeText)) {
        record = false;
      } else {
        phrase = wholeText;
      }
      session.finish();
    }

    private void connect() {
      if (!connected) {
        connected = true;
        sink.connected(session.report().connectionReused());
      }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(SynthesisEvent e) {
      connect();
      if (e instanceof AudioChunk c) {
        if (record) {
          synchronized (events) {
            events.add(Entry.Event.audio(bytes(c)));
          }
        }
        sink.audio(c.data());
      } else if (e instanceof WordTiming t) {
        if (record) {
          synchronized (events) {
            events.add(Entry.Event.timing(t));
          }
        }
        sink.wordTiming(t);
      }
      sink.whenReady(
          () -> {
            Flow.Subscription s = subscription;
            if (s != null && !cancelled) {
              s.request(1);
            }
          });
    }

    @Override
    public void onError(Throwable t) {
      sink.fail(wrap(provider, t));
    }

    @Override
    public void onComplete() {
      connect();
      SynthesisReport r = session.report();
      String p = phrase;
      boolean stored = record && p != null && !cancelled;
      if (stored) {
        List<Entry.Event> copy;
        synchronized (events) {
          copy = List.copyOf(events);
        }
        cache.store(
            new Entry(
                PhraseKey.of(provider, scope, format, options, p),
                format,
                copy,
                r.warnings(),
                r.attributes()));
      }
      r.warnings().forEach(sink::warn);
      r.attributes().forEach(sink::attribute);
      sink.attribute(ATTRIBUTE, stored ? MISS : BYPASS);
      sink.complete();
    }
  }

  // ------------------------------------------------------------------------------ builder

  /** Builds a {@link CachingSynthesizer}. */
  public static final class Builder {
    private final StreamingSynthesizer delegate;
    private PhraseCache cache;
    private Predicate<String> cacheable = t -> true;
    private int maxPhraseChars = 1000;
    private Duration responseTimeout = Duration.ofMinutes(2);
    private String scope;

    private Builder(StreamingSynthesizer delegate) {
      this.delegate = delegate;
    }

    /**
     * The cache to use, possibly shared with other synthesizers (default: a new 32 MiB in-memory
     * cache owned, and closed, by this synthesizer).
     *
     * @param c the c
     * @return the cache to use, possibly shared with other synthesizers (default: a new 32 MiB
     *     in-memory cache owned, and closed, by this synthesizer)
     */
    public Builder cache(PhraseCache c) {
      this.cache = Objects.requireNonNull(c, "cache");
      return this;
    }

    /**
     * Which texts to cache (default: all up to {@link #maxPhraseChars(int)}); others are
     * synthesized every time and never stored. For example only the application's fixed prompts:
     * {@code prompts::contains}.
     *
     * @param p the p
     * @return which texts to cache (default: all up to {@link #maxPhraseChars(int)}); others are
     *     synthesized every time and never stored
     */
    public Builder cacheable(Predicate<String> p) {
      this.cacheable = Objects.requireNonNull(p, "cacheable");
      return this;
    }

    /**
     * Keeps this synthesizer's phrases apart from those of other caching synthesizers of the same
     * provider that share the cache (default: none, the provider's name alone). The key holds the
     * session's options but not the synthesizer's configuration, so two synthesizers of one
     * provider configured with different defaults (another default voice or model) need a scope
     * each, or one replays what the other spoke. {@link PhraseCache#replayer(StreamingSynthesizer)}
     * of this synthesizer replays its scope.
     *
     * @param scope a name for the synthesizer's configuration (for example the name it has in the
     *     application), or null for none
     * @return this builder
     */
    public Builder scope(String scope) {
      this.scope = scope;
      return this;
    }

    /**
     * The longest text that is held back and looked up (default 1000 characters). A session whose
     * text passes it goes to the vendor at once, unrecorded: a long text is rarely repeated, and
     * holding it would delay its first audio.
     *
     * @param chars the chars
     * @return the longest text that is held back and looked up (default 1000 characters)
     */
    public Builder maxPhraseChars(int chars) {
      if (chars < 1) {
        throw new IllegalArgumentException("maxPhraseChars must be positive");
      }
      this.maxPhraseChars = chars;
      return this;
    }

    /**
     * The cached session's own response timeout, a safety net above the wrapped synthesizer's
     * (default 2 minutes).
     *
     * @param d the d
     * @return the cached session's own response timeout, a safety net above the wrapped
     *     synthesizer's (default 2 minutes)
     */
    public Builder responseTimeout(Duration d) {
      Objects.requireNonNull(d, "responseTimeout");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("responseTimeout must be positive");
      }
      this.responseTimeout = d;
      return this;
    }

    /**
     * The caching synthesizer.
     *
     * @return the caching synthesizer
     */
    public CachingSynthesizer build() {
      boolean owns = cache == null;
      PhraseCache c = owns ? PhraseCache.builder().build() : cache;
      return new CachingSynthesizer(
          delegate,
          delegate.provider(),
          scope,
          delegate.capabilities(),
          c,
          owns,
          cacheable,
          maxPhraseChars,
          responseTimeout);
    }
  }
}
