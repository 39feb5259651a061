package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.internal.Timers;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One session on its own {@code stream-input} WebSocket: init message, whole words, {@code flush},
 * {@code {"text": ""}} at finish; audio and word timings as frames arrive; {@code isFinal}
 * completes; a keep-alive {@code " "} before the vendor's inactivity timeout while the application
 * has not finished.
 */
final class StreamInputBackend implements SessionBackend, JsonSocket.Handler {
  private final ElevenLabsSynthesizer owner;
  private final Plan plan;
  private final WordChunker chunker = new WordChunker();
  private final AudioTimeline timeline;
  private final long keepAliveNanos;

  private SynthesisSink sink;
  private JsonSocket socket;
  private boolean finished; // this
  private boolean anyText; // this
  private boolean done; // this: final seen, failed or cancelled

  /** Whether the server has sent anything yet. */
  private boolean answered; // this

  private boolean connectedOnce; // this
  private long lastSendNanos; // this
  private ScheduledFuture<?> keepAlive; // this

  StreamInputBackend(ElevenLabsSynthesizer owner, Plan plan) {
    this.owner = owner;
    this.plan = plan;
    this.timeline = new AudioTimeline(plan.format(), plan.normalizedAlignment());
    this.keepAliveNanos = plan.keepAliveNanos();
  }

  @Override
  public void start(SynthesisSink s) {
    this.sink = s;
    s.attribute("transport", "websocket");
    s.attribute("endpoint", "stream-input");
    s.attribute("output_format", plan.outputFormat());
    plan.warnings().forEach(s::warn);
    JsonSocket first;
    synchronized (this) {
      first = newSocket();
      socket = first;
      sendLocked(WireCodec.init(plan)); // queued until the socket opens
      scheduleKeepAlive(keepAliveNanos);
    }
    // outside the lock: the socket's callbacks may run on this thread before connect returns
    connect(first);
  }

  /** A socket not yet connected; it becomes {@link #socket} before it connects. */
  private JsonSocket newSocket() {
    return JsonSocket.create(
        owner.httpClient(),
        owner.settings().responseTimeout(),
        owner.settings().maxFrameBytes(),
        this);
  }

  private void connect(JsonSocket s) {
    s.connect(
        plan.webSocketUri(owner.settings().baseUrl()),
        owner.settings().apiKey(),
        owner.settings().connectTimeout());
  }

  @Override
  public synchronized void text(String text) {
    anyText = true;
    String words = chunker.push(text);
    if (words != null) {
      sendLocked(WireCodec.text(words));
    }
  }

  @Override
  public synchronized void flush() {
    sendLocked(WireCodec.flush(chunker.drain()));
  }

  @Override
  public synchronized void finish() {
    String tail = chunker.drain();
    if (tail != null) {
      sendLocked(WireCodec.text(tail));
    }
    // finished before the end of input goes out: the answer to it may be handled at once
    finished = true;
    stopKeepAlive();
    sendLocked(WireCodec.endOfInput());
    if (!anyText && !done) {
      // nothing to say: complete now rather than depend on the server's answer to empty input
      done = true;
      sink.complete();
      socket.close();
    }
  }

  @Override
  public void cancel() {
    JsonSocket s;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      stopKeepAlive();
      s = socket;
    }
    if (s != null) {
      s.abort();
    }
  }

  private void sendLocked(String json) {
    if (done) {
      return;
    }
    lastSendNanos = System.nanoTime();
    socket.send(json);
  }

  // ------------------------------------------------------------ keep-alive

  private void scheduleKeepAlive(long nanos) {
    keepAlive = Timers.schedule(this::keepAliveTick, nanos);
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
      sendLocked(WireCodec.keepAlive());
      scheduleKeepAlive(keepAliveNanos);
    } else {
      scheduleKeepAlive(keepAliveNanos - idle);
    }
  }

  // ------------------------------------------------------------ socket events

  @Override
  public void onOpen(JsonSocket s) {
    boolean first;
    synchronized (this) {
      if (s != socket) {
        return;
      }
      first = !connectedOnce;
      connectedOnce = true;
    }
    if (first) {
      sink.connected(false);
    }
    sink.whenReady(s::request);
  }

  @Override
  public void onText(JsonSocket s, String text) {
    synchronized (this) {
      if (done || s != socket) {
        return;
      }
      answered = true;
    }
    ServerFrame frame;
    try {
      frame = WireCodec.decodeFrame(text);
    } catch (VoicebridgeException e) {
      fail(e);
      return;
    }
    if (frame.isError()) {
      fail(ErrorMapper.fromErrorFrame(frame.error(), frame.message(), frame.code()));
      return;
    }
    Alignment a = plan.normalizedAlignment() ? frame.normalizedAlignment() : frame.alignment();
    List<WordTiming> words = timeline.chunk(frame.audio(), a);
    if (frame.audio() != null) {
      sink.audio(ByteBuffer.wrap(frame.audio()));
    }
    words.forEach(sink::wordTiming);
    if (frame.isFinal()) {
      boolean early;
      synchronized (this) {
        if (done) {
          return;
        }
        early = !finished;
        done = true;
        stopKeepAlive();
      }
      if (early) {
        sink.fail(
            new TransportException(
                ElevenLabsSynthesizer.NAME, "the server sent isFinal before the end of input"));
        s.abort();
        return;
      }
      timeline.end().forEach(sink::wordTiming);
      sink.complete();
      s.close();
      return;
    }
    sink.whenReady(s::request);
  }

  @Override
  public void onClose(JsonSocket s, int code, String reason) {
    synchronized (this) {
      if (s != socket) {
        return;
      }
    }
    fail(ErrorMapper.fromClose(code, reason));
  }

  @Override
  public void onError(JsonSocket s, Throwable error) {
    boolean silent;
    synchronized (this) {
      if (s != socket) {
        return;
      }
      silent = connectedOnce && !answered;
    }
    Throwable cause = ErrorMapper.unwrap(error);
    VoicebridgeException e;
    if (silent && !(cause instanceof VoicebridgeException)) {
      // A server that refuses the first message (key, quota, voice) sends its error frame and a
      // Close; if it then drops the connection while this side is still writing, the JDK stops
      // reading at the failed write and that error frame is never seen (K3).
      e =
          new TransportException(
              ElevenLabsSynthesizer.NAME,
              "the connection failed before the server's first message (it may have refused the"
                  + " request: check the API key, the quota and the voice id): "
                  + cause,
              cause);
    } else {
      e =
          connectedOnce || sink.isDone()
              ? ErrorMapper.fromTransport(error)
              : ErrorMapper.fromConnectFailure(error);
    }
    fail(e);
  }

  private void fail(VoicebridgeException e) {
    JsonSocket s;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      stopKeepAlive();
      s = socket;
    }
    sink.fail(e);
    if (s != null) {
      s.abort();
    }
  }
}
