package dev.voicebridge.kit.http;

import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.text.SentenceSegmenter;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A session over a vendor's HTTP endpoint that takes one whole text per request (no server-side
 * text buffering): the base of every request-per-segment adapter (Fish {@code /v1/tts}, ElevenLabs
 * {@code /stream}, Smallest SSE, Cartesia SSE and bytes, Deepgram REST). Text is cut by a {@link
 * SentenceSegmenter} (each sentence a request, the first one sent as soon as it is complete, so
 * first audio does not grow with the length of the text) or taken whole at each flush; each piece
 * is one {@link HttpExchange}. Up to {@code depth} requests are in flight at once (the next one
 * generates while the previous one plays) and their bodies are read strictly in order, each at the
 * pace the application reads. The subclass builds the requests ({@link #request}) and reads the
 * bodies ({@link Body}); this class does the rest once: queueing, ordering, back pressure, one
 * terminal signal, cancel.
 *
 * <p>Threads: input methods come from the application (one at a time), bodies from the HTTP
 * client's threads; state is guarded by {@code this}, and the sink is never called while holding
 * it.
 */
public abstract class HttpSegmentBackend implements SessionBackend {

  /** What one response body is read by: the subclass's decoder of its vendor's format. */
  public interface Body {
    /**
     * The response's status and headers arrived (a success).
     *
     * @param status the HTTP status
     * @param headers the headers
     */
    default void onResponse(int status, HttpHeaders headers) {}

    /**
     * A chunk of the body, valid only during the call: decode it into sink calls.
     *
     * @param chunk the audio chunk
     */
    void onChunk(ByteBuffer chunk);

    /**
     * {@return whether the vendor's end-of-response event has come (an SSE {@code done}); the rest
     * of the body is then read and dropped, and the next response starts at once}
     */
    default boolean isDone() {
      return false;
    }

    /**
     * The body ended. Throw (a {@link VoicebridgeException}) if it ended too soon: an SSE stream
     * without its {@code done}, a body inside its WAV header.
     */
    default void onEnd() {}
  }

  private final HttpExchange.Options options;
  private final SentenceSegmenter segmenter; // null: one request per flush
  private final int depth;
  private final StringBuilder untilFlush = new StringBuilder(); // this, when segmenter is null

  /** The session's sink, set by {@link #start}. */
  protected SynthesisSink sink;

  // guarded by this
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final ArrayDeque<Slot> inFlight = new ArrayDeque<>();
  private String previousText;
  private int requests;
  private boolean finished;
  private boolean ended;
  private boolean connectedReported;

  /** One request and how far it got. */
  private final class Slot implements HttpExchange.Handler {
    final int index;
    final Body body;
    HttpExchange exchange;
    boolean responded;
    boolean reading;

    Slot(int index, Body body) {
      this.index = index;
      this.body = body;
    }

    @Override
    public void onResponse(HttpExchange e, int status, HttpHeaders headers) {
      body.onResponse(status, headers);
      boolean head;
      boolean report;
      synchronized (HttpSegmentBackend.this) {
        if (ended) {
          return;
        }
        responded = true;
        exchange = e; // (send() may not have returned yet)
        report = !connectedReported;
        connectedReported = true;
        head = inFlight.peekFirst() == this;
        if (head) {
          reading = true;
        }
      }
      if (report) {
        sink.connected(false); // the JDK does not say whether a pooled connection served it
      }
      if (head) {
        sink.whenReady(e::request);
      }
    }

    @Override
    public void onBody(HttpExchange e, ByteBuffer chunk) {
      if (isEnded()) {
        return;
      }
      body.onChunk(chunk);
      if (body.isDone()) {
        e.drain();
        next(this);
        return;
      }
      sink.whenReady(e::request);
    }

    @Override
    public void onComplete(HttpExchange e) {
      try {
        body.onEnd();
      } catch (VoicebridgeException ex) {
        fail(ex);
        return;
      }
      next(this);
    }

    @Override
    public void onFailure(HttpExchange e, VoicebridgeException error) {
      fail(error);
    }
  }

  /**
   * A backend.
   *
   * @param options the settings of its requests (client, error reading, content type)
   * @param segmenter cuts text into one request per sentence; null sends the text given between two
   *     flushes (or the finish) as one request
   * @param depth how many requests may be in flight at once (1: one after the other; 2: the next
   *     one generates while the previous one plays); bodies are read in order either way
   */
  protected HttpSegmentBackend(
      HttpExchange.Options options, SentenceSegmenter segmenter, int depth) {
    this.options = Objects.requireNonNull(options, "options");
    this.segmenter = segmenter;
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be at least 1");
    }
    this.depth = depth;
  }

  // ------------------------------------------------------------------ for the subclass

  /** The session starts: attributes and warnings for the report. */
  protected abstract void onStart();

  /**
   * {@return the request for one piece of text}
   *
   * @param text the piece (a sentence, or what came before a flush)
   * @param index its number in the session, from 0
   * @param previous the piece before it, or null (for vendors that take context)
   */
  protected abstract HttpRequest request(String text, int index, String previous);

  /**
   * {@return a reader for the body of request {@code index}}
   *
   * @param index the index
   */
  protected abstract Body body(int index);

  /** Every request completed: last words to the sink before it completes (called once). */
  protected void onEnd() {}

  /**
   * Fails the session: every request in flight is aborted. Ignored once it has ended.
   *
   * @param error the error
   */
  protected final void fail(VoicebridgeException error) {
    List<Slot> slots;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      queue.clear();
      slots = new ArrayList<>(inFlight);
      inFlight.clear();
    }
    sink.fail(error);
    for (Slot s : slots) {
      if (s.exchange != null) {
        s.exchange.cancel();
      }
    }
  }

  /** {@return whether the session has ended} */
  protected final synchronized boolean isEnded() {
    return ended;
  }

  // ------------------------------------------------------------------ SessionBackend

  @Override
  public final void start(SynthesisSink s) {
    this.sink = s;
    onStart();
  }

  @Override
  public final void text(String text) {
    List<String> pieces;
    synchronized (this) {
      if (ended) {
        return;
      }
      if (segmenter != null) {
        pieces = segmenter.push(text);
      } else {
        untilFlush.append(text);
        return;
      }
    }
    enqueue(pieces);
  }

  @Override
  public final void flush() {
    enqueue(takeRest());
  }

  @Override
  public final void finish() {
    List<String> rest = takeRest();
    synchronized (this) {
      finished = true;
    }
    enqueue(rest);
  }

  private synchronized List<String> takeRest() {
    if (segmenter != null) {
      return segmenter.flush();
    }
    String all = untilFlush.toString().strip();
    untilFlush.setLength(0);
    return all.isEmpty() ? List.of() : List.of(all);
  }

  @Override
  public final void cancel() {
    List<Slot> slots;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      queue.clear();
      slots = new ArrayList<>(inFlight);
      inFlight.clear();
    }
    for (Slot s : slots) {
      if (s.exchange != null) {
        s.exchange.cancel();
      }
    }
  }

  // ------------------------------------------------------------------ requests

  private void enqueue(List<String> pieces) {
    synchronized (this) {
      if (ended) {
        return;
      }
      queue.addAll(pieces);
    }
    pump();
  }

  /** Starts requests while there is room, then completes the session if all is done. */
  private void pump() {
    for (; ; ) {
      Slot slot;
      String text;
      String previous;
      boolean complete = false;
      synchronized (this) {
        if (ended) {
          return;
        }
        if (queue.isEmpty() || inFlight.size() >= depth) {
          if (inFlight.isEmpty() && queue.isEmpty() && finished) {
            ended = true;
            complete = true;
          } else {
            return;
          }
          slot = null;
          text = null;
          previous = null;
        } else {
          text = queue.poll();
          previous = previousText;
          previousText = text;
          int index = requests++;
          slot = new Slot(index, body(index));
          inFlight.addLast(slot);
        }
      }
      if (complete) {
        onEnd();
        sink.attribute("http.requests", Integer.toString(requestCount()));
        sink.complete();
        return;
      }
      HttpRequest r;
      try {
        r = request(text, slot.index, previous);
      } catch (VoicebridgeException e) {
        fail(e);
        return;
      }
      HttpExchange e = HttpExchange.send(options, r, slot);
      boolean cancel;
      synchronized (this) {
        if (slot.exchange == null) {
          slot.exchange = e;
        }
        cancel = ended;
      }
      if (cancel) {
        e.cancel();
        return;
      }
    }
  }

  private synchronized int requestCount() {
    return requests;
  }

  /** {@code done} finished its body: the next response becomes the one read, more may start. */
  private void next(Slot done) {
    Slot head;
    boolean read;
    synchronized (this) {
      if (ended || inFlight.peekFirst() != done) {
        return;
      }
      inFlight.pollFirst();
      head = inFlight.peekFirst();
      read = head != null && head.responded && !head.reading;
      if (read) {
        head.reading = true;
      }
    }
    if (read) {
      sink.whenReady(head.exchange::request);
    }
    pump();
  }
}
