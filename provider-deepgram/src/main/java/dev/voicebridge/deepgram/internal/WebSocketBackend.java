package dev.voicebridge.deepgram.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.internal.Timers;
import dev.voicebridge.kit.ws.WebSocketConnection;
import dev.voicebridge.kit.ws.WebSocketSessionBackend;
import dev.voicebridge.kit.ws.WebSocketSource;
import dev.voicebridge.spi.Ticker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One session over the speak WebSocket {@code /v1/speak}, on a socket of its own (the query fixes
 * model, encoding and sample rate, and {@code Close} ends the socket).
 *
 * <p>Input: text goes out as {@code Speak} messages as it comes, each at most {@value
 * DeepgramCodec#MAX_SPEAK_CHARS} characters (longer text is cut at a sentence end or a space, never
 * inside a word unless a single word is longer than that), and at most {@link
 * #MAX_CHARS_PER_MINUTE} characters within any minute (more is held until the window allows, rather
 * than have the server close the socket with {@code 1008 DATA-0001}). A flush, and the finish, send
 * a {@code Flush} once everything before it went out, and only when text the server would speak (a
 * letter or a digit) went out since the previous one. At most {@link #MAX_FLUSHES_PER_MINUTE}
 * flushes go out within any minute (the server refuses the next one with an {@code EXCESSIVE_FLUSH}
 * warning); the flushes of a session keep one of them for the finish, and a flush asked for while
 * the window is full is coalesced with the next one (held until the window allows, or sent with the
 * finish). A refused flush is sent again later.
 *
 * <p>Output: binary frames are audio; {@code Flushed} acknowledges flushes by {@code sequence_id}
 * (0, 1, 2... per accepted flush); after the finish, the session completes when the last flush is
 * acknowledged, then sends {@code Close}. {@code Metadata} goes into the report's attributes, a
 * {@code Warning} (either spelling) into its warnings. A close before the last {@code Flushed} is
 * an error ({@link DeepgramErrors#forClose}). A cancel sends {@code Clear} and closes the socket.
 */
final class WebSocketBackend extends WebSocketSessionBackend {
  /** Flushes Deepgram accepts per socket within a minute. */
  static final int MAX_FLUSHES_PER_MINUTE = 20;

  /** Characters of {@code Speak} text Deepgram accepts per socket within a minute. */
  static final int MAX_CHARS_PER_MINUTE = 2_400;

  /** The window of both limits. */
  static final Duration WINDOW = Duration.ofMinutes(1);

  /** The first wait before a refused flush goes again; doubled per refusal, up to 30 s. */
  static final Duration REFUSED_FLUSH_RETRY = Duration.ofSeconds(2);

  private static final long MAX_RETRY_NANOS = Duration.ofSeconds(30).toNanos();

  private final WebSocketSource source;
  private final DeepgramRequest request;
  private final Ticker ticker;
  private final RateWindow chars;
  private final RateWindow flushes;
  private AudioOutput out; // guarded by itself

  // guarded by this
  private final StringBuilder pending = new StringBuilder();
  private boolean sentSpeakable;
  private boolean flushWanted;
  private boolean finishing;
  private long flushesSent; // accepted by the server or not answered yet
  private long acked;
  private long refused;
  private int refusedInARow;
  private long retryAt;
  private boolean retrying;
  private long coalesced;
  private ScheduledFuture<?> timer;
  private boolean completing;
  private boolean warnedPacing;
  private boolean warnedCoalescing;
  private boolean warnedUnknown;

  WebSocketBackend(WebSocketSource source, DeepgramRequest request, Ticker ticker) {
    this(source, request, ticker, MAX_CHARS_PER_MINUTE, MAX_FLUSHES_PER_MINUTE, WINDOW);
  }

  /** With other limits (tests). */
  WebSocketBackend(
      WebSocketSource source,
      DeepgramRequest request,
      Ticker ticker,
      int charsPerWindow,
      int flushesPerWindow,
      Duration window) {
    super(source);
    this.source = source;
    this.request = request;
    this.ticker = ticker;
    this.chars = new RateWindow(charsPerWindow, window.toNanos());
    this.flushes = new RateWindow(flushesPerWindow, window.toNanos());
  }

  // ------------------------------------------------------------------ input

  @Override
  protected void onStart() {
    this.out = new AudioOutput(request.output(), request.format().sampleRate());
    sink.attribute("transport", "websocket");
    sink.attribute("model", request.model());
    request.warnings().forEach(sink::warn);
  }

  @Override
  public void text(String text) {
    List<String> notes = new ArrayList<>();
    synchronized (this) {
      pending.append(text);
      pump(notes);
    }
    notes.forEach(sink::warn);
  }

  @Override
  public void flush() {
    List<String> notes = new ArrayList<>();
    synchronized (this) {
      if (flushWanted) {
        coalesced++; // the flush still held takes this one's text along
      }
      flushWanted = true;
      pump(notes);
    }
    notes.forEach(sink::warn);
  }

  @Override
  protected void onFinish() {
    List<String> notes = new ArrayList<>();
    boolean done;
    synchronized (this) {
      finishing = true;
      if (flushWanted) {
        coalesced++;
      }
      flushWanted = true;
      pump(notes);
      done = completionDue();
    }
    notes.forEach(sink::warn);
    if (done) {
      completeSession();
    }
  }

  /**
   * Sends what the limits allow now: pending text as {@code Speak} messages, then the wanted flush;
   * schedules the rest. Called with this held; warnings go to {@code notes}.
   */
  private void pump(List<String> notes) {
    if (isEnded() || completing) {
      return;
    }
    long now = ticker.nanoTime();
    while (pending.length() > 0) {
      long budget = chars.remaining(now);
      int max = (int) Math.min(DeepgramCodec.MAX_SPEAK_CHARS, budget);
      boolean hard = max == DeepgramCodec.MAX_SPEAK_CHARS || budget >= chars.limit();
      int cut = DeepgramCodec.cut(pending, max, hard);
      if (cut == 0) {
        holdText(now, notes);
        return;
      }
      String piece = pending.substring(0, cut);
      pending.delete(0, cut);
      send(DeepgramCodec.speak(piece));
      chars.spend(now, piece.length());
      if (DeepgramCodec.speakable(piece)) {
        sentSpeakable = true;
      }
    }
    if (!flushWanted) {
      return;
    }
    if (!sentSpeakable) {
      flushWanted = false; // nothing the server would speak: no Flushed would come
      return;
    }
    long wait = flushWait(now, finishing);
    if (wait <= 0) {
      sendFlush(now);
      flushWanted = false;
      return;
    }
    if (!warnedCoalescing && !retrying) {
      warnedCoalescing = true;
      notes.add(
          "flushes coalesced: Deepgram accepts "
              + flushes.limit()
              + " per socket within "
              + WINDOW.toSeconds()
              + " s; the next flush waits "
              + Duration.ofNanos(wait).toMillis()
              + " ms");
    }
    schedule(wait);
  }

  /** Text waits for the character window: speak what went out so far, and come back later. */
  private void holdText(long now, List<String> notes) {
    // what went out can be spoken meanwhile, if a flush is to spare
    if (sentSpeakable && flushWait(now, false) <= 0) {
      sendFlush(now);
    }
    int word = 0;
    while (word < pending.length() && !Character.isWhitespace(pending.charAt(word))) {
      word++;
    }
    long need = Math.min(Math.min(word + 1L, chars.limit()), DeepgramCodec.MAX_SPEAK_CHARS);
    long wait = chars.nanosUntilUsedAtMost(now, chars.limit() - need);
    if (!warnedPacing) {
      warnedPacing = true;
      notes.add(
          "text paced: Deepgram accepts "
              + chars.limit()
              + " characters per socket within "
              + WINDOW.toSeconds()
              + " s; the rest goes out in "
              + Duration.ofNanos(wait).toMillis()
              + " ms");
    }
    schedule(Math.max(1, wait));
  }

  /** How long until a flush may go out: the window (one kept for the finish) and a refusal. */
  private long flushWait(long now, boolean last) {
    long allowed = last ? flushes.limit() : flushes.limit() - 1;
    long wait = allowed < 1 ? Long.MAX_VALUE : flushes.nanosUntilUsedAtMost(now, allowed - 1);
    if (retrying) {
      wait = Math.max(wait, retryAt - now);
    }
    return wait;
  }

  private void sendFlush(long now) {
    send(DeepgramCodec.FLUSH);
    flushes.spend(now, 1);
    flushesSent++;
    sentSpeakable = false;
    retrying = false;
  }

  private void schedule(long nanos) {
    if (nanos == Long.MAX_VALUE) {
      return; // only the finish may flush (a window of one): it will come
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timer = Timers.schedule(this::onTimer, nanos);
  }

  /** The window allows more: send what waits. Package-private for tests (which move time). */
  void onTimer() {
    List<String> notes = new ArrayList<>();
    boolean done;
    synchronized (this) {
      timer = null;
      pump(notes);
      done = completionDue();
    }
    notes.forEach(sink::warn);
    if (done) {
      completeSession();
    }
  }

  /** Whether the session is over: finished, all sent and every flush acknowledged. */
  private boolean completionDue() {
    // called with this held
    return finishing
        && !completing
        && !isEnded()
        && pending.length() == 0
        && !flushWanted
        && acked >= flushesSent;
  }

  private void completeSession() {
    long sent;
    long merged;
    synchronized (this) {
      if (completing || isEnded()) {
        return;
      }
      completing = true;
      stopTimer();
      sent = flushesSent;
      merged = coalesced;
    }
    ByteBuffer rest;
    boolean dangling;
    synchronized (out) {
      dangling = out.hasDanglingByte();
      rest = out.finish();
    }
    if (dangling) {
      sink.warn("the audio ended with an odd number of bytes (half a sample)");
    }
    sink.audio(rest);
    sink.attribute("flushes", Long.toString(sent));
    if (merged > 0) {
      sink.attribute("flushes.coalesced", Long.toString(merged));
    }
    send(DeepgramCodec.CLOSE);
    complete(false); // Close ends the socket: it serves no other session
  }

  /** Stops the timer (the session ended). */
  synchronized void stopTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  // ------------------------------------------------------------------ output

  @Override
  protected void onMessage(Object message) {
    if (message instanceof ByteBuffer b) {
      ByteBuffer audio;
      synchronized (out) {
        audio = out.accept(b);
      }
      sink.audio(audio);
      return;
    }
    DeepgramCodec.ServerMessage m = DeepgramCodec.decode((String) message);
    if (m instanceof DeepgramCodec.Flushed f) {
      flushed(f.sequenceId());
    } else if (m instanceof DeepgramCodec.Metadata md) {
      attribute("request-id", md.requestId());
      attribute("model-name", md.modelName());
      attribute("model-version", md.modelVersion());
      attribute("model-uuid", md.modelUuid());
    } else if (m instanceof DeepgramCodec.Warning w) {
      warning(w);
    } else if (m instanceof DeepgramCodec.Cleared c) {
      throw new ProtocolException(
          DeepgramCodec.PROVIDER,
          "the server sent Cleared (sequence_id "
              + c.sequenceId()
              + ") without a Clear: the text it held is lost");
    } else if (m instanceof DeepgramCodec.ErrorMessage e) {
      fail(DeepgramErrors.forErrorMessage(e));
    } else if (m instanceof DeepgramCodec.Unknown u) {
      boolean first;
      synchronized (this) {
        first = !warnedUnknown;
        warnedUnknown = true;
      }
      if (first) {
        sink.warn("ignored a message of unknown type '" + u.type() + "'");
      }
    }
  }

  private void attribute(String key, String value) {
    if (value != null) {
      sink.attribute(key, value);
    }
  }

  private void flushed(long sequenceId) {
    boolean done;
    synchronized (this) {
      if (sequenceId >= flushesSent + refused) {
        throw new ProtocolException(
            DeepgramCodec.PROVIDER,
            "the server acknowledged flush sequence_id "
                + sequenceId
                + " but only "
                + flushesSent
                + " flushes were sent (sequence_id counts from 0)");
      }
      acked = Math.min(flushesSent, Math.max(acked, sequenceId + 1));
      refusedInARow = 0;
      done = completionDue();
    }
    if (done) {
      completeSession();
    }
  }

  private void warning(DeepgramCodec.Warning w) {
    List<String> notes = new ArrayList<>();
    notes.add(
        "Deepgram warning "
            + (w.code() != null ? w.code() : "(no code)")
            + ": "
            + (w.message() != null ? w.message() : "(no message)"));
    synchronized (this) {
      if (w.isExcessiveFlush() && flushesSent > acked) {
        // the flush was refused: its text stays buffered on the server; flush again later
        flushesSent--;
        refused++;
        refusedInARow++;
        sentSpeakable = true;
        flushWanted = true;
        long now = ticker.nanoTime();
        long backoff =
            Math.min(
                MAX_RETRY_NANOS, REFUSED_FLUSH_RETRY.toNanos() << Math.min(refusedInARow - 1, 4));
        retrying = true;
        retryAt = now + backoff;
        pump(notes);
      }
    }
    notes.forEach(sink::warn);
  }

  @Override
  protected VoicebridgeException closedBeforeCompletion(int code, String reason) {
    stopTimer();
    return DeepgramErrors.forClose(code, reason);
  }

  /** A cancel asks the server to drop what it holds ({@code Clear}), then closes the socket. */
  @Override
  protected void onCancel(WebSocketConnection c) {
    stopTimer();
    c.sendText(DeepgramCodec.CLEAR);
    source.close(c);
  }

  /** Counts for tests: {flushes sent and not refused, acknowledged, refused, coalesced}. */
  synchronized long[] flushCounts() {
    return new long[] {flushesSent, acked, refused, coalesced};
  }
}
