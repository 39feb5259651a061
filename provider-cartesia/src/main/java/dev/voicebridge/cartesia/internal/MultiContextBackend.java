package dev.voicebridge.cartesia.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.cartesia.CartesiaOptions;
import dev.voicebridge.kit.ws.MultiplexPool;
import dev.voicebridge.kit.ws.MultiplexedSocket;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One session as a context of a shared {@code /tts/websocket}: every message carries the session's
 * full configuration and its {@code context_id}; text goes as continuations exactly as given (the
 * server concatenates transcripts verbatim); a flush is its own {@code {transcript:"",
 * continue:true, flush:true}}; the finish is {@code {transcript:"", continue:false}}; the context's
 * {@code done} completes the session, its {@code error} fails it. A session without text sends
 * nothing: the server never hears of its context.
 *
 * <p>Cancel sends {@code {context_id, cancel:true}} and lets the context go at once: Cartesia owes
 * no frame after a cancel (its documents disagree on whether one comes), so nothing waits for one;
 * frames that still arrive for the context, an error among them, are dropped, and the other
 * contexts of the socket are untouched.
 */
final class MultiContextBackend implements SessionBackend, MultiplexedSocket.Context<ServerFrame> {

  /** Cartesia's framing of {@code /tts/websocket}, as the kit's shared socket needs it. */
  static final class Protocol implements MultiplexedSocket.Protocol<ServerFrame> {
    private static final int REMEMBERED = 1024;

    /**
     * Contexts recently ended here (cancelled, failed or done): their late frames, errors included,
     * are nobody's. A context that fails (a 429 {@code concurrency_limited}, say) may still have
     * its finish on the wire, which the server answers with another error for that context; that
     * error ends nothing else on the socket.
     */
    private final Set<String> ended =
        Collections.newSetFromMap(
            Collections.synchronizedMap(
                new LinkedHashMap<String, Boolean>(64, 0.75f, false) {
                  private static final long serialVersionUID = 1L;

                  @Override
                  protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                  }
                }));

    void ended(String contextId) {
      ended.add(contextId);
    }

    @Override
    public ServerFrame decode(String text) {
      return CartesiaCodec.decodeFrame(text);
    }

    @Override
    public String contextOf(ServerFrame frame) {
      return frame.contextId();
    }

    @Override
    public VoicebridgeException errorOf(ServerFrame frame) {
      if (frame.type() != ServerFrame.Type.ERROR) {
        return null;
      }
      if (frame.contextId() != null && ended.contains(frame.contextId())) {
        return null; // the error of a context ended here: dropped with its other frames
      }
      return CartesiaErrors.forFrame(frame);
    }

