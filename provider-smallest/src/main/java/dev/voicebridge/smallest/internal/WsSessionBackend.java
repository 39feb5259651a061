package dev.voicebridge.smallest.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.spi.Ticker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One session over Smallest's WebSocket {@code /waves/v1/tts/live}.
 *
 * <p>Input: text goes out as {@code continue: true} messages; a flush and the finish send {@code
 * text: "", continue: false, flush: true}, and no flush when nothing was sent since the last one.
 * The text after the last token that contains a letter or digit is held back until the next such
 * token, a flush or the finish, so every flush follows speakable text the server has not seen yet:
 * the server answers a flush of an empty buffer with nothing, and without this a flush sent after
 * the server had already spoken everything (at a sentence end, or after {@code
 * max_buffer_flush_ms}) would wait forever for a {@code complete}.
 *
 * <p>Output: {@code chunk} frames are decoded as they arrive; {@code word_timestamp} frames become
 * {@link WordTiming}s on the session's timeline (the server restarts times for each of its {@code
 * request_id}s, so each request's times are offset by the audio received before its first frame);
 * the session completes at the first {@code complete} after the finish that follows at least one
 * frame received after the last flush was sent (so a {@code complete} the server sent for earlier
 * text, or one {@code complete} for several requests, both work). Earlier {@code complete}s are
 * per-request and ignored. A close or failure before that is a {@link TransportException}; if it
 * happens on a reused connection before the server answered anything, the session moves to a new
 * connection and re-sends what it had sent (the server closed the old one after its last {@code
 * complete}).
 *
 * <p>Threads: input methods run on the application's thread, frames on the transport's, keep-alive
 * on the synthesizer's timer; state is guarded by {@code this}, and the sink is never called while
 * holding it.
 */
final class WsSessionBackend implements SessionBackend, WsLink.Handler {
  private final WsConnector connector;
  private final RequestSettings request;
  private final List<String> warnings;
  private final ScheduledExecutorService timer;
  private final Duration keepAlive;
  private final Ticker ticker;

  private SynthesisSink sink;
  private AudioOutput out;

  // guarded by this
  private WsLink link;
  private boolean reused;
  private final List<String> pending = new ArrayList<>();
  private List<String> replay; // messages sent on a reused link before the server answered
  private boolean retried;
  private boolean ended;
  private final StringBuilder held = new StringBuilder();
  private boolean groupSent;
  private long framesSinceGroup;
  private boolean groupAnswered;
  private boolean finishRequested;
  private boolean dirty;
  private long lastSendNanos;
  private ScheduledFuture<?> keepAliveTask;

  // transport thread only
  private final Map<String, Long> requestOffsets = new HashMap<>();
  private Duration lastWordStart = Duration.ZERO;
  private boolean warnedUnknown;

  WsSessionBackend(
      WsConnector connector,
      RequestSettings request,
      List<String> warnings,
      ScheduledExecutorService timer,
      Duration keepAlive,
      Ticker ticker) {
    this.connector = connector;
    this.request = request;
    this.warnings = List.copyOf(warnings);
    this.timer = timer;
    this.keepAlive = keepAlive;
    this.ticker = ticker;
  }

  // ------------------------------------------------------------------ input

  @Override
  public void start(SynthesisSink s) {
    this.sink = s;
    this.out = new AudioOutput(s.format());
    s.attribute("transport", "websocket");
    warnings.forEach(s::warn);
    synchronized (this) {
      lastSendNanos = ticker.nanoTime();
    }
    connector
        .acquire()
        .whenComplete(
            (lease, error) -> {
              if (error != null) {
                fail(SmallestErrors.forTransport("opening the WebSocket", error, Duration.ZERO));
              } else {
                onLease(lease, true);
              }
            });
  }

  private void onLease(WsConnector.Lease lease, boolean first) {
    boolean deadAlready;
    synchronized (this) {
      if (ended) {
        if (first && lease.link().isOpen()) {
          connector.release(lease.link()); // nothing was sent on it: still clean
        } else {
          lease.link().abort();
        }
        return;
      }
      link = lease.link();
      reused = lease.reused();
      replay = reused ? new ArrayList<>() : null;
      link.bind(this);
      List<String> toSend = new ArrayList<>(pending);
      pending.clear();
      toSend.forEach(this::send);
      if (first) {
        startKeepAlive();
      }
      deadAlready = !link.isOpen(); // closed by the server while it sat in the pool
    }
    if (first) {
      sink.connected(lease.reused());
      sink.attribute("connection", lease.reused() ? "reused" : "new");
    }
    if (deadAlready) {
      onLinkLost(lease.link(), "the WebSocket was closed before the session could use it", null);
    }
  }

