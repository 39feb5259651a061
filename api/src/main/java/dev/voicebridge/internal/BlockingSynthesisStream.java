package dev.voicebridge.internal;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.SynthesisCancelledException;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The pull view: a subscriber that keeps a window of {@code prefetch} events requested and hands
 * them to a blocking iterator. Its callbacks never block.
 */
final class BlockingSynthesisStream implements SynthesisStream, Flow.Subscriber<SynthesisEvent> {
  private static final Object END = new Object();

  private final SynthesisSession session;
  private final int prefetch;
  private final LinkedBlockingQueue<Object> items = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private Object next; // peeked item, reader thread only
  private boolean ended; // reader thread only
  private int consumedSinceRequest; // reader thread only
  private AudioInputStream audio;

  BlockingSynthesisStream(SynthesisSession session, int prefetch) {
    this.session = session;
    this.prefetch = prefetch;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(prefetch);
  }

  @Override
  public void onNext(SynthesisEvent item) {
    items.add(item);
  }

  @Override
  public void onError(Throwable t) {
    items.add(t);
  }

  @Override
  public void onComplete() {
    items.add(END);
  }

  private void consumed() {
    if (++consumedSinceRequest >= Math.max(1, prefetch / 2)) {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.request(consumedSinceRequest);
      }
      consumedSinceRequest = 0;
    }
  }

  private Object take(Duration timeout) throws InterruptedException {
    if (next != null) {
      return next;
    }
    Object item =
        timeout == null ? items.take() : items.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    next = item;
    return item;
  }

  @Override
  public boolean hasNext() {
    if (ended) {
      return false;
    }
    Object item;
    try {
      item = take(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session.cancel();
      throw new SynthesisCancelledException(session.provider());
    }
    if (item == END) {
      ended = true;
      next = null;
      return false;
    }
    if (item instanceof Throwable t) {
      ended = true;
      next = null;
      throw asUnchecked(t);
    }
    return true;
  }

  private static RuntimeException asUnchecked(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    return new VoicebridgeException(null, t.toString(), t);
  }

  @Override
  public SynthesisEvent next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the session has ended");
    }
    SynthesisEvent e = (SynthesisEvent) next;
    next = null;
    consumed();
    return e;
  }

  @Override
  public SynthesisEvent poll(Duration timeout) throws InterruptedException {
    if (ended) {
      return null;
    }
    Object item = take(timeout);
    if (item == null) {
      return null;
    }
    return hasNext() ? next() : null;
  }

  @Override
  public synchronized InputStream audio() {
    if (audio == null) {
      audio = new AudioInputStream();
    }
    return audio;
  }

  @Override
  public byte[] readAllAudio() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (hasNext()) {
      if (next() instanceof AudioChunk c) {
        ByteBuffer b = c.data();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        out.writeBytes(bytes);
      }
    }
    return out.toByteArray();
  }

  @Override
  public SynthesisReport report() {
    try {
      return session.completion().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session.cancel();
      throw new SynthesisCancelledException(session.provider());
    } catch (ExecutionException | CompletionException e) {
      throw asUnchecked(e.getCause());
    }
  }

  @Override
  public SynthesisSession session() {
    return session;
  }

  @Override
  public void close() {
    session.cancel();
  }

  /** The audio bytes of the stream's chunks; failures surface as IOException with the cause. */
  private final class AudioInputStream extends InputStream {
    private ByteBuffer current = ByteBuffer.allocate(0);

    private boolean fill() throws IOException {
      while (!current.hasRemaining()) {
        try {
          if (!hasNext()) {
            return false;
          }
        } catch (VoicebridgeException e) {
          throw new IOException(e.getMessage(), e);
        }
        if (BlockingSynthesisStream.this.next() instanceof AudioChunk c) {
          current = c.data();
        }
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? current.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, current.remaining());
      current.get(b, off, n);
      return n;
    }

    @Override
    public int available() {
      return current.remaining();
    }

    @Override
    public void close() {
      BlockingSynthesisStream.this.close();
    }
  }
}
