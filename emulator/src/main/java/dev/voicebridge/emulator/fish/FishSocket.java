package dev.voicebridge.emulator.fish;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.emulator.Pacer;
import dev.voicebridge.emulator.SessionRecorder;
import dev.voicebridge.emulator.internal.EmulatorServer;
import dev.voicebridge.emulator.internal.ErrorClose;
import dev.voicebridge.spi.conformance.Fault;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;

/**
 * One {@code /v1/tts/live} connection of the {@link FishEmulator}. Public only because Jetty
 * requires endpoint classes to be; not for use outside the emulator.
 *
 * <p>Threads: Jetty calls the {@code onWebSocket*} methods one at a time; audio and {@code finish}
 * go out from the emulator's pacer threads through the session's {@link Pacer.Lane}, in order. All
 * state is guarded by {@code this}.
 */
public final class FishSocket implements Session.Listener.AutoDemanding {
  private static final byte[] MALFORMED = {(byte) 0xC1, (byte) 0xFF, 0x00, 0x7F};

  private final FishEmulator emulator;
  private final int connection;
  private final Map<String, List<String>> headers;
  private final String model;
  private final EndPoint endPoint;
  private Session session;
  private Live live;
  private boolean started;
  private boolean closed;

  /** The state of one session ({@code start} to {@code finish}) on this connection. */
  private final class Live {
    final SessionRecorder recorder;
    final FishRequest request;
    final TextBuffer buffer;
    final FishAudio audio;
    final Pacer.Lane lane;
    final Pacer.Timeline timeline;
    final Fault fault;
    boolean faultFired;
    boolean dead;
    boolean stopping;
    int framesSent;

    Live(SessionRecorder recorder, FishRequest request, Fault fault) {
      this.recorder = recorder;
      this.request = request;
      this.buffer = new TextBuffer(request.chunkLength, request.minChunkLength);
      this.audio =
          new FishAudio(request.audioFormat(), request.mp3Bitrate, emulator.config().frameMillis());
      this.lane = emulator.pacer().lane();
      this.timeline = emulator.pacer().timeline();
      this.fault = fault;
    }
  }

  FishSocket(
      FishEmulator emulator,
      int connection,
      Map<String, List<String>> headers,
      String model,
      EndPoint endPoint) {
    this.emulator = emulator;
    this.connection = connection;
    this.headers = headers;
    this.model = model;
    this.endPoint = endPoint;
  }

  /** The handshake: a socket, or null after writing the vendor's refusal. */
  static Object create(
      FishEmulator emulator,
      ServerUpgradeRequest rq,
      ServerUpgradeResponse rs,
      org.eclipse.jetty.util.Callback cb) {
    EmulatorServer server = emulator.server();
    int connection = server.connectionId(rq);
    Fault next = emulator.control().peekFault();
    if (next instanceof Fault.HandshakeStatus hs && emulator.control().takeFault() != null) {
      refuse(rs, cb, hs.status(), FishEmulator.statusMessage(hs.status()), hs.retryAfter());
      return null;
    }
    Object[] auth = emulator.authProblem(rq.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (auth != null) {
      refuse(rs, cb, (Integer) auth[0], (String) auth[1], null);
      return null;
    }
    int max = emulator.options().maxConnections();
    if (max > 0 && emulator.openSockets().get() >= max) {
      refuse(rs, cb, 429, "Too many concurrent connections", null);
      return null;
    }
    String model = FishEmulator.effectiveModel(rq.getHeaders().get("model"));
    return new FishSocket(
        emulator,
        connection,
        FishEmulator.headers(rq.getHeaders()),
        model,
        EmulatorServer.endPoint(rq));
  }

  private static void refuse(
      ServerUpgradeResponse rs,
      org.eclipse.jetty.util.Callback cb,
      int status,
      String message,
      Duration retryAfter) {
    rs.setStatus(status);
    rs.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    if (retryAfter != null) {
      rs.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(retryAfter.toSeconds()));
    }
    rs.write(true, ByteBuffer.wrap(FishEmulator.errorBody(status, message)), cb);
  }

  @Override
  public void onWebSocketOpen(Session session) {
    synchronized (this) {
      this.session = session;
    }
    emulator.openSockets().incrementAndGet();
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    try {
      byte[] bytes = new byte[payload.remaining()];
      payload.get(bytes);
      onFrame(bytes);
    } catch (RuntimeException e) {
      protocolError("Internal server error");
    } finally {
      callback.succeed();
    }
  }

