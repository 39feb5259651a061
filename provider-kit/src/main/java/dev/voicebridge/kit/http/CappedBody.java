package dev.voicebridge.kit.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads at most {@code limit} bytes of a response body (an error page, for its message), then
 * cancels the rest: a hostile or broken server cannot make the client buffer an unbounded body. The
 * body is what was read when the response ended or the limit was reached. Shared by the HTTP
 * adapters; not public API.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
  private final int limit;
  private final boolean partialOnError;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private Flow.Subscription sub;

  /**
   * @param limit the most bytes kept
   * @param partialOnError if the body breaks: true completes with what was read, false completes
   *     exceptionally with the failure
   */
  CappedBody(int limit, boolean partialOnError) {
    this.limit = limit;
    this.partialOnError = partialOnError;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    sub = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = Math.min(b.remaining(), limit - bytes.size());
      byte[] part = new byte[n];
      b.get(part);
      bytes.writeBytes(part);
      if (bytes.size() >= limit) {
        sub.cancel();
        body.complete(bytes.toByteArray());
        return;
      }
    }
    sub.request(1);
  }

  @Override
  public void onError(Throwable t) {
    if (partialOnError) {
      body.complete(bytes.toByteArray());
    } else {
      body.completeExceptionally(t);
    }
  }

  @Override
  public void onComplete() {
    body.complete(bytes.toByteArray());
  }
}
