package dev.voicebridge.fallback;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.AuthenticationException;
import dev.voicebridge.Capabilities;
import dev.voicebridge.FlushEvent;
import dev.voicebridge.InputEvent;
import dev.voicebridge.PermissionDeniedException;
import dev.voicebridge.ProviderUnavailableException;
import dev.voicebridge.QuotaExceededException;
import dev.voicebridge.RateLimitedException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisTimeoutException;
import dev.voicebridge.TextEvent;
import dev.voicebridge.TransportException;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.internal.Log;
import dev.voicebridge.internal.Timers;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.spi.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Failover over an ordered chain of synthesizers: a session runs on the first healthy one, and if
 * that one fails before any audio was delivered, the session is replayed on the next one with the
 * text and flushes given so far, then continues live.
 *
 * <pre>{@code
 * StreamingSynthesizer tts = FallbackSynthesizer.builder()
 *     .add(StreamingSynthesizers.create("smallest", config))
 *     .add(StreamingSynthesizers.create("fish", config))
 *     .cooldown(Duration.ofSeconds(30))
 *     .firstAudioTimeout(Duration.ofSeconds(3))
 *     .build();
 * }</pre>
 *
 * <h2>When a session switches</h2>
 *
 * A session moves to the next synthesizer when its current one fails with an error that another
 * vendor may not have: a retryable error ({@link TransportException} such as a refused connection,
 * {@link ProviderUnavailableException} for 5xx, {@link RateLimitedException} for 429, {@link
 * SynthesisTimeoutException}), or an account problem ({@link AuthenticationException}, {@link
 * PermissionDeniedException}, {@link QuotaExceededException}); also when no audio arrived within
 * {@link Builder#firstAudioTimeout(Duration)} after audio was owed (a flush or the end of input
 * after text). Other errors (an invalid request, a protocol violation, a cancel) end the session
 * with that error. When every synthesizer failed, the session fails with the last error, the
 * earlier ones attached as suppressed exceptions.
 *
 * <p>Once audio has been delivered, a failure is not hidden: the session fails with its cause,
 * unless {@link Builder#resumeAfterAudio(boolean)} is on. Then the session resumes on the next
 * synthesizer from the first sentence not known to be spoken completely (an approximation: see
 * {@link Builder#resumeAfterAudio(boolean)}).
 *
 * <h2>Health</h2>
 *
 * A synthesizer that failed with a switching error is skipped by new sessions for a cool-down
 * ({@link Builder#cooldown(Duration)}, or the vendor's {@code Retry-After} when longer), then
 * probed again: the next session after the cool-down tries it first again. When every synthesizer
 * is cooling down, a session still tries them all, those whose cool-down ends first first.
 *
 * <h2>Report</h2>
 *
 * The session's {@link SynthesisReport} names this synthesizer ({@code fallback(smallest,fish)})
 * and carries the attributes {@code fallback.provider} (the synthesizer that produced the audio),
 * {@code fallback.switches} (how many times the session switched) and {@code fallback.skipped} (the
 * synthesizers skipped because they were cooling down, when any), the attributes of the inner
 * session prefixed by its provider name, and one warning per failure.
 *
 * <h2>Formats</h2>
 *
 * Every synthesizer of the chain must support the default format of the first one (checked by
 * {@link Builder#build()}) and the format a session asks for (checked by {@link
 * #open(SynthesisOptions)}), so audio never changes format mid-session.
 *
 * <h2>Catalog and prewarm</h2>
 *
 * {@link #voices(VoiceQuery)} lists the voices of the first synthesizer of the chain, whose ids a
 * session's options name (the others get theirs from the functions given to {@link
 * Builder#add(StreamingSynthesizer, UnaryOperator)}). {@link #prewarm(SynthesisOptions)} prewarms
 * the synthesizer the next session will start on, and, if that fails with an error that would make
 * a session switch, the next one.
 *
 * <p>Thread-safe. {@link #close()} cancels running sessions and closes every synthesizer of the
 * chain: the fallback synthesizer owns them.
 */
public final class FallbackSynthesizer implements StreamingSynthesizer {
  private static final Log LOG = Log.get("dev.voicebridge.fallback");

  private final List<Member> members;
  private final String name;
  private final Capabilities capabilities;
  private final Duration cooldown;
  private final Duration firstAudioTimeout;
  private final boolean resumeAfterAudio;
  private final Ticker ticker;
  private final SessionSettings settings;
  private final Set<SynthesisSession> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private FallbackSynthesizer(Builder b) {
    this.members = List.copyOf(b.members);
    this.cooldown = b.cooldown;
    this.firstAudioTimeout = b.firstAudioTimeout;
    this.resumeAfterAudio = b.resumeAfterAudio;
    this.ticker = b.ticker;
    this.settings =
        SessionSettings.defaults().withTicker(b.ticker).withResponseTimeout(b.responseTimeout);
    this.name =
        "fallback("
            + members.stream().map(m -> m.synthesizer.provider()).collect(Collectors.joining(","))
            + ")";
    this.capabilities = combine(members);
  }

  private static Capabilities combine(List<Member> members) {
    List<Capabilities> caps = new ArrayList<>();
    for (Member m : members) {
      caps.add(m.synthesizer.capabilities());
    }
    AudioFormat defaultFormat = caps.get(0).defaultFormat();
    for (int i = 0; i < members.size(); i++) {
      if (!caps.get(i).supports(defaultFormat)) {
        throw new IllegalArgumentException(
            "every synthesizer of a fallback chain must support the default format "
                + defaultFormat
                + " of '"
                + members.get(0).synthesizer.provider()
                + "'; '"
                + members.get(i).synthesizer.provider()
                + "' does not");
      }
    }
    Capabilities.Builder b =
        Capabilities.builder()
            .streamingInput(caps.stream().allMatch(Capabilities::streamingInput))
            .wordTimings(caps.stream().allMatch(Capabilities::wordTimings))
            .multiplexing(false)
            .network(caps.stream().anyMatch(Capabilities::network))
            .voiceCatalog(caps.get(0).voiceCatalog())
            .defaultFormat(defaultFormat)
            .supports(f -> caps.stream().allMatch(c -> c.supports(f)));
    for (AudioFormat f : caps.get(0).formats()) {
      if (caps.stream().allMatch(c -> c.supports(f))) {
        b.formats(f);
      }
    }
    Set<String> transports = new LinkedHashSet<>();
    caps.forEach(c -> transports.addAll(c.transports()));
    b.transports(transports.toArray(new String[0]));
    return b.build();
  }

  /** {@return a new builder} */
  public static Builder builder() {
    return new Builder();
  }

  /** {@code fallback(a,b,...)}, naming the chain in order. */
  @Override
  public String provider() {
    return name;
  }

  /**
   * What every synthesizer of the chain can do: formats all of them support, streaming input and
   * word timings only when all have them.
   */
  @Override
  public Capabilities capabilities() {
    return capabilities;
  }

  /** {@return the synthesizers of the chain, in order} */
  public List<StreamingSynthesizer> synthesizers() {
    return members.stream().map(m -> m.synthesizer).collect(Collectors.toUnmodifiableList());
  }

  /**
   * {@return whether {@code synthesizer} (a member of the chain) is cooling down after a failure,
   * so that new sessions skip it for now}
   *
   * @param synthesizer a member of the chain
   */
  public boolean isCoolingDown(StreamingSynthesizer synthesizer) {
    long now = ticker.nanoTime();
    for (Member m : members) {
      if (m.synthesizer == synthesizer) {
        return m.coolingDown(now);
      }
    }
    throw new IllegalArgumentException(synthesizer + " is not part of " + name);
  }

  /**
   * Opens a session on the first healthy synthesizer of the chain.
   *
   * @throws UnsupportedCapabilityException when a synthesizer of the chain does not support the
   *     requested format
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public SynthesisSession open(SynthesisOptions options) {
    AudioFormat format = check(options);
    SynthesisSession session =
        SynthesisSessions.open(name, format, settings, new Backend(options, format));
    running.add(session);
    session.completion().whenComplete((r, e) -> running.remove(session));
    if (closed) {
      session.cancel();
    }
    return session;
  }

  /** The session's format; throws when closed or when a member cannot produce it. */
  private AudioFormat check(SynthesisOptions options) {
    Objects.requireNonNull(options, "options");
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    AudioFormat format = options.format().orElse(capabilities.defaultFormat());
    for (Member m : members) {
      if (!m.synthesizer.capabilities().supports(format)) {
        throw new UnsupportedCapabilityException(
            name,
            "format "
                + format
                + " is not supported by '"
                + m.synthesizer.provider()
                + "' (every synthesizer of a fallback chain must support the session's format)");
      }
    }
    return format;
  }

  /** The members in the order a session tries them: healthy ones, then those cooling down. */
  private List<Member> order(long now) {
    List<Member> healthy = new ArrayList<>();
    List<Member> cooling = new ArrayList<>();
    for (Member m : members) {
      (m.coolingDown(now) ? cooling : healthy).add(m);
    }
    cooling.sort(Comparator.comparingLong(m -> m.coolingUntil - now));
    healthy.addAll(cooling);
    return healthy;
  }

  /**
   * The voices of the first synthesizer of the chain (the ids a session's options name).
   *
   * @throws UnsupportedCapabilityException if the first synthesizer has no catalog
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public CompletionStage<VoicePage> voices(VoiceQuery query) {
    Objects.requireNonNull(query, "query");
    if (closed) {
      throw new IllegalStateException(name + " is closed");
    }
    return members.get(0).synthesizer.voices(query);
  }

  /**
   * Prewarms the synthesizer the next session starts on (the first that is not cooling down), with
   * the options its function gives; if that fails with an error that would make a session switch
   * ({@link #switchable}), the next one, and so on. The stage fails with the last error, the
   * earlier ones suppressed, when none could be prewarmed. Cool-downs are not changed.
   *
   * @throws UnsupportedCapabilityException when a synthesizer of the chain does not support the
   *     format
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public CompletionStage<Void> prewarm(SynthesisOptions options) {
    AudioFormat format = check(options);
    CompletableFuture<Void> result = new CompletableFuture<>();
    prewarm(order(ticker.nanoTime()), 0, options, format, new ArrayList<>(), result);
    return result;
  }

  private void prewarm(
      List<Member> order,
      int i,
      SynthesisOptions options,
      AudioFormat format,
      List<Throwable> failures,
      CompletableFuture<Void> result) {
    Member m = order.get(i);
    CompletionStage<Void> stage;
    try {
      stage = m.synthesizer.prewarm(m.options.apply(options).toBuilder().format(format).build());
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete(
        (v, t) -> {
          if (t == null) {
            result.complete(null);
            return;
          }
          Throwable cause =
              t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
          if (cause instanceof VoicebridgeException e && switchable(e) && i + 1 < order.size()) {
            LOG.debug(
                () ->
                    name
                        + ": prewarm of "
                        + m.synthesizer.provider()
                        + " failed ("
                        + Log.describe(e)
                        + "); prewarming "
                        + order.get(i + 1).synthesizer.provider());
            failures.add(cause);
            prewarm(order, i + 1, options, format, failures, result);
            return;
          }
          for (Throwable f : failures) {
            if (f != cause) {
              cause.addSuppressed(f);
            }
          }
          result.completeExceptionally(cause);
        });
  }

  /** Cancels running sessions, then closes every synthesizer of the chain. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (SynthesisSession s : List.copyOf(running)) {
      s.cancel();
    }
    RuntimeException first = null;
    for (Member m : members) {
      try {
        m.synthesizer.close();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "FallbackSynthesizer[" + name + "]";
  }

  /** Whether a failure of one synthesizer lets the session try the next one. */
  static boolean switchable(VoicebridgeException e) {
    return e.isRetryable()
        || e instanceof AuthenticationException
        || e instanceof PermissionDeniedException
        || e instanceof QuotaExceededException;
  }

  // ------------------------------------------------------------------------------ members

  private static final class Member {
    final StreamingSynthesizer synthesizer;
    final UnaryOperator<SynthesisOptions> options;
    private volatile long coolingUntil;
    private volatile boolean cooling;

    Member(StreamingSynthesizer synthesizer, UnaryOperator<SynthesisOptions> options) {
      this.synthesizer = synthesizer;
      this.options = options;
    }

    boolean coolingDown(long now) {
      return cooling && now - coolingUntil < 0;
    }

    void failed(VoicebridgeException e, Duration cooldown, Ticker ticker) {
      Duration d = cooldown;
      if (e instanceof RateLimitedException r
          && r.retryAfter().isPresent()
          && r.retryAfter().get().compareTo(d) > 0) {
        d = r.retryAfter().get();
      }
      coolingUntil = ticker.nanoTime() + d.toNanos();
      cooling = true;
      LOG.info(
          "fallback: "
              + synthesizer.provider()
              + " cools down for "
              + d.toMillis()
              + " ms after "
              + Log.describe(e));
    }

    void succeeded() {
      if (cooling) {
        LOG.info("fallback: " + synthesizer.provider() + " answered again; cool-down over");
      }
      cooling = false;
    }
  }

  // ------------------------------------------------------------------------------ session

  /**
   * The outer session's backend. Every state change runs through a serializer ({@link #run}): a
   * task queue drained by whichever thread arrives first, holding no lock while it calls into inner
   * sessions or the sink, so transport threads never block and no lock order can deadlock.
   */
  private final class Backend implements SessionBackend {
    private final SynthesisOptions options;
    private final AudioFormat format;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();

    // state below: only touched by serialized tasks
    private SynthesisSink sink;
    private final FallbackInput input = new FallbackInput();
    private List<Member> candidates;
    private int next;
    private volatile Attempt current;
    private boolean done;
    private long audioBytes; // delivered to the sink by every attempt so far
    private int switches;
    private final List<VoicebridgeException> failures = new ArrayList<>();
    private boolean connected;

    Backend(SynthesisOptions options, AudioFormat format) {
      this.options = options;
      this.format = format;
    }

    private void run(Runnable task) {
      tasks.add(task);
      if (wip.getAndIncrement() != 0) {
        return;
      }
      do {
        Runnable t = tasks.poll();
        try {
          t.run();
        } catch (RuntimeException e) {
          failAll(
              e instanceof VoicebridgeException v
                  ? v
                  : new VoicebridgeException(name, "fallback failed: " + e, e));
        }
      } while (wip.decrementAndGet() != 0);
    }

    @Override
    public void start(SynthesisSink s) {
      run(
          () -> {
            sink = s;
            long now = ticker.nanoTime();
            candidates = order(now);
            List<Member> cooling =
                candidates.stream().filter(m -> m.coolingDown(now)).collect(Collectors.toList());
            boolean anyHealthy = cooling.size() < candidates.size();
            if (!cooling.isEmpty()) {
              String skipped =
                  cooling.stream()
                      .map(m -> m.synthesizer.provider())
                      .collect(Collectors.joining(","));
              sink.attribute("fallback.skipped", skipped);
              sink.warn(
                  "fallback: "
                      + skipped
                      + (!anyHealthy
                          ? " cooling down after failures; trying them anyway"
                          : " cooling down after failures; tried last"));
            }
            sink.attribute("fallback.switches", "0");
            openNext(0);
          });
    }

    @Override
    public void text(String text) {
      run(
          () -> {
            input.text(text);
            Attempt a = current;
            if (a != null && !done) {
              a.send(new TextEvent(text));
            }
          });
    }

    @Override
    public void flush() {
      run(
          () -> {
            input.flush();
            Attempt a = current;
            if (a != null && !done) {
              a.send(FlushEvent.INSTANCE);
              if (input.owesAudio(a.from)) {
                a.armFirstAudioTimer();
              }
            }
          });
    }

    @Override
    public void finish() {
      run(
          () -> {
            input.finish();
            Attempt a = current;
            if (a != null && !done) {
              a.finish();
              if (input.owesAudio(a.from)) {
                a.armFirstAudioTimer();
              }
            }
          });
    }

    @Override
    public void cancel() {
      run(
          () -> {
            done = true;
            Attempt a = current;
            current = null;
            if (a != null) {
              a.abort();
            }
          });
    }

    /** Opens an attempt on the next candidate, replaying the input from {@code from}. */
    private void openNext(int from) {
      while (!done) {
        if (next >= candidates.size()) {
          failAll(null);
          return;
        }
        Member m = candidates.get(next++);
        Attempt a = new Attempt(m, from, audioBytes);
        current = a;
        sink.attribute("fallback.provider", m.synthesizer.provider());
        try {
          a.start();
          return;
        } catch (RuntimeException e) {
          VoicebridgeException v =
              e instanceof VoicebridgeException ve
                  ? ve
                  : new VoicebridgeException(m.synthesizer.provider(), "open() failed: " + e, e);
          current = null;
          a.abort();
          if (!handleFailure(a, v)) {
            return;
          }
          // handleFailure chose to switch: loop to the next candidate
          from = resumeFrom(a);
        }
      }
    }

    /**
     * Records a failure of {@code a}; returns true when the session should switch (the caller opens
     * the next attempt), false when it has failed.
     */
    private boolean handleFailure(Attempt a, VoicebridgeException e) {
      boolean canSwitch = switchable(e);
      if (canSwitch) {
        a.member.failed(e, cooldown, ticker);
      }
      failures.add(e);
      boolean spoke = audioBytes > 0;
      String provider = a.member.synthesizer.provider();
      if (!canSwitch || (spoke && !resumeAfterAudio)) {
        LOG.debug(
            () ->
                name
                    + ": "
                    + provider
                    + " failed "
                    + (spoke ? "after audio" : "before audio")
                    + " and the session ends with it: "
                    + Log.describe(e));
        sink.warn(
            "fallback: "
                + provider
                + " failed "
                + (spoke ? "after audio" : "before audio")
                + ": "
                + e.getMessage());
        failAll(e);
        return false;
      }
      if (next >= candidates.size()) {
        LOG.warn(name + ": " + provider + " failed, no synthesizer left: " + Log.describe(e));
        sink.warn("fallback: " + provider + " failed: " + e.getMessage() + "; no provider left");
        failAll(null);
        return false;
      }
      switches++;
      LOG.info(
          name
              + ": "
              + provider
              + " failed "
              + (spoke ? "after audio" : "before audio")
              + " ("
              + Log.describe(e)
              + "); failing over to "
              + candidates.get(next).synthesizer.provider());
      sink.attribute("fallback.switches", Integer.toString(switches));
      sink.warn(
          "fallback: "
              + provider
              + " failed "
              + (spoke ? "after audio" : "before audio")
              + ": "
              + e.getMessage()
              + "; switching to "
              + candidates.get(next).synthesizer.provider());
      return true;
    }

    private int resumeFrom(Attempt failed) {
      if (audioBytes == 0) {
        return 0;
      }
      return input.resumePoint(
          failed.from, failed.words, format.durationOf(audioBytes - failed.bytesBefore));
    }

    private void onFailure(Attempt a, VoicebridgeException e) {
      if (a != current || done) {
        return;
      }
      current = null;
      a.abort();
      if (handleFailure(a, e)) {
        openNext(resumeFrom(a));
      }
    }

    private void fail(VoicebridgeException e) {
      done = true;
      current = null;
      sink.fail(e);
    }

    /**
     * Fails with {@code e}, or else the last failure, the other failures of the session attached as
     * suppressed exceptions.
     */
    private void failAll(VoicebridgeException e) {
      VoicebridgeException last = e;
      if (last == null) {
        last =
            failures.isEmpty()
                ? new ProviderUnavailableException(name, -1, null, "no synthesizer to try")
                : failures.get(failures.size() - 1);
      }
      if (!done) {
        for (VoicebridgeException f : failures) {
          if (f != last) {
            last.addSuppressed(f);
          }
        }
      }
      Attempt a = current;
      current = null;
      if (a != null) {
        a.abort();
      }
      if (!done && sink != null) {
        fail(last);
      }
    }

    private void markConnected(Attempt a) {
      if (!connected) {
        connected = true;
        sink.connected(a.session != null && a.session.report().connectionReused());
      }
    }

    private void copyReport(Attempt a) {
      if (a.session == null) {
        return;
      }
      SynthesisReport r = a.session.report();
      String p = a.member.synthesizer.provider();
      for (Map.Entry<String, String> e : r.attributes().entrySet()) {
        sink.attribute(p + "." + e.getKey(), e.getValue());
      }
      for (String w : r.warnings()) {
        sink.warn(p + ": " + w);
      }
    }

    /** One inner session on one member, subscribed to with demand of one event at a time. */
    private final class Attempt implements Flow.Subscriber<SynthesisEvent> {
      final Member member;
      final int from;
      final long bytesBefore;
      SynthesisSession session;
      private volatile Flow.Subscription subscription;
      private volatile boolean aborted;
      private boolean sawAudio;
      long words;
      private ScheduledFuture<?> timer;

      Attempt(Member member, int from, long bytesBefore) {
        this.member = member;
        this.from = from;
        this.bytesBefore = bytesBefore;
      }

      void start() {
        SynthesisOptions o = member.options.apply(options).toBuilder().format(format).build();
        session = member.synthesizer.open(o);
        session.events().subscribe(this);
        for (InputEvent e : input.replayFrom(from)) {
          send(e);
        }
        if (input.finished()) {
          finish();
        }
        if (input.owesAudio(from)) {
          armFirstAudioTimer();
        }
      }

      void send(InputEvent e) {
        if (e instanceof TextEvent t) {
          if (t.text().isEmpty()) {
            return;
          }
        }
        session.send(e);
      }

      void finish() {
        session.finish();
      }

      void armFirstAudioTimer() {
        if (firstAudioTimeout == null || sawAudio || timer != null || aborted) {
          return;
        }
        timer = Timers.schedule(() -> run(this::firstAudioTimedOut), firstAudioTimeout.toNanos());
      }

      private void firstAudioTimedOut() {
        timer = null;
        if (sawAudio || aborted) {
          return;
        }
        onFailure(
            this,
            new SynthesisTimeoutException(
                member.synthesizer.provider(),
                "no audio within "
                    + firstAudioTimeout.toMillis()
                    + " ms (the fallback chain's first-audio timeout)"));
      }

      void abort() {
        aborted = true;
        if (timer != null) {
          timer.cancel(false);
          timer = null;
        }
        if (session != null) {
          session.cancel();
          copyReport(this);
        }
      }

      private void requestOne() {
        Flow.Subscription s = subscription;
        if (s != null && !aborted) {
          s.request(1);
        }
      }

      @Override
      public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
      }

      @Override
      public void onNext(SynthesisEvent event) {
        run(() -> deliver(event));
      }

      private void deliver(SynthesisEvent event) {
        if (this != current || done) {
          return;
        }
        markConnected(this);
        if (event instanceof AudioChunk c) {
          if (!sawAudio) {
            sawAudio = true;
            if (timer != null) {
              timer.cancel(false);
              timer = null;
            }
          }
          audioBytes += c.size();
          sink.audio(c.data());
        } else if (event instanceof WordTiming t) {
          if (!t.normalized()) {
            words++;
          }
          Duration shift = format.durationOf(bytesBefore);
          // the attempt was given the input from character `from` on: its offsets shift by it
          sink.wordTiming(
              new WordTiming(
                  t.word(),
                  t.start().plus(shift),
                  t.end().plus(shift),
                  t.normalized(),
                  t.estimated(),
                  t.hasTextOffsets() ? t.textStart() + from : -1,
                  t.hasTextOffsets() ? t.textEnd() + from : -1));
        }
        sink.whenReady(this::requestOne);
      }

      @Override
      public void onError(Throwable t) {
        run(
            () -> {
              if (this != current || done) {
                return;
              }
              VoicebridgeException e =
                  t instanceof VoicebridgeException v
                      ? v
                      : new VoicebridgeException(
                          member.synthesizer.provider(), "session failed: " + t, t);
              onFailure(this, e);
            });
      }

      @Override
      public void onComplete() {
        run(
            () -> {
              if (this != current || done) {
                return;
              }
              markConnected(this);
              member.succeeded();
              aborted = true;
              if (timer != null) {
                timer.cancel(false);
                timer = null;
              }
              copyReport(this);
              done = true;
              current = null;
              sink.complete();
            });
      }
    }
  }

  // ------------------------------------------------------------------------------ builder

  /** Builds a {@link FallbackSynthesizer}. */
  public static final class Builder {
    private final List<Member> members = new ArrayList<>();
    private Duration cooldown = Duration.ofSeconds(30);
    private Duration firstAudioTimeout;
    private boolean resumeAfterAudio;
    private Ticker ticker = Ticker.system();
    private Duration responseTimeout = Duration.ofMinutes(2);

    private Builder() {}

    /**
     * Adds the next synthesizer of the chain; sessions use the options they were opened with.
     *
     * @param synthesizer the next synthesizer
     * @return this builder
     */
    public Builder add(StreamingSynthesizer synthesizer) {
      return add(synthesizer, UnaryOperator.identity());
    }

    /**
     * Adds the next synthesizer of the chain with a function that adapts a session's options to it
     * (voices and models are vendor ids: {@code o -> o.toBuilder().voice("fish-voice").build()}).
     * The session's format always wins over what the function sets.
     *
     * @param synthesizer the next synthesizer
     * @param options adapts a session's options to this synthesizer
     * @return this builder
     */
    public Builder add(StreamingSynthesizer synthesizer, UnaryOperator<SynthesisOptions> options) {
      members.add(
          new Member(
              Objects.requireNonNull(synthesizer, "synthesizer"),
              Objects.requireNonNull(options, "options")));
      return this;
    }

    /**
     * How long a failed synthesizer is skipped by new sessions (default 30 s; zero = never).
     *
     * @param d the cool-down
     * @return this builder
     */
    public Builder cooldown(Duration d) {
      Objects.requireNonNull(d, "cooldown");
      if (d.isNegative()) {
        throw new IllegalArgumentException("cooldown must not be negative");
      }
      cooldown = d;
      return this;
    }

    /**
     * How long a synthesizer may take to deliver its first audio once audio is owed (after a flush
     * or the end of input that followed text) before the session switches to the next one. Default:
     * none (each synthesizer's own response timeout applies, and its timeout also switches).
     *
     * @param d the first-audio timeout, or null for none
     * @return this builder
     */
    public Builder firstAudioTimeout(Duration d) {
      if (d != null && (d.isNegative() || d.isZero())) {
        throw new IllegalArgumentException("firstAudioTimeout must be positive");
      }
      firstAudioTimeout = d;
      return this;
    }

    /**
     * Whether a session that fails after audio was delivered resumes on the next synthesizer
     * (default false: it fails with the cause).
     *
     * <p>Resuming is an approximation, since no vendor says which text an audio chunk speaks. The
     * input is cut into sentences (with {@link dev.voicebridge.text.SentenceSegmenter}; a flush
     * also ends a sentence), and the session resumes from the first sentence not known to be spoken
     * completely: known from the word timings the failed synthesizer reported (counted in words
     * from where its input started), or, without them, estimated from the duration of the audio it
     * delivered at a deliberately slow 10 characters per second. The estimate stays behind real
     * speech, so the listener may hear part of a sentence twice, but never misses one.
     *
     * @param v whether to resume after audio
     * @return this builder
     */
    public Builder resumeAfterAudio(boolean v) {
      resumeAfterAudio = v;
      return this;
    }

    /**
     * The clock for cool-downs and the session's figures (default: the system clock).
     *
     * @param t the clock
     * @return this builder
     */
    public Builder ticker(Ticker t) {
      ticker = Objects.requireNonNull(t, "ticker");
      return this;
    }

    /**
     * The fallback session's own response timeout, a safety net above the synthesizers' own
     * timeouts, which switch (default 2 minutes).
     *
     * @param d the timeout
     * @return this builder
     */
    public Builder responseTimeout(Duration d) {
      Objects.requireNonNull(d, "responseTimeout");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("responseTimeout must be positive");
      }
      responseTimeout = d;
      return this;
    }

    /**
     * {@return the fallback synthesizer}
     *
     * @throws IllegalArgumentException with no synthesizer, or when one of them does not support
     *     the default format of the first
     */
    public FallbackSynthesizer build() {
      if (members.isEmpty()) {
        throw new IllegalArgumentException("a fallback chain needs at least one synthesizer");
      }
      return new FallbackSynthesizer(this);
    }
  }
}
