package dev.voicebridge.conformance;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.TransportException;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.spi.conformance.Fault;
import dev.voicebridge.spi.conformance.ServerControl;
import dev.voicebridge.spi.conformance.ServerRecord;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory "server" for the reference provider: it buffers text until a flush or the end, sends
 * deterministic audio in small frames on its own thread honouring back pressure, injects faults and
 * records what it did. It proves the conformance suite itself.
 */
final class ReferenceServer implements ServerControl, AutoCloseable {
  static final int BYTES_PER_CHAR = 160;
  static final int FRAME = 640;

  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(r -> new Thread(r, "reference-emulator"));
  private final ArrayDeque<Fault> faults = new ArrayDeque<>();
  private final List<Conversation> conversations = new ArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();

  @Override
  public Set<Class<? extends Fault>> supportedFaults() {
    return Set.of(
        Fault.HandshakeStatus.class,
        Fault.ErrorFrame.class,
        Fault.Disconnect.class,
        Fault.Stall.class,
        Fault.MalformedFrame.class,
        Fault.OversizeFrame.class,
        Fault.WrongFrameType.class,
        Fault.CloseAfterCompletion.class);
  }

  @Override
  public synchronized void inject(Fault fault) {
    faults.add(fault);
  }

  @Override
  public synchronized void clearFaults() {
    faults.clear();
  }

  @Override
  public synchronized List<ServerRecord> sessions() {
    List<ServerRecord> out = new ArrayList<>();
    for (Conversation c : conversations) {
      out.add(c.snapshot());
    }
    return out;
  }

  @Override
  public int openConnections() {
    return open.get();
  }

  @Override
  public int connectionsAccepted() {
    return accepted.get();
  }

  @Override
  public synchronized void reset() {
    faults.clear();
    conversations.clear();
    accepted.set(0);
  }

