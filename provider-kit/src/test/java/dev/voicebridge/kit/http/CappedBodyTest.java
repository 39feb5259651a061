package dev.voicebridge.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class CappedBodyTest {

  /** A subscription that records what the subscriber asked for. */
  static final class Recorder implements Flow.Subscription {
    long requested;
    boolean cancelled;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  private static List<ByteBuffer> bytes(int n, int value) {
    byte[] a = new byte[n];
    java.util.Arrays.fill(a, (byte) value);
    return List.of(ByteBuffer.wrap(a));
  }

  @Test
  void aShortBodyIsReadWhole() throws Exception {
    CappedBody b = new CappedBody(16, true);
    Recorder r = new Recorder();
    b.onSubscribe(r);
    b.onNext(bytes(5, 'a'));
    b.onNext(bytes(3, 'b'));
    b.onComplete();
    assertThat(new String(b.getBody().toCompletableFuture().get())).isEqualTo("aaaaabbb");
    assertThat(r.cancelled).isFalse();
    assertThat(r.requested).as("one buffer list at a time").isEqualTo(3);
  }

  @Test
  void aLongBodyIsCutAtTheLimitAndCancelled() throws Exception {
    CappedBody b = new CappedBody(10, true);
    Recorder r = new Recorder();
    b.onSubscribe(r);
    b.onNext(bytes(6, 'a'));
    b.onNext(bytes(6, 'b'));
    b.onNext(bytes(6, 'c')); // after the cancel: ignored
    assertThat(new String(b.getBody().toCompletableFuture().get())).isEqualTo("aaaaaabbbb");
    assertThat(r.cancelled).isTrue();
  }

  @Test
  void aBrokenBodyGivesWhatWasReadOrTheFailureAsAsked() {
    CappedBody partial = new CappedBody(10, true);
    partial.onSubscribe(new Recorder());
    partial.onNext(bytes(2, 'x'));
    partial.onError(new IOException("reset"));
    assertThat(partial.getBody().toCompletableFuture().join()).containsExactly('x', 'x');

    CappedBody strict = new CappedBody(10, false);
    strict.onSubscribe(new Recorder());
    strict.onNext(bytes(2, 'x'));
    strict.onError(new IOException("reset"));
    assertThatThrownBy(() -> strict.getBody().toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class);
  }
}
