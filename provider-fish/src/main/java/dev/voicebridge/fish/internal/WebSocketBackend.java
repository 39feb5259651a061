package dev.voicebridge.fish.internal;

import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.internal.TextPieces;
import dev.voicebridge.kit.ws.WebSocketSessionBackend;
import dev.voicebridge.kit.ws.WebSocketSource;
import java.nio.ByteBuffer;

/**
 * One session over {@code /v1/tts/live}: {@code start}, one {@code text} per text (a text longer
 * than {@value #MAX_MESSAGE_CHARS} characters in sentence-sized pieces), {@code flush}, {@code
 * stop}; {@code audio} events to the sink in order; {@code finish{stop}} completes and the socket
 * goes back to the pool. Fish has no way to stop a request but closing its socket, so a cancel
 * discards it (the kit's default).
 */
// tag::ws-backend[]
final class WebSocketBackend extends WebSocketSessionBackend {
  /** The longest {@code text} event of a cut text: Fish's default {@code chunk_length}. */
  static final int MAX_MESSAGE_CHARS = 300;

  private final FishRequest request;

  WebSocketBackend(WebSocketSource source, FishRequest request) {
    super(source);
    this.request = request;
  }

  @Override
  protected void onStart() {
    sink.attribute("transport", "websocket");
    sink.attribute("model", request.model());
    request.warnings().forEach(sink::warn);
    send(ByteBuffer.wrap(FishCodec.start(request.request())));
  }

  @Override
  public void text(String text) {
    // a long text in sentence-sized pieces: the server starts on the first one right away
    for (String piece : TextPieces.split(text, MAX_MESSAGE_CHARS)) {
      send(ByteBuffer.wrap(FishCodec.text(piece)));
    }
  }

  @Override
  public void flush() {
    send(ByteBuffer.wrap(FishCodec.flush()));
  }

  @Override
  protected void onFinish() {
    send(ByteBuffer.wrap(FishCodec.stop()));
  }

  @Override
  protected void onMessage(Object message) {
    FishCodec.ServerEvent event = FishCodec.decode((ByteBuffer) message);
    if (event instanceof FishCodec.Audio a) {
      sink.audio(ByteBuffer.wrap(a.data()));
    } else if (event instanceof FishCodec.Finish f) {
      if (f.isStop()) {
        complete(true);
      } else {
        fail(FishErrors.forFinish(f));
      }
    } else if (event instanceof FishCodec.ErrorEvent e) {
      fail(FishErrors.forErrorEvent(e));
    }
    // Unknown events are ignored (ASYNC: "ignore unknown events")
  }

  @Override
  protected VoicebridgeException closedBeforeCompletion(int code, String reason) {
    return new TransportException(
        FishCodec.PROVIDER,
        "the server closed the WebSocket before the session's finish event (close code "
            + code
            + (reason == null || reason.isEmpty() ? "" : " " + reason)
            + ")");
  }
}
// end::ws-backend[]