  @Override
  public void close() throws InterruptedException {
    thread.shutdownNow();
    thread.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A connection for one session; all work runs on the server thread. */
  Conversation connect(SynthesisSink sink, int maxFrameBytes, String key) {
    Conversation c;
    synchronized (this) {
      c = new Conversation(sink, faults.poll(), accepted.incrementAndGet(), maxFrameBytes, key);
      conversations.add(c);
    }
    thread.execute(c::handshake);
    return c;
  }

  final class Conversation {
    private final SynthesisSink sink;
    private final Fault fault;
    private final int id;
    private final int maxFrameBytes;
    private final String key;
    private final StringBuilder buffer = new StringBuilder();
    private final StringBuilder text = new StringBuilder();
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private final MessageDigest digest;
    private final List<String> prefixes = new ArrayList<>();
    private int textMessages;
    private int flushes;
    private boolean finished;
    private int framesSent;
    private long bytesSent;
    private boolean completed;
    private boolean closed;
    private boolean pumping;
    private boolean oversizeSent;

    Conversation(SynthesisSink sink, Fault fault, int id, int maxFrameBytes, String key) {
      this.key = key;
      this.sink = sink;
      this.fault = fault;
      this.id = id;
      this.maxFrameBytes = maxFrameBytes;
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      prefixes.add(sha());
    }

    void handshake() {
      if (fault instanceof Fault.HandshakeStatus h) {
        closed = true;
        sink.fail(
            forStatus(
                sink.provider(), h.status(), null, "refused: " + Fault.MESSAGE, h.retryAfter()));
        return;
      }
      open.incrementAndGet();
      sink.connected(false);
    }

    void text(String t) {
      thread.execute(
          () -> {
            textMessages++;
            text.append(t);
            buffer.append(t);
          });
    }

    void flush() {
      thread.execute(
          () -> {
            flushes++;
            generate();
            pump();
          });
    }

    void finish() {
      thread.execute(
          () -> {
            finished = true;
            generate();
            pump();
          });
    }

    void cancel() {
      thread.execute(this::close);
    }

    private void close() {
      if (!closed) {
        closed = true;
        open.decrementAndGet();
      }
    }

    private void generate() {
      byte[] audio = new byte[buffer.length() * BYTES_PER_CHAR];
      for (int i = 0; i < audio.length; i++) {
        audio[i] = (byte) (i * 7 + buffer.charAt(i / BYTES_PER_CHAR));
      }
      buffer.setLength(0);
      for (int off = 0; off < audio.length; off += FRAME) {
        byte[] f = new byte[Math.min(FRAME, audio.length - off)];
        System.arraycopy(audio, off, f, 0, f.length);
        frames.add(f);
      }
    }

    private boolean faultDue(int after) {
      return framesSent == after;
    }

    private void pump() {
      if (closed || pumping) {
        return;
      }
      if (fault instanceof Fault.Stall s && faultDue(s.afterChunks())) {
        return;
      }
      if (fault instanceof Fault.ErrorFrame e && faultDue(e.afterChunks())) {
        close();
        sink.fail(
            forStatus(
                sink.provider(),
                switch (e.kind()) {
                  case SERVER -> 500;
                  case AUTHENTICATION -> 401;
                  case QUOTA -> 402;
                  case RATE_LIMIT -> 429;
                  case INVALID_REQUEST -> 400;
                },
                e.kind().name().toLowerCase(java.util.Locale.ROOT),
                "error frame: " + Fault.MESSAGE,
                null));
        return;
      }
      if (fault instanceof Fault.OversizeFrame o && faultDue(o.afterChunks()) && !oversizeSent) {
        // the "client side" of the reference provider checks the frame size before taking it
        oversizeSent = true;
        if (o.bytes() > maxFrameBytes) {
          close();
          sink.fail(
              new ProtocolException(
                  sink.provider(),
                  "a frame of " + o.bytes() + " bytes exceeds max-frame-bytes " + maxFrameBytes));
          return;
        }
        frames.addFirst(new byte[o.bytes()]);
      }
      if (fault instanceof Fault.WrongFrameType w && faultDue(w.afterChunks())) {
        close();
        sink.fail(new ProtocolException(sink.provider(), "a text frame where audio was expected"));
        return;
      }
      if (fault instanceof Fault.Disconnect d && faultDue(d.afterChunks())) {
        close();
        sink.fail(new TransportException(sink.provider(), "connection closed before completion"));
        return;
      }
      if (fault instanceof Fault.MalformedFrame m && faultDue(m.afterChunks())) {
        close();
        sink.fail(new ProtocolException(sink.provider(), "malformed frame"));
        return;
      }
      byte[] f = frames.poll();
      if (f == null) {
        if (finished) {
          completed = true;
          close();
          sink.complete();
        }
        return;
      }
      framesSent++;
      bytesSent += f.length;
      digest.update(f);
      prefixes.add(sha());
      sink.audio(ByteBuffer.wrap(f));
      pumping = true;
      sink.whenReady(
          () ->
              thread.execute(
                  () -> {
                    pumping = false;
                    pump();
                  }));
    }

    private String sha() {
      try {
        return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
      } catch (CloneNotSupportedException e) {
        throw new IllegalStateException(e);
      }
    }

    synchronized ServerRecord snapshot() {
      return new ServerRecord(
          id,
          text.toString(),
          textMessages,
          flushes,
          finished,
          framesSent,
          bytesSent,
          sha(),
          prefixes,
          completed,
          Map.of("authorization", List.of("Bearer " + key)),
          List.of());
    }
  }

  /** The reference vendor's errors: the status read as the api's exception tree reads it. */
  static dev.voicebridge.ProviderException forStatus(
      String provider, int status, String code, String message, java.time.Duration retryAfter) {
    String text = "HTTP " + status + ": " + message;
    return switch (status) {
      case 401 -> new dev.voicebridge.AuthenticationException(provider, status, code, text);
      case 402 -> new dev.voicebridge.QuotaExceededException(provider, status, code, text);
      case 403 -> new dev.voicebridge.PermissionDeniedException(provider, status, code, text);
      case 429 ->
          new dev.voicebridge.RateLimitedException(provider, status, code, text, retryAfter);
      default ->
          status >= 500 || status == 408
              ? new dev.voicebridge.ProviderUnavailableException(provider, status, code, text)
              : new dev.voicebridge.InvalidRequestException(provider, status, code, text);
    };
  }
}
