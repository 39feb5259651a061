package dev.voicebridge.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The allocation-free side of {@link SseReader}: the handler API, line ends found eight bytes at a
 * time, chunks without an accessible array, reuse across streams.
 */
class SseReaderHandlerTest {
  private static final String STREAM =
      "\uFEFFevent: audio\r\ndata: {\"audio\": \"QUJD\", \"done\": false}\r\n\r\n"
          + ": a comment\n"
          + "id: 7\ndata: first\rdata: sécond line ü\r\n\n"
          + "data: {\"done\": true}\n\n";

  private static List<String> viaHandler(SseReader p, byte[] bytes, int step, boolean direct) {
    List<String> out = new ArrayList<>();
    SseReader.Handler h =
        (event, data, off, len, id) -> {
          out.add(event + "|" + new String(data, off, len, StandardCharsets.UTF_8) + "|" + id);
          return true;
        };
    for (int i = 0; i < bytes.length; i += step) {
      int n = Math.min(step, bytes.length - i);
      ByteBuffer b;
      if (direct) {
        b = ByteBuffer.allocateDirect(n);
        b.put(bytes, i, n).flip();
      } else {
        b = ByteBuffer.wrap(bytes, i, n).slice().asReadOnlyBuffer();
      }
      assertThat(p.feed(b, h)).isTrue();
      assertThat(b.hasRemaining()).isFalse();
    }
    p.finish(h);
    return out;
  }

  @Test
  void everyChunkingAndBufferKindGivesTheSameEvents() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    List<String> expected =
        List.of(
            "audio|{\"audio\": \"QUJD\", \"done\": false}|null",
            "message|first\nsécond line ü|7",
            "message|{\"done\": true}|7");
    for (int step = 1; step <= bytes.length; step++) {
      assertThat(viaHandler(new SseReader("vendor", 1024), bytes, step, false))
          .as("step " + step)
          .isEqualTo(expected);
      assertThat(viaHandler(new SseReader("vendor", 1024), bytes, step, true))
          .as("direct, step " + step)
          .isEqualTo(expected);
    }
  }

  @Test
  void resetStartsANewStreamWithTheSameParser() {
    SseReader p = new SseReader("vendor", 1024);
    p.feed("event: audio\ndata: half".getBytes(StandardCharsets.UTF_8));
    p.reset();
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    assertThat(viaHandler(p, bytes, 5, false)).hasSize(3);
  }

  @Test
  void aHandlerReturningFalseStopsTheFeed() {
    SseReader p = new SseReader("vendor", 1024);
    List<String> seen = new ArrayList<>();
    boolean go =
        p.feed(
            ByteBuffer.wrap("data: a\n\ndata: b\n\n".getBytes(StandardCharsets.UTF_8)),
            (e, d, off, len, id) -> {
              seen.add(new String(d, off, len, StandardCharsets.UTF_8));
              return false;
            });
    assertThat(go).isFalse();
    assertThat(seen).containsExactly("a");
  }

  @Test
  void lineEndsAreFoundAtEveryPositionOfAWord() {
    Random r = new Random(3);
    for (int len = 0; len < 40; len++) {
      for (int at = -1; at < len; at++) {
        byte[] a = new byte[len + 5];
        for (int i = 0; i < a.length; i++) {
          byte b;
          do {
            b = (byte) r.nextInt(256);
          } while (b == '\n' || b == '\r');
          a[i] = b;
        }
        if (at >= 0) {
          a[5 + at] = (byte) (r.nextBoolean() ? '\n' : '\r');
          if (at + 1 < len) {
            a[5 + at + 1] = '\n';
          }
        }
        assertThat(SseReader.lineEnd(a, 5, a.length)).isEqualTo(at < 0 ? -1 : 5 + at);
      }
    }
  }

  @Test
  void aLineOverTheLimitFailsBeforeItIsBufferedWhole() {
    SseReader p = new SseReader("vendor", 1024);
    byte[] part = new byte[600];
    Arrays.fill(part, (byte) 'x');
    p.feed(ByteBuffer.wrap("data: ".getBytes(StandardCharsets.UTF_8)), (e, d, o, l, i) -> true);
    p.feed(ByteBuffer.wrap(part), (e, d, o, l, i) -> true);
    assertThatThrownBy(() -> p.feed(ByteBuffer.wrap(part), (e, d, o, l, i) -> true))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("max-frame-bytes");
  }
}