    @Override
    public VoicebridgeException closed(int code, String reason) {
      return CartesiaErrors.closed(code, reason);
    }
  }

  private final MultiplexPool<ServerFrame> pool;
  private final Protocol protocol;
  private final Object key;
  private final CartesiaRequest plan;
  private final String id;
  private final String config;
  private final AudioOutput out;
  private final Timeline timeline;

  private SynthesisSink sink;
  private MultiplexedSocket<ServerFrame> socket; // this
  private boolean anyText; // this
  private boolean finished; // this
  private boolean done; // this: completed, failed or cancelled
  private long charsGiven; // this

  /**
   * Text beyond which a cancelled context retires its socket: whatever the server still does with a
   * long text it was given (it may be generating it when the cancel arrives), the next sessions go
   * to a fresh socket rather than behind it. A short context's cancel keeps the socket.
   */
  static final long RETIRE_AFTER_CANCEL_CHARS = 2_000;

  private boolean onReusedSocket; // this
  private boolean replayed; // this
  private boolean heardFromServer; // this
  private final List<String> sentLog = new ArrayList<>(); // this: until the first frame
  private final Set<String> unknownTypes = new java.util.HashSet<>(); // transport thread

  MultiContextBackend(
      MultiplexPool<ServerFrame> pool,
      Protocol protocol,
      Object key,
      CartesiaRequest plan,
      String contextId) {
    this.pool = pool;
    this.protocol = protocol;
    this.key = key;
    this.plan = plan;
    this.id = contextId;
    this.config = CartesiaCodec.config(plan);
    this.out = new AudioOutput(plan.format(), plan.wireEncoding());
    this.timeline = new Timeline(Boolean.TRUE.equals(plan.normalizedTimestamps()));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void start(SynthesisSink s) {
    this.sink = s;
    s.attribute("transport", CartesiaOptions.WEBSOCKET);
    s.attribute("context_id", id);
    s.attribute("model", plan.model());
    s.attribute("cartesia_version", plan.version());
    plan.warnings().forEach(s::warn);
    MultiplexPool.Placement<ServerFrame> p;
    try {
      p = pool.acquire(key, this);
    } catch (IllegalStateException closed) {
      s.fail(new TransportException(CartesiaOptions.PROVIDER, "the synthesizer is closed"));
      return;
    }
    synchronized (this) {
      socket = p.socket();
      onReusedSocket = p.reused();
    }
    if (p.reused()) {
      s.connected(true);
      s.attribute("connection", "reused");
    }
  }

  @Override
  public synchronized void text(String text) {
    anyText = true;
    charsGiven += text.length();
    sendLocked(CartesiaCodec.continuation(config, id, text));
  }

  @Override
  public synchronized void flush() {
    sendLocked(CartesiaCodec.flush(config, id));
  }

  @Override
  public void finish() {
    MultiplexedSocket<ServerFrame> s;
    synchronized (this) {
      // finished before the message goes out: the server's done may be handled at once
      finished = true;
      if (anyText) {
        sendLocked(CartesiaCodec.finish(config, id));
        return;
      }
      if (done) {
        return;
      }
      done = true;
      s = socket;
    }
    // nothing was said: the context never reached the server and owes nothing
    if (s != null) {
      s.release(this);
    }
    sink.complete();
  }

  @Override
  public void cancel() {
    MultiplexedSocket<ServerFrame> s;
    boolean told;
    boolean backlog;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      s = socket;
      told = anyText;
      backlog = charsGiven > RETIRE_AFTER_CANCEL_CHARS;
      if (s != null && told) {
        protocol.ended(id);
        s.send(CartesiaCodec.cancel(id));
      }
    }
    if (s != null) {
      s.release(this);
      if (told) {
        // a socket silent for half the response timeout while this context waited is taken for
        // stalled: it takes no new context (the kit's rule)
        s.contextCancelled();
      }
      if (backlog) {
        s.retire(); // new contexts go to a fresh socket, not behind this one's backlog
      }
    }
  }

  @Override
  public synchronized boolean isDone() {
    return done;
  }

  private void sendLocked(String json) {
    if (done || socket == null) {
      return;
    }
    if (!heardFromServer) {
      sentLog.add(json);
    }
    socket.send(json);
  }

  // ------------------------------------------------------------ from the socket

  @Override
  public void onSocketOpen() {
    sink.connected(false);
    sink.attribute("connection", "new");
  }

  @Override
  public boolean onFrame(ServerFrame frame) {
    boolean ignore;
    boolean early;
    synchronized (this) {
      heardFromServer = true;
      sentLog.clear();
      ignore = done;
      early = frame.type() == ServerFrame.Type.DONE && !finished;
      if (frame.type() == ServerFrame.Type.DONE) {
        done = true;
        protocol.ended(id);
      }
    }
    boolean fin = frame.type() == ServerFrame.Type.DONE;
    if (ignore) {
      return fin;
    }
    switch (frame.type()) {
      case CHUNK -> {
        timeline.frame(frame.flushId(), out.seconds());
        sink.audio(out.accept(frame.audio()));
      }
      case TIMESTAMPS -> {
        timeline.frame(frame.flushId(), out.seconds());
        if (plan.wordTimestamps()) {
          List<WordTiming> words = timeline.words(frame.words());
          words.forEach(sink::wordTiming);
        }
      }
      case PHONEME_TIMESTAMPS -> {
        timeline.frame(frame.flushId(), out.seconds());
        if (plan.phonemes() != null) {
          for (CartesiaOptions.PhonemeTiming t : timeline.phonemes(frame.phonemes())) {
            if (sink.isDone()) {
              break;
            }
            plan.phonemes().onPhoneme(t);
          }
        }
      }
      case FLUSH_DONE -> {
        // the acknowledgment of a flush: the audio of what came before it has been sent
      }
      case DONE -> {
        if (early) {
          sink.fail(
              new TransportException(
                  CartesiaOptions.PROVIDER,
                  "the server ended context "
                      + id
                      + " (done) before the end of input; Cartesia expires a context that stays"
                      + " silent, so a session must keep its text coming or flush and finish"));
        } else {
          String dangling = out.danglingWarning();
          if (dangling != null) {
            sink.warn(dangling);
          }
          sink.audio(out.finish());
          sink.complete();
        }
      }
      case UNKNOWN -> {
        if (unknownTypes.add(frame.typeName())) {
          sink.warn("ignored a server frame of unknown type '" + frame.typeName() + "'");
        }
      }
      case ERROR -> {
        // the error of this context reaches onError through the kit; never here
      }
    }
    return fin;
  }

  @Override
  public void whenReady(Runnable action) {
    sink.whenReady(action);
  }

  @Override
  public void onError(VoicebridgeException e) {
    synchronized (this) {
      protocol.ended(id); // what the server still says of this context is nobody's
      if (done) {
        return;
      }
      done = true;
    }
    sink.fail(e);
  }

  /**
   * The socket closed or failed before this context's {@code done}. A context placed on a socket
   * that was open already and lost before the server said anything about it (the server closed an
   * idle socket, after its five minutes, just as it was reused) moves once to a fresh socket, its
   * messages sent again; otherwise the session fails with the socket's error. Only a lost
   * connection ({@link TransportException}) moves: a vendor error for the whole socket, or a {@link
   * ProtocolException} (a binary, oversize or malformed frame), is reported, not hidden by a second
   * try.
   */
  @Override
  public void onSocketLost(VoicebridgeException e) {
    synchronized (this) {
      // lock order context -> pool -> socket, as everywhere
      if (!done
          && onReusedSocket
          && !replayed
          && !heardFromServer
          && e instanceof TransportException) {
        replayed = true;
        try {
          MultiplexedSocket<ServerFrame> fresh = pool.acquire(key, this).socket();
          socket = fresh;
          sentLog.forEach(fresh::send);
          sink.attribute("connection.replaced", "true");
          return;
        } catch (RuntimeException closed) {
          // the synthesizer is closed: fail below
        }
      }
    }
    onError(e);
  }
}
