package dev.voicebridge.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ProtocolException;
import dev.voicebridge.kit.http.SseReader.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SseReaderTest {

  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(
            "event line and data, LF",
            "event: audio\ndata: {\"a\":1}\n\n",
            List.of(new Event("audio", "{\"a\":1}", null))),
        Arguments.of(
            "no event line",
            "data: {\"done\": true}\n\n",
            List.of(new Event("message", "{\"done\": true}", null))),
        Arguments.of(
            "CRLF line ends",
            "event: audio\r\ndata: x\r\n\r\ndata: y\r\n\r\n",
            List.of(new Event("audio", "x", null), new Event("message", "y", null))),
        Arguments.of("CR line ends", "data: x\r\rdata: y\r\r", List.of(ev("x"), ev("y"))),
        Arguments.of(
            "multi-line data joined with LF",
            "data: {\"audio\":\ndata: \"AA==\"}\n\n",
            List.of(ev("{\"audio\":\n\"AA==\"}"))),
        Arguments.of(
            "comments and unknown fields skipped",
            ": keep-alive\nretry: 100\nfoo: bar\ndata: x\n: another\n\n",
            List.of(ev("x"))),
        Arguments.of("no space after colon", "data:x\n\n", List.of(ev("x"))),
        Arguments.of("only one leading space removed", "data:  x\n\n", List.of(ev(" x"))),
        Arguments.of("field without colon is an empty value", "data\n\n", List.of(ev(""))),
        Arguments.of("event without data is not dispatched", "event: audio\n\n", List.of()),
        Arguments.of(
            "event name does not leak into the next event",
            "event: audio\ndata: a\n\ndata: b\n\n",
            List.of(new Event("audio", "a", null), ev("b"))),
        Arguments.of("id kept", "id: 7\ndata: a\n\n", List.of(new Event("message", "a", "7"))),
        Arguments.of("blank lines between events", "\n\n\ndata: a\n\n\n\n", List.of(ev("a"))),
        Arguments.of("byte order mark", "\uFEFFdata: a\n\n", List.of(ev("a"))),
        Arguments.of(
            "unterminated last event delivered at the end",
            "data: a\n\ndata: {\"done\": true}",
            List.of(ev("a"), ev("{\"done\": true}"))),
        Arguments.of("UTF-8 text", "data: नमस्ते €\n\n", List.of(ev("नमस्ते €"))));
  }

  private static Event ev(String data) {
    return new Event("message", data, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void wholeInput(String name, String input, List<Event> expected) {
    assertThat(parse(List.of(input.getBytes(StandardCharsets.UTF_8)))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}, split at every byte")
  @MethodSource("table")
  void splitAtEveryPosition(String name, String input, List<Event> expected) {
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= bytes.length; cut++) {
      byte[] a = java.util.Arrays.copyOfRange(bytes, 0, cut);
      byte[] b = java.util.Arrays.copyOfRange(bytes, cut, bytes.length);
      assertThat(parse(List.of(a, b))).as("split at %d", cut).isEqualTo(expected);
    }
  }

  @ParameterizedTest(name = "{0}, one byte at a time")
  @MethodSource("table")
  void oneByteAtATime(String name, String input, List<Event> expected) {
    byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
    List<byte[]> pieces = new ArrayList<>();
    for (byte x : bytes) {
      pieces.add(new byte[] {x});
    }
    assertThat(parse(pieces)).isEqualTo(expected);
  }

  @Test
  void crAtTheEndOfOneChunkAndLfAtTheStartOfTheNextIsOneLineEnd() {
    SseReader p = new SseReader("vendor", 1024);
    assertThat(p.feed("data: a\r".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(p.feed("\n\r".getBytes(StandardCharsets.UTF_8))).containsExactly(ev("a"));
    assertThat(p.feed("\ndata: b\n\n".getBytes(StandardCharsets.UTF_8))).containsExactly(ev("b"));
  }

  @Test
  void eventsAreReturnedAsSoonAsTheirBlankLineArrives() {
    SseReader p = new SseReader("vendor", 1024);
    assertThat(p.feed("data: a\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
    assertThat(p.feed("\n".getBytes(StandardCharsets.UTF_8))).containsExactly(ev("a"));
    assertThat(p.finish()).isEmpty();
  }

  @Test
  void overlongLineIsAProtocolError() {
    SseReader p = new SseReader("vendor", 16);
    assertThatThrownBy(() -> p.feed(("data: " + "x".repeat(40)).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("longer than 16");
  }

  @Test
  void overlongEventIsAProtocolError() {
    SseReader p = new SseReader("vendor", 16);
    assertThatThrownBy(
            () -> p.feed("data: 0123456789\ndata: 0123456789\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("larger than 16");
  }

  @Test
  void binaryWhereATextLineWasExpectedIsAProtocolError() {
    // raw audio bytes written into the stream run into the next data line: ignoring that line as
    // an unknown field would drop its event without a word
    byte[] raw = {0x00, (byte) 0xFF, 0x12, (byte) 0x80};
    byte[] next = "data: {\"status\":\"chunk\"}\n\n".getBytes(StandardCharsets.UTF_8);
    byte[] input = java.util.Arrays.copyOf(raw, raw.length + next.length);
    System.arraycopy(next, 0, input, raw.length, next.length);
    assertThatThrownBy(() -> parse(List.of(input)))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("binary data");
  }

  private static List<Event> parse(List<byte[]> pieces) {
    SseReader p = new SseReader("vendor", 1 << 16);
    List<Event> out = new ArrayList<>();
    for (byte[] piece : pieces) {
      out.addAll(p.feed(ByteBuffer.wrap(piece)));
    }
    out.addAll(p.finish());
    return out;
  }
}