  @Override
  public synchronized void text(String t) {
    if (ended) {
      return;
    }
    if (speakable(t)) {
      if (held.length() > 0) {
        sendText(held.toString());
        held.setLength(0);
      }
    }
    held.append(t);
  }

  @Override
  public synchronized void flush() {
    if (!ended) {
      flushGroup();
    }
  }

  @Override
  public void finish() {
    boolean endNow;
    synchronized (this) {
      if (ended) {
        return;
      }
      finishRequested = true;
      flushGroup();
      endNow = !groupSent || groupAnswered;
    }
    if (endNow) {
      completeSession();
    }
  }

  @Override
  public void cancel() {
    WsLink l;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      l = link;
      link = null;
      stopKeepAlive();
    }
    if (l != null) {
      l.bind(null);
      l.abort(); // Smallest has no per-request cancel: the socket is discarded
    }
  }

  // called with this held
  private void flushGroup() {
    if (held.length() == 0) {
      return;
    }
    String h = held.toString();
    held.setLength(0);
    sendText(h);
    if (!speakable(h)) {
      return; // nothing the server would speak: a flush would get no answer
    }
    send(SmallestCodec.flushMessage(request));
    dirty = false;
    groupSent = true;
    groupAnswered = false;
    framesSinceGroup = 0;
  }

  // called with this held
  private void sendText(String t) {
    send(SmallestCodec.textMessage(request, t));
    if (!t.isBlank()) {
      dirty = true;
    }
  }

  // called with this held
  private void send(String message) {
    lastSendNanos = ticker.nanoTime();
    WsLink l = link;
    if (l == null) {
      pending.add(message);
      return;
    }
    if (replay != null) {
      replay.add(message);
    }
    l.send(message)
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                onLinkLost(l, "sending failed: " + SmallestErrors.unwrap(e), e);
              }
            });
  }

  static boolean speakable(CharSequence s) {
    return s.codePoints().anyMatch(Character::isLetterOrDigit);
  }

  // ------------------------------------------------------------------ keep-alive

  // called with this held
  private void startKeepAlive() {
    if (timer == null || keepAlive.isZero()) {
      return;
    }
    long period = Math.max(10, keepAlive.toMillis() / 4);
    keepAliveTask =
        timer.scheduleWithFixedDelay(this::keepAliveTick, period, period, TimeUnit.MILLISECONDS);
  }

  // called with this held
  private void stopKeepAlive() {
    if (keepAliveTask != null) {
      keepAliveTask.cancel(false);
      keepAliveTask = null;
    }
  }

  private synchronized void keepAliveTick() {
    if (ended || link == null) {
      return;
    }
    if (ticker.nanoTime() - lastSendNanos >= keepAlive.toNanos()) {
      // Pipecat's keep-alive: a space, buffered by the server and never spoken on its own
      send(SmallestCodec.textMessage(request, " "));
    }
  }

  // ------------------------------------------------------------------ output

  @Override
  public void onMessage(String text) {
    SmallestCodec.WsFrame frame;
    try {
      frame = SmallestCodec.decodeWs(text);
    } catch (ProtocolException e) {
      fail(e);
      return;
    } catch (RuntimeException e) {
      fail(new ProtocolException(SmallestCodec.PROVIDER, "undecodable frame: " + e, e));
      return;
    }
    if (frame instanceof SmallestCodec.Chunk c) {
      if (!markFrame(c.requestId())) {
        return;
      }
      sink.audio(out.accept(c.audio()));
      requestMore();
    } else if (frame instanceof SmallestCodec.WordTimestamp w) {
      if (!markFrame(w.requestId())) {
        return;
      }
      deliverWord(w);
      requestMore();
    } else if (frame instanceof SmallestCodec.Complete) {
      onComplete();
    } else if (frame instanceof SmallestCodec.ErrorFrame e) {
      fail(SmallestErrors.forErrorFrame(e.message(), e.code()));
    } else if (frame instanceof SmallestCodec.Unknown u) {
      if (!warnedUnknown) {
        warnedUnknown = true;
        sink.warn("ignored a frame with unknown status '" + u.status() + "'");
      }
      requestMore();
    }
  }

  private boolean markFrame(String requestId) {
    synchronized (this) {
      if (ended) {
        return false;
      }
      replay = null;
      framesSinceGroup++;
    }
    requestOffsets.putIfAbsent(requestId == null ? "" : requestId, out.pcmBytes());
    return true;
  }

  private void deliverWord(SmallestCodec.WordTimestamp w) {
    String word = w.word().strip();
    if (word.isEmpty()) {
      return;
    }
    long offsetBytes = requestOffsets.getOrDefault(w.requestId() == null ? "" : w.requestId(), 0L);
    Duration offset =
        Duration.ofNanos(Math.round(offsetBytes * 1_000_000_000.0 / (2.0 * request.sampleRate())));
    Duration start = offset.plus(seconds(w.start()));
    Duration end = offset.plus(seconds(w.end()));
    if (start.compareTo(lastWordStart) < 0) {
      start = lastWordStart; // timings of a session are monotonic
    }
    if (end.compareTo(start) < 0) {
      end = start;
    }
    lastWordStart = start;
    sink.wordTiming(WordTiming.of(word, start, end));
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1_000_000_000.0));
  }

  private void onComplete() {
    boolean end;
    synchronized (this) {
      if (ended) {
        return;
      }
      replay = null;
      if (groupSent && framesSinceGroup > 0) {
        groupAnswered = true;
      }
      end = finishRequested && groupAnswered;
    }
    if (end) {
      completeSession();
    } else {
      requestMore();
    }
  }

  private void requestMore() {
    WsLink l;
    synchronized (this) {
      l = ended ? null : link;
    }
    if (l != null) {
      sink.whenReady(l::request);
    }
  }

  private void completeSession() {
    WsLink l;
    boolean clean;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      l = link;
      link = null;
      clean = !dirty && pending.isEmpty();
      stopKeepAlive();
    }
    if (out.hasDanglingByte()) {
      sink.warn("the audio ended with an odd number of bytes (half a sample)");
    }
    ByteBuffer rest = out.finish();
    if (l != null) {
      l.bind(null);
      if (clean) {
        connector.release(l); // before complete(), so the next session can reuse it
      } else {
        l.abort();
      }
    }
    sink.audio(rest);
    sink.complete();
  }

  private void fail(VoicebridgeException error) {
    WsLink l;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      l = link;
      link = null;
      stopKeepAlive();
    }
    if (l != null) {
      l.bind(null);
      l.abort();
    }
    sink.fail(error);
  }

  // ------------------------------------------------------------------ connection events

  @Override
  public void onProtocolError(String what) {
    fail(new ProtocolException(SmallestCodec.PROVIDER, "the server sent " + what));
  }

  @Override
  public void onClosed(int code, String reason) {
    WsLink l;
    synchronized (this) {
      l = link;
    }
    onLinkLost(
        l,
        "the server closed the WebSocket (code "
            + code
            + (reason == null || reason.isEmpty() ? "" : ", " + reason)
            + ") before 'complete'",
        null);
  }

  @Override
  public void onError(Throwable error) {
    WsLink l;
    synchronized (this) {
      l = link;
    }
    onLinkLost(l, "the WebSocket failed before 'complete': " + error, error);
  }

  private void onLinkLost(WsLink lost, String what, Throwable cause) {
    boolean retry;
    synchronized (this) {
      if (ended || lost == null || link != lost) {
        return;
      }
      retry = reused && replay != null && !retried;
      if (retry) {
        retried = true;
        link = null;
        pending.addAll(0, replay);
        replay = null;
      }
    }
    lost.bind(null);
    if (!retry) {
      fail(new TransportException(SmallestCodec.PROVIDER, what, cause));
      return;
    }
    lost.abort();
    sink.attribute("reconnected", "true");
    connector
        .connectFresh()
        .whenComplete(
            (lease, error) -> {
              if (error != null) {
                fail(SmallestErrors.forTransport("reopening the WebSocket", error, Duration.ZERO));
              } else {
                onLease(lease, false);
              }
            });
  }
}