  @Override
  public void onWebSocketText(String message) {
    // Fish ignores text frames; they are recorded (when a session is running) and dropped.
    synchronized (this) {
      if (live != null) {
        live.recorder.frame("text frame (ignored): " + message);
      }
    }
  }

  @Override
  public void onWebSocketPing(ByteBuffer payload) {
    Session s;
    synchronized (this) {
      s = session;
    }
    if (s != null && s.isOpen()) {
      ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
      copy.put(payload.duplicate()).flip();
      s.sendPong(copy, Callback.NOOP);
    }
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    ended();
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    ended();
  }

  private void ended() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (live != null) {
        live.lane.cancel();
        live.dead = true;
      }
    }
    emulator.openSockets().decrementAndGet();
    emulator.server().release(endPoint);
  }

  private synchronized void onFrame(byte[] bytes) {
    if (closed) {
      return;
    }
    Object decoded;
    try {
      decoded = FishCodec.unpack(bytes);
    } catch (FishCodec.MalformedException e) {
      if (live != null) {
        live.recorder.frame("malformed frame (" + bytes.length + " bytes)");
      }
      protocolError("Invalid message: " + e.getMessage());
      return;
    }
    Object event = decoded instanceof Map<?, ?> m ? m.get("event") : null;
    String rendered = FishCodec.render(decoded);
    if ("start".equals(event)) {
      onStart((Map<?, ?>) decoded, rendered);
      return;
    }
    if (!"text".equals(event) && !"flush".equals(event) && !"stop".equals(event)) {
      // Unknown events (and frames that are not event maps) are ignored.
      if (live != null) {
        live.recorder.frame(rendered);
      }
      return;
    }
    if (live == null) {
      if (!started) {
        protocolError("Expected a start event before " + event);
      }
      // Between sessions (after a finish), late input of the previous session is ignored.
      return;
    }
    Live s = live;
    s.recorder.frame(rendered);
    if (s.stopping) {
      return; // input after stop is ignored while the session drains
    }
    switch ((String) event) {
      case "text" -> {
        Object text = ((Map<?, ?>) decoded).get("text");
        if (!(text instanceof String t)) {
          protocolError("Invalid text event: text should be a valid string");
          return;
        }
        s.recorder.text(t);
        for (String chunk : s.buffer.append(t)) {
          generate(s, chunk);
        }
      }
      case "flush" -> {
        s.recorder.flush();
        generate(s, s.buffer.drain());
      }
      default -> {
        s.recorder.finished();
        s.stopping = true;
        generate(s, s.buffer.drain());
        s.lane.submit(() -> finish(s));
      }
    }
  }

  private void onStart(Map<?, ?> frame, String rendered) {
    if (live != null) {
      live.recorder.frame(rendered);
      protocolError("A session is already running on this connection; wait for finish");
      return;
    }
    started = true;
    SessionRecorder recorder = emulator.control().newSession(connection, headers);
    recorder.note("model", model);
    recorder.frame(rendered);
    FishRequest request =
        frame.containsKey("request") ? FishRequest.parse(frame.get("request"), true) : null;
    if (request == null || !request.valid()) {
      protocolError(
          request == null ? "Invalid request: request: Field required" : request.problem());
      return;
    }
    Fault fault = emulator.control().takeFault();
    live = new Live(recorder, request, fault);
    if (!request.text.isEmpty()) {
      recorder.text(request.text);
      for (String chunk : live.buffer.append(request.text)) {
        generate(live, chunk);
      }
    }
  }

  /** Synthesizes {@code text} now and queues its frames on the session's lane. */
  private void generate(Live s, String text) {
    String t = text.strip();
    if (t.isEmpty()) {
      return;
    }
    AudioFormat format = s.request.audioFormat();
    byte[] pcm = emulator.config().voice().synthesize(t, format.sampleRate());
    List<FishAudio.Frame> frames = s.audio.frames(pcm);
    Duration previous = null;
    for (FishAudio.Frame f : frames) {
      Duration delay =
          s.timeline.delay(
              previous == null
                  ? emulator.firstAudio(s.request.latency)
                  : emulator.config().profile().wallTimeOf(previous));
      previous = f.audio();
      s.lane.submit(delay, () -> sendAudio(s, f.payload()));
    }
  }

  /** On a pacer thread: one audio frame, unless a fault comes first. */
  private void sendAudio(Live s, byte[] payload) {
    synchronized (this) {
      if (s.dead || closed) {
        return;
      }
      if (faultDue(s)) {
        fireFault(s);
        if (s.dead) {
          return;
        }
      }
      s.recorder.audioSent(payload);
      s.framesSent++;
      ByteBuffer frame = ByteBuffer.wrap(FishCodec.audioEvent(payload));
      emulator.config().audioTap().writing("fish", payload);
      session.sendBinary(frame, Callback.NOOP);
    }
  }

  private boolean faultDue(Live s) {
    if (s.fault == null || s.faultFired) {
      return false;
    }
    int after = afterChunks(s.fault);
    return after >= 0 && s.framesSent >= after;
  }

  /** The frame count a mid-stream fault waits for, or -1 for other faults. */
  static int afterChunks(Fault fault) {
    if (fault instanceof Fault.ErrorFrame f) {
      return f.afterChunks();
    } else if (fault instanceof Fault.Disconnect f) {
      return f.afterChunks();
    } else if (fault instanceof Fault.Stall f) {
      return f.afterChunks();
    } else if (fault instanceof Fault.MalformedFrame f) {
      return f.afterChunks();
    } else if (fault instanceof Fault.OversizeFrame f) {
      return f.afterChunks();
    } else if (fault instanceof Fault.WrongFrameType f) {
      return f.afterChunks();
    }
    return -1;
  }

  /** Fires the session's fault (caller holds the lock). */
  private void fireFault(Live s) {
    s.faultFired = true;
    Fault fault = s.fault;
    if (fault instanceof Fault.ErrorFrame f) {
      s.dead = true;
      session.sendBinary(
          ByteBuffer.wrap(FishCodec.finishEvent("error", FishEmulator.errorFrameMessage(f.kind()))),
          Callback.NOOP);
      endSession(s);
    } else if (fault instanceof Fault.Disconnect f) {
      s.dead = true;
      if (f.abrupt()) {
        session.disconnect();
      } else {
        session.close(1000, Fault.MESSAGE, Callback.NOOP);
      }
    } else if (fault instanceof Fault.Stall) {
      s.dead = true;
    } else if (fault instanceof Fault.MalformedFrame) {
      session.sendBinary(ByteBuffer.wrap(MALFORMED.clone()), Callback.NOOP);
    } else if (fault instanceof Fault.OversizeFrame f) {
      byte[] payload = new byte[Math.max(0, f.bytes() - 24)];
      s.recorder.audioSent(payload);
      session.sendBinary(ByteBuffer.wrap(FishCodec.audioEvent(payload)), Callback.NOOP);
    } else if (fault instanceof Fault.WrongFrameType) {
      session.sendText(
          "{\"event\":\"audio\",\"note\":\"" + Fault.MESSAGE + ": a text frame\"}", Callback.NOOP);
    }
  }

  /** On a pacer thread, after the drained audio: {@code finish{stop}}. */
  private void finish(Live s) {
    synchronized (this) {
      if (s.dead || closed) {
        return;
      }
      // A mid-stream fault due after more frames than the session had fires before the finish,
      // so it is always observable.
      if (s.fault != null && !s.faultFired && afterChunks(s.fault) >= 0) {
        fireFault(s);
        if (s.dead) {
          return;
        }
      }
      s.recorder.completed(); // recorded first: a client may look at the record on receipt
      endSession(s);
      boolean closeNow =
          emulator.options().closeAfterFinish() || s.fault instanceof Fault.CloseAfterCompletion;
      boolean closeFrame =
          emulator.options().closeFrameAfterFinish()
              || s.fault instanceof Fault.CloseAfterCompletion;
      Session ws = session;
      Runnable after =
          !closeNow
              ? () -> {}
              : closeFrame ? () -> ws.close(1000, "", Callback.NOOP) : ws::disconnect;
      ws.sendBinary(
          ByteBuffer.wrap(FishCodec.finishEvent("stop", null)),
          Callback.from(after, x -> after.run()));
    }
  }

  private void endSession(Live s) {
    if (live == s) {
      live = null;
    }
  }

  /** A request-level failure: {@code {"event":"error","error":...}}, then close (1008). */
  private synchronized void protocolError(String message) {
    if (closed || session == null) {
      return;
    }
    if (live != null) {
      live.dead = true;
      live.lane.cancel();
      live = null;
    }
    Session s = session;
    s.sendBinary(
        ByteBuffer.wrap(FishCodec.errorEvent(message)),
        Callback.from(
            () -> ErrorClose.close(s, 1008, "invalid request", emulator.pacer().executor()),
            x -> s.close(1008, "invalid request", Callback.NOOP)));
  }
}
