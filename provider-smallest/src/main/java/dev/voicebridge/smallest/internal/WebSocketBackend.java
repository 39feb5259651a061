package dev.voicebridge.smallest.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.internal.TextPieces;
import dev.voicebridge.kit.ws.WebSocketSessionBackend;
import dev.voicebridge.kit.ws.WebSocketSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One session over Smallest's WebSocket {@code /waves/v1/tts/live}.
 *
 * <p>Input: text goes out as {@code continue: true} messages, a text longer than {@value
 * #MAX_MESSAGE_CHARS} characters in sentence-sized pieces (so the server starts on the first
 * sentence instead of parsing the whole text first); a flush and the finish send {@code text: "",
 * continue: false, flush: true} (the finish with a short {@code complete_backoff_ms}, so the
 * server's {@code complete} follows the last audio instead of 4 s later), and no flush when nothing
 * was sent since the last one. The text after the last token that contains a letter or digit is
 * held back until the next such token, a flush or the finish, so every flush follows speakable text
 * the server has not seen yet: the server answers a flush of an empty buffer with nothing, and
 * without this a flush sent after the server had already spoken everything would wait forever for a
 * {@code complete}.
 *
 * <p>Output: {@code chunk} frames are decoded as they arrive; {@code word_timestamp} frames become
 * {@link WordTiming}s on the session's timeline (the server restarts times for each of its {@code
 * request_id}s, so each request's times are offset by the audio received before its first frame);
 * the session completes at the first {@code complete} after the finish that follows at least one
 * frame received after the last flush was sent. Earlier {@code complete}s are per-request and
 * ignored. A close or failure before that is a {@link TransportException}. Smallest has no
 * per-request cancel: a cancel discards the socket.
 */
final class WebSocketBackend extends WebSocketSessionBackend {
  /** {@code complete_backoff_ms} of the finish (the server's default is 4000). */
  static final int FINISH_BACKOFF_MS = 300;

  /**
   * The longest text of one message when a text is cut ({@link TextPieces}): Smallest documents 250
   * characters as its largest chunk.
   */
  static final int MAX_MESSAGE_CHARS = 250;

  private final SmallestRequest request;
  private final List<String> warnings;
  private final Duration keepAliveInterval;

  private AudioOutput out;

  // guarded by this
  private final StringBuilder held = new StringBuilder();
  private boolean groupSent;
  private long framesSinceGroup;
  private boolean groupAnswered;
  private boolean dirty;
  private boolean completing;

  // transport thread only
  private final Map<String, Long> requestOffsets = new HashMap<>();
  private Duration lastWordStart = Duration.ZERO;
  private boolean warnedUnknown;

  WebSocketBackend(
      WebSocketSource source,
      SmallestRequest request,
      List<String> warnings,
      Duration keepAliveInterval) {
    super(source);
    this.request = request;
    this.warnings = List.copyOf(warnings);
    this.keepAliveInterval = keepAliveInterval;
  }

  // ------------------------------------------------------------------ input

  @Override
  protected void onStart() {
    this.out = new AudioOutput(sink.format());
    sink.attribute("transport", "websocket");
    sink.attribute("model", request.model());
    warnings.forEach(sink::warn);
    if (!keepAliveInterval.isZero()) {
      // Pipecat's keep-alive: a space, buffered by the server and never spoken on its own
      keepAlive(keepAliveInterval, () -> SmallestCodec.textMessage(request, " "));
    }
  }

  @Override
  public synchronized void text(String text) {
    // a long text goes out sentence by sentence: the server starts on the first right away
    for (String t : TextPieces.split(text, MAX_MESSAGE_CHARS)) {
      if (speakable(t) && held.length() > 0) {
        sendText(held.toString());
        held.setLength(0);
      }
      held.append(t);
    }
  }

  @Override
  public synchronized void flush() {
    flushGroup(false);
  }

  @Override
  protected void onFinish() {
    boolean endNow;
    synchronized (this) {
      flushGroup(true);
      endNow = !groupSent || groupAnswered;
    }
    if (endNow) {
      completeSession();
    }
  }

  // called with this held
  private void flushGroup(boolean last) {
    if (held.length() == 0) {
      return;
    }
    String h = held.toString();
    held.setLength(0);
    sendText(h);
    if (!speakable(h)) {
      return; // nothing the server would speak: a flush would get no answer
    }
    send(
        last
            ? SmallestCodec.finishMessage(request, FINISH_BACKOFF_MS)
            : SmallestCodec.flushMessage(request));
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

  static boolean speakable(CharSequence s) {
    return s.codePoints().anyMatch(Character::isLetterOrDigit);
  }

  // ------------------------------------------------------------------ output

  @Override
  protected void onMessage(Object message) {
    SmallestCodec.WsFrame frame = SmallestCodec.decodeWs((String) message);
    if (frame instanceof SmallestCodec.Chunk c) {
      markFrame(c.requestId());
      sink.audio(out.accept(c.audio()));
    } else if (frame instanceof SmallestCodec.WordTimestamp w) {
      markFrame(w.requestId());
      deliverWord(w);
    } else if (frame instanceof SmallestCodec.Complete) {
      boolean end;
      synchronized (this) {
        if (groupSent && framesSinceGroup > 0) {
          groupAnswered = true;
        }
        end = isFinished() && groupAnswered;
      }
      if (end) {
        completeSession();
      }
    } else if (frame instanceof SmallestCodec.ErrorFrame e) {
      fail(SmallestErrors.forErrorFrame(e.message(), e.code()));
    } else if (frame instanceof SmallestCodec.Unknown u) {
      if (!warnedUnknown) {
        warnedUnknown = true;
        sink.warn("ignored a frame with unknown status '" + u.status() + "'");
      }
    }
  }

  private void markFrame(String requestId) {
    synchronized (this) {
      framesSinceGroup++;
    }
    requestOffsets.putIfAbsent(requestId == null ? "" : requestId, out.pcmBytes());
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

  private void completeSession() {
    boolean clean;
    synchronized (this) {
      if (isEnded() || completing) {
        return;
      }
      completing = true; // the finish and a 'complete' frame may both get here
      clean = !dirty;
    }
    if (out.hasDanglingByte()) {
      sink.warn("the audio ended with an odd number of bytes (half a sample)");
    }
    sink.audio(out.finish());
    complete(clean);
  }

  @Override
  protected VoicebridgeException closedBeforeCompletion(int code, String reason) {
    return new TransportException(
        SmallestCodec.PROVIDER,
        "the server closed the WebSocket (code "
            + code
            + (reason == null || reason.isEmpty() ? "" : ", " + reason)
            + ") before 'complete'");
  }

  /** Whether a message received on an idle pooled socket leaves it usable. */
  static boolean usableWhileIdle(Object message) {
    if (!(message instanceof String s)) {
      return false; // Smallest sends JSON text frames only
    }
    try {
      // an error (the idle timeout, for one): the server closes next
      return !(SmallestCodec.decodeWs(s) instanceof SmallestCodec.ErrorFrame);
    } catch (ProtocolException malformed) {
      return false;
    }
  }
}
