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
    synchronized (this) {
      socket =
          JsonSocket.open(
              owner.httpClient(),
              plan.webSocketUri(owner.settings().baseUrl()),
              owner.settings().apiKey(),
              owner.settings().connectTimeout(),
              owner.settings().responseTimeout(),
              owner.settings().maxFrameBytes(),
              this);
      sendLocked(WireCodec.init(plan));
      scheduleKeepAlive(keepAliveNanos);
    }
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
    sendLocked(WireCodec.endOfInput());
    finished = true;
    stopKeepAlive();
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
    sink.connected(false);
    sink.whenReady(s::request);
  }

  @Override
  public void onText(JsonSocket s, String text) {
    synchronized (this) {
      if (done) {
        return;
      }
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
    fail(ErrorMapper.fromClose(code, reason));
  }

  @Override
  public void onError(JsonSocket s, Throwable error) {
    fail(
        s.isConnected() || sink.isDone()
            ? ErrorMapper.fromTransport(error)
            : ErrorMapper.fromConnectFailure(error));
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
