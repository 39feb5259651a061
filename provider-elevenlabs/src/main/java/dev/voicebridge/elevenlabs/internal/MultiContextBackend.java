package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.internal.Timers;
import dev.voicebridge.kit.ws.MultiplexPool;
import dev.voicebridge.kit.ws.MultiplexedSocket;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One session as a context of a shared {@code multi-stream-input} socket: its first message opens
 * the context with the settings, text and flushes carry its {@code context_id}, finish is a flush
 * then {@code close_context}, and its {@code isFinal} completes it. Cancel sends {@code
 * close_context} and leaves the other contexts alone; the context stays counted until its final
 * frame.
 */
final class MultiContextBackend implements SessionBackend, MultiplexedSocket.Context<ServerFrame> {

  /** ElevenLabs' framing of {@code multi-stream-input}, as the kit's shared socket needs it. */
  static final class Protocol implements MultiplexedSocket.Protocol<ServerFrame> {
    @Override
    public ServerFrame decode(String text) {
      return ElevenLabsCodec.decodeFrame(text);
    }

    @Override
    public String contextOf(ServerFrame frame) {
      return frame.contextId();
    }

    @Override
    public VoicebridgeException errorOf(ServerFrame frame) {
      return frame.isError()
          ? ElevenLabsErrors.fromErrorFrame(frame.error(), frame.message(), frame.code())
          : null;
    }

    @Override
    public VoicebridgeException closed(int code, String reason) {
      return ElevenLabsErrors.fromClose(code, reason);
    }

    @Override
    public String closeMessage() {
      return ElevenLabsCodec.closeSocket();
    }
  }

  private final MultiplexPool<ServerFrame> pool;
  private final ElevenLabsRequest plan;
  private final URI uri;
  private final String id;
  private final WordChunker chunker = new WordChunker();
  private final AudioTimeline timeline;
  private final long keepAliveNanos;

  private SynthesisSink sink;
  private MultiplexedSocket<ServerFrame> socket; // this
  private boolean finished; // this
  private boolean anyText; // this
  private boolean closeSent; // this
  private boolean done; // this: completed, failed or cancelled
  private long lastSendNanos; // this
  private ScheduledFuture<?> keepAlive; // this
  private boolean onReusedSocket; // this
  private boolean replayed; // this
  private boolean heardFromServer; // this
  private final List<String> sentLog = new ArrayList<>(); // this: until the first frame
  private long charsGiven; // this

  /**
   * Text beyond which a cancelled context retires its socket. ElevenLabs keeps speaking a context
   * that is flushing when {@code close_context} arrives (the protocol's CloseContext), so a long
   * text cancelled early leaves the socket busy with audio nobody wants, minutes of it, ahead of
   * every new context placed on it. About two minutes of speech: an agent's barge-in on an ordinary
   * reply keeps the socket.
   */
  static final long RETIRE_AFTER_CANCEL_CHARS = 2_000;

