package dev.voicebridge.smallest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.voicebridge.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz tests of every decoder of server input: WebSocket frames, SSE event data, the SSE stream
 * parser and HTTP error bodies. Any input either decodes or raises {@link ProtocolException}; never
 * another exception, a hang or unbounded allocation.
 *
 * <p>A plain {@code mvn test} runs the committed inputs under {@code
 * src/test/resources/dev/voicebridge/smallest/internal/SmallestFuzzTestInputs/<method>/}; {@code
 * JAZZER_FUZZ=1} fuzzes (see docs/reliability.md).
 */
class SmallestFuzzTest {

  /** A WebSocket text frame: the input as UTF-8. */
  @FuzzTest(maxDuration = "5m")
  void decodeWs(byte[] input) {
    SmallestCodec.WsFrame f;
    try {
      f = SmallestCodec.decodeWs(new String(input, StandardCharsets.UTF_8));
    } catch (ProtocolException expected) {
      return;
    }
    assertThat(f).isNotNull();
    if (f instanceof SmallestCodec.Chunk c) {
      assertThat(c.audio()).isNotNull();
    } else if (f instanceof SmallestCodec.WordTimestamp w) {
      assertThat(w.start()).isBetween(0.0, w.end());
    } else if (f instanceof SmallestCodec.ErrorFrame e) {
      assertThat(e.message()).isNotNull();
    }
  }

  /** One SSE event: the first line is the event name, the rest its data. */
  @FuzzTest(maxDuration = "5m")
  void decodeSse(byte[] input) {
    String s = new String(input, StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    String event = nl < 0 ? "message" : s.substring(0, nl);
    String data = nl < 0 ? s : s.substring(nl + 1);
    SmallestCodec.SseFrame f;
    try {
      f = SmallestCodec.decodeSse(event, data);
    } catch (ProtocolException expected) {
      return;
    }
    assertThat(f).isNotNull();
    if (f instanceof SmallestCodec.SseError e) {
      assertThat(e.message()).isNotNull();
      assertThat(e.status() == -1 || e.status() >= 400).isTrue();
    }
  }

  /**
   * The SSE stream parser fed in network chunks: the first byte sets the chunk size (1..16), the
   * rest is the stream. Events never exceed the parser's limit.
   */
  @FuzzTest(maxDuration = "5m")
  void sseParser(byte[] input) {
    int limit = 256;
    dev.voicebridge.kit.http.SseReader parser =
        new dev.voicebridge.kit.http.SseReader(SmallestCodec.PROVIDER, limit);
    int step = input.length == 0 ? 1 : (input[0] & 0x0F) + 1;
    List<dev.voicebridge.kit.http.SseReader.Event> events = new ArrayList<>();
    try {
      for (int i = 1; i < input.length; i += step) {
        events.addAll(
            parser.feed(ByteBuffer.wrap(input, i, Math.min(step, input.length - i)).slice()));
      }
      events.addAll(parser.finish());
    } catch (ProtocolException expected) {
      return;
    }
    for (dev.voicebridge.kit.http.SseReader.Event e : events) {
      assertThat(e.event()).isNotEmpty();
      assertThat(e.data().length()).isLessThanOrEqualTo(limit);
    }
  }

  /** An HTTP error body never throws: it becomes a message and maybe a code. */
  @FuzzTest(maxDuration = "5m")
  void httpError(byte[] input) {
    String[] mc = SmallestCodec.httpError(new String(input, StandardCharsets.UTF_8));
    assertThat(mc).hasSize(2);
    assertThat(mc[0]).isNotNull();
    assertThat(mc[0].length()).isLessThanOrEqualTo(503);
  }
}
