package dev.voicebridge.fish.internal;

import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SynthesisSink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * One session over {@code /v1/tts/live}: {@code start}, one {@code text} per text, {@code flush},
 * {@code stop}; {@code audio} events to the sink in order, {@code finish{stop}} completes and
 * returns the socket to the pool.
 *
 * <p>Until the first event of the session arrives, every frame sent is kept, so that when a pooled
 * socket turns out to have been closed by the server (it closed after the previous {@code finish})
 * the session is replayed on a fresh socket with nothing lost. Only a reused socket is replaced,
 * and only once.
 */
final class FishWsSession implements SessionBackend {
  private final FishSocketPool pool;
  private final FishRequest request;
  private final Runnable onEnd;

  private SynthesisSink sink;
  private final List<byte[]> log = new ArrayList<>(); // guarded by this; null once replay is off
  private boolean replayable = true;
  private FishSocket socket; // guarded by this
  private boolean reused;
  private boolean replaced;
  private boolean done;

  FishWsSession(FishSocketPool pool, FishRequest request, Runnable onEnd) {
    this.pool = pool;
    this.request = request;
    this.onEnd = onEnd;
  }

  @Override
  public void start(SynthesisSink s) {
    this.sink = s;
    s.attribute("transport", "websocket");
    s.attribute("model", request.model());
    request.warnings().forEach(s::warn);
    synchronized (this) {
      log.add(FishCodec.start(request.request()));
    }
    pool.acquire(request.model())
        .whenComplete(
            (lease, error) -> {
              if (error != null) {
                end(unwrap(error));
              } else {
                attach(lease.socket(), lease.reused(), true);
              }
            });
  }

  private void attach(FishSocket s, boolean wasReused, boolean first) {
    List<byte[]> replay;
    synchronized (this) {
      if (done) {
        pool.release(s); // cancelled while connecting: the socket is clean, keep it
        return;
      }
      socket = s;
      reused = wasReused;
      s.attach(this);
      replay = new ArrayList<>(log);
      for (byte[] frame : replay) {
        sendOn(s, frame);
      }
    }
    if (first) {
      sink.connected(wasReused);
    }
    sink.attribute("connection", wasReused ? "reused" : "new");
  }

  private void sendOn(FishSocket s, byte[] frame) {
    // called with this held, so frames are queued on the socket in order
    s.send(frame)
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                connectionLost(
                    s,
                    new TransportException(
                        FishCodec.PROVIDER, "sending to the WebSocket failed: " + unwrapMsg(e), e));
              }
            });
  }

  private synchronized void send(byte[] frame) {
    if (done) {
      return;
    }
    if (replayable) {
      log.add(frame);
    }
    if (socket != null) {
      sendOn(socket, frame);
    }
  }

  @Override
  public void text(String text) {
    send(FishCodec.text(text));
  }

  @Override
  public void flush() {
    send(FishCodec.flush());
  }

  @Override
  public void finish() {
    send(FishCodec.stop());
  }

  @Override
  public void cancel() {
    FishSocket s;
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      s = socket;
      socket = null;
    }
    if (s != null) {
      s.detach(this);
      s.discard(); // Fish has no way to abort a session but closing its socket
    }
    onEnd.run();
  }

  void whenReady(Runnable action) {
    SynthesisSink s = sink;
    if (s == null || s.isDone()) {
      action.run();
    } else {
      s.whenReady(action);
    }
  }

  /** An event for this session, from its socket's listener thread. */
  void onEvent(FishSocket from, FishCodec.ServerEvent event) {
    synchronized (this) {
      if (done || from != socket) {
        return;
      }
      if (!(event instanceof FishCodec.Unknown)) {
        replayable = false;
        log.clear();
      }
    }
    if (event instanceof FishCodec.Audio a) {
      sink.audio(ByteBuffer.wrap(a.data()));
    } else if (event instanceof FishCodec.Finish f) {
      if (f.isStop()) {
        synchronized (this) {
          done = true;
          socket = null;
        }
        from.detach(this);
        pool.release(from);
        sink.complete();
        onEnd.run();
      } else {
        fail(from, FishErrors.forFinish(f, pool.secret()));
      }
    } else if (event instanceof FishCodec.ErrorEvent e) {
      fail(from, FishErrors.forErrorEvent(e, pool.secret()));
    }
    // Unknown events are ignored (ASYNC: "ignore unknown events")
  }

  /** The socket failed this session (a bad frame, an error event): discard it and fail. */
  void fail(FishSocket from, VoicebridgeException error) {
    synchronized (this) {
      if (done || from != socket) {
        return;
      }
      socket = null;
    }
    from.detach(this);
    from.discard();
    end(error);
  }

  /** The socket closed or a send failed: replay on a fresh socket if nothing was received yet. */
  void connectionLost(FishSocket from, VoicebridgeException error) {
    boolean replay;
    synchronized (this) {
      if (done || from != socket) {
        return;
      }
      socket = null;
      from.detach(this);
      replay = replayable && reused && !replaced;
      replaced = true;
      if (!replay) {
        replayable = false;
        log.clear();
      }
    }
    from.discard();
    if (!replay) {
      end(error);
      return;
    }
    sink.attribute("connection.replaced", "true");
    pool.connect(request.model())
        .whenComplete(
            (fresh, e) -> {
              if (e != null) {
                end(unwrap(e));
              } else {
                attach(fresh, false, false);
              }
            });
  }

  private void end(VoicebridgeException error) {
    synchronized (this) {
      if (done) {
        return;
      }
      done = true;
      socket = null;
    }
    sink.fail(error);
    onEnd.run();
  }

  static VoicebridgeException unwrap(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof VoicebridgeException v) {
      return v;
    }
    return new TransportException(FishCodec.PROVIDER, String.valueOf(t), t);
  }

  private static String unwrapMsg(Throwable e) {
    Throwable t = e;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