  MultiContextBackend(
      ElevenLabsSynthesizer owner, MultiplexPool<ServerFrame> pool, ElevenLabsRequest plan) {
    this.pool = pool;
    this.plan = plan;
    this.uri = plan.webSocketUri(owner.settings().baseUrl());
    this.id = owner.nextContextId();
    this.timeline = new AudioTimeline(plan.format(), plan.normalizedAlignment());
    this.keepAliveNanos = plan.keepAliveNanos();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void start(SynthesisSink s) {
    this.sink = s;
    s.attribute("transport", "websocket");
    s.attribute("endpoint", "multi-stream-input");
    s.attribute("output_format", plan.outputFormat());
    s.attribute("context_id", id);
    s.attribute("model", plan.model());
    plan.warnings().forEach(s::warn);
    MultiplexPool.Placement<ServerFrame> p;
    try {
      p = pool.acquire(uri, this);
    } catch (IllegalStateException closed) {
      s.fail(new TransportException(ElevenLabsSynthesizer.NAME, "the synthesizer is closed"));
      return;
    }
    boolean reused = p.reused();
    synchronized (this) {
      socket = p.socket();
      onReusedSocket = reused;
      sendLocked(ElevenLabsCodec.contextInit(id, plan));
      keepAlive = Timers.schedule(this::keepAliveTick, keepAliveNanos);
    }
    if (reused) {
      s.connected(true);
      s.attribute("connection", "reused");
    }
  }

  @Override
  public synchronized void text(String text) {
    anyText = true;
    charsGiven += text.length();
    for (String words : chunker.pushAll(text)) {
      sendLocked(ElevenLabsCodec.contextText(id, words));
    }
  }

  @Override
  public synchronized void flush() {
    sendLocked(ElevenLabsCodec.contextFlush(id, chunker.drain()));
  }

  @Override
  public synchronized void finish() {
    // finished before the last messages go out: the answer to them may be handled at once
    closeSent = true;
    finished = true;
    stopKeepAlive();
    sendLocked(ElevenLabsCodec.contextFlush(id, chunker.drain()));
    sendLocked(ElevenLabsCodec.closeContext(id));
    if (!anyText && !done) {
      // nothing to say: complete now; the context stays counted until its final frame
      done = true;
      sink.complete();
    }
  }

  @Override
  public void cancel() {
    MultiplexedSocket<ServerFrame> s;
    boolean backlog;
    synchronized (this) {
      if (done) {
        return;
      }
      backlog = charsGiven > RETIRE_AFTER_CANCEL_CHARS;
      done = true;
      stopKeepAlive();
      s = socket;
      if (s != null && !closeSent) {
        closeSent = true;
        s.send(ElevenLabsCodec.closeContext(id));
      }
    }
    // the context stays counted on its socket until the server's final frame for it
    if (s != null) {
      s.contextCancelled();
      if (backlog) {
        s.retire(); // new contexts go to a fresh socket, not behind this one's backlog
      }
    }
  }

  /**
   * The library ended the session: as a cancel, and a socket that broke the protocol for it (more
   * audio than its text could need, for one) takes no more contexts.
   */
  @Override
  public void abort(VoicebridgeException error) {
    MultiplexedSocket<ServerFrame> s;
    synchronized (this) {
      s = socket;
    }
    cancel();
    if (s != null && error instanceof ProtocolException) {
      s.retire();
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
    lastSendNanos = System.nanoTime();
    if (!heardFromServer) {
      sentLog.add(json);
    }
    socket.send(json);
  }

  private void stopKeepAlive() {
    if (keepAlive != null) {
      keepAlive.cancel(false);
      keepAlive = null;
    }
  }

  private synchronized void keepAliveTick() {
    keepAlive = null;
    if (done || finished) {
      return;
    }
    long idle = System.nanoTime() - lastSendNanos;
    if (idle >= keepAliveNanos) {
      sendLocked(ElevenLabsCodec.contextKeepAlive(id));
      keepAlive = Timers.schedule(this::keepAliveTick, keepAliveNanos);
    } else {
      keepAlive = Timers.schedule(this::keepAliveTick, keepAliveNanos - idle);
    }
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
      early = frame.isFinal() && !finished;
      if (frame.isFinal()) {
        done = true;
        stopKeepAlive();
      }
    }
    if (ignore) {
      return frame.isFinal();
    }
    Alignment a = plan.normalizedAlignment() ? frame.normalizedAlignment() : frame.alignment();
    List<WordTiming> words = timeline.chunk(frame.audio(), a);
    if (frame.audio() != null) {
      sink.audio(ByteBuffer.wrap(frame.audio()));
    }
    words.forEach(sink::wordTiming);
    if (frame.isFinal()) {
      if (early) {
        sink.fail(
            new TransportException(
                ElevenLabsSynthesizer.NAME,
                "the server ended context " + id + " before the end of input"));
      } else {
        timeline.end().forEach(sink::wordTiming);
        sink.complete();
      }
      return true;
    }
    return false;
  }

  @Override
  public void whenReady(Runnable action) {
    sink.whenReady(action);
  }

  @Override
  public void onError(VoicebridgeException e) {
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      stopKeepAlive();
    }
    sink.fail(e);
  }

  /**
   * The socket closed or failed before this context's final frame. A context placed on a socket
   * that was open already, lost before the server said anything about it (the server closed an idle
   * socket just as it was reused), is moved once to a fresh socket, its messages sent again;
   * otherwise the session fails. A socket ended by a {@link ProtocolException} (the server sent a
   * binary, oversize or malformed frame) is not a lost connection: the violation is reported, not
   * hidden by a second try elsewhere.
   */
  @Override
  public void onSocketLost(VoicebridgeException e) {
    synchronized (this) {
      // lock order context -> pool -> socket, as everywhere: a text() racing this waits, then
      // goes to the fresh socket
      if (!done
          && onReusedSocket
          && !replayed
          && !heardFromServer
          && !(e instanceof ProtocolException)) {
        replayed = true;
        try {
          MultiplexedSocket<ServerFrame> fresh = pool.acquire(uri, this).socket();
          socket = fresh;
          sentLog.forEach(fresh::send);
          return;
        } catch (RuntimeException closed) {
          // the synthesizer is closed: fail below
        }
      }
    }
    onError(e);
  }
}
