package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.TransportException;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.kit.ws.WebSocketSessionBackend;
import dev.voicebridge.kit.ws.WebSocketSource;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;

/**
 * One session on its own {@code stream-input} WebSocket: init message, whole words, {@code flush},
 * {@code {"text": ""}} at finish; audio and word timings as frames arrive; {@code isFinal}
 * completes and the socket is closed politely; a keep-alive {@code " "} before the vendor's
 * inactivity timeout while the application has not finished.
 */
final class WebSocketBackend extends WebSocketSessionBackend {
  private final ElevenLabsRequest plan;
  private final WordChunker chunker = new WordChunker();
  private final AudioTimeline timeline;
  private boolean anyText; // this

  WebSocketBackend(WebSocketSource source, ElevenLabsRequest plan) {
    super(source);
    this.plan = plan;
    this.timeline = new AudioTimeline(plan.format(), plan.normalizedAlignment());
  }

  @Override
  protected void onStart() {
    sink.attribute("transport", "websocket");
    sink.attribute("endpoint", "stream-input");
    sink.attribute("output_format", plan.outputFormat());
    sink.attribute("model", plan.model());
    plan.warnings().forEach(sink::warn);
    send(ElevenLabsCodec.init(plan));
    keepAlive(Duration.ofNanos(plan.keepAliveNanos()), ElevenLabsCodec::keepAlive);
  }

  @Override
  public synchronized void text(String text) {
    anyText = true;
    for (String words : chunker.pushAll(text)) {
      send(ElevenLabsCodec.text(words));
    }
  }

  @Override
  public synchronized void flush() {
    send(ElevenLabsCodec.flush(chunker.drain()));
  }

  @Override
  protected void onFinish() {
    boolean empty;
    synchronized (this) {
      String tail = chunker.drain();
      if (tail != null) {
        send(ElevenLabsCodec.text(tail));
      }
      send(ElevenLabsCodec.endOfInput());
      empty = !anyText;
    }
    if (empty) {
      // nothing to say: complete now rather than depend on the server's answer to empty input
      complete(false);
    }
  }

  @Override
  protected void onMessage(Object message) {
    ServerFrame frame = ElevenLabsCodec.decodeFrame((String) message);
    if (frame.isError()) {
      fail(ElevenLabsErrors.fromErrorFrame(frame.error(), frame.message(), frame.code()));
      return;
    }
    Alignment a = plan.normalizedAlignment() ? frame.normalizedAlignment() : frame.alignment();
    List<WordTiming> words = timeline.chunk(frame.audio(), a);
    if (frame.audio() != null) {
      sink.audio(ByteBuffer.wrap(frame.audio()));
    }
    words.forEach(sink::wordTiming);
    if (frame.isFinal()) {
      if (!isFinished()) {
        fail(
            new TransportException(
                ElevenLabsSynthesizer.NAME, "the server sent isFinal before the end of input"));
        return;
      }
      timeline.end().forEach(sink::wordTiming);
      complete(false); // stream-input serves one session: closed politely
    }
  }

  @Override
  protected VoicebridgeException closedBeforeCompletion(int code, String reason) {
    return ElevenLabsErrors.fromClose(code, reason);
  }
}
