package dev.voicebridge.fish.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

/**
 * The hand-written frame decoder ({@link FishCodec#decode}) against every MessagePack encoding a
 * server may choose, and against msgpack-core's general reader ({@link FishCodec#unpack}) on random
 * frames: both must agree on every event, and on which frames are malformed.
 */
class FishDecodeTest {

  /** Raw MessagePack bytes, written by hand to reach the encodings a packer never picks. */
  private static final class Raw {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Raw b(int... bytes) {
      for (int x : bytes) {
        out.write(x);
      }
      return this;
    }

    Raw u16(int v) {
      return b(v >>> 8, v & 0xff);
    }

    Raw u32(long v) {
      return b(
          (int) (v >>> 24) & 0xff, (int) (v >>> 16) & 0xff, (int) (v >>> 8) & 0xff, (int) v & 0xff);
    }

    Raw bytes(byte[] data) {
      out.writeBytes(data);
      return this;
    }

    /** A string in the given header form: 0 fixstr, 8 str8, 16 str16, 32 str32. */
    Raw str(String s, int form) {
      byte[] d = s.getBytes(StandardCharsets.UTF_8);
      switch (form) {
        case 0 -> b(0xa0 | d.length);
        case 8 -> b(0xd9, d.length);
        case 16 -> b(0xda).u16(d.length);
        default -> b(0xdb).u32(d.length);
      }
      return bytes(d);
    }

    /** A binary in the given header form: 8 bin8, 16 bin16, 32 bin32. */
    Raw bin(byte[] d, int form) {
      switch (form) {
        case 8 -> b(0xc4, d.length);
        case 16 -> b(0xc5).u16(d.length);
        default -> b(0xc6).u32(d.length);
      }
      return bytes(d);
    }

    ByteBuffer buffer() {
      return ByteBuffer.wrap(out.toByteArray()).asReadOnlyBuffer();
    }
  }

  @Test
  void everyStringAndBinaryHeaderFormIsRead() {
    byte[] pcm = new byte[200]; // fits every form, bin8 included
    new Random(1).nextBytes(pcm);
    int[] strForms = {0, 8, 16, 32};
    int[] binForms = {8, 16, 32};
    for (int sf : strForms) {
      for (int bf : binForms) {
        ByteBuffer frame =
            new Raw()
                .b(0xde)
                .u16(2)
                .str("event", sf)
                .str("audio", sf)
                .str("audio", sf)
                .bin(pcm, bf)
                .buffer();
        assertThat(((FishCodec.Audio) FishCodec.decode(frame)).data())
            .as("str form %d, bin form %d", sf, bf)
            .isEqualTo(pcm);
      }
    }
    ByteBuffer map32 =
        new Raw()
            .b(0xdf)
            .u32(2)
            .str("event", 0)
            .str("finish", 32)
            .str("reason", 8)
            .str("stop", 16)
            .buffer();
    assertThat(FishCodec.decode(map32)).isEqualTo(new FishCodec.Finish("stop", null, null));
  }

  @Test
  void everyKindOfUnknownValueIsSkipped() {
    Raw r = new Raw().b(0x80 | 15);
    r.str("event", 0).str("audio", 0);
    r.str("f32", 0).b(0xca, 0, 0, 0, 0);
    r.str("f64", 0).b(0xcb, 0, 0, 0, 0, 0, 0, 0, 0);
    r.str("ints", 0).b(0x96, 0x7f, 0xe0, 0xcc, 1, 0xd1, 1, 2).b(0xce).u32(7).b(0xd3).u32(0).u32(1);
    r.str("bools", 0).b(0x93, 0xc2, 0xc3, 0xc0);
    r.str("fixext", 0).b(0x95, 0xd4, 1, 0, 0xd5, 1, 0, 0, 0xd6, 1).u32(0).b(0xd7, 1).u32(0).u32(0);
    r.b(0xd8, 1).u32(0).u32(0).u32(0).u32(0);
    r.str("ext", 0).b(0x93, 0xc7, 2, 5, 9, 9, 0xc8, 0, 1, 5, 9, 0xc9).u32(1).b(5, 9);
    r.str("deep", 0);
    for (int i = 0; i < 10_000; i++) {
      r.b(0x91); // an array of an array of ... (deeper than any stack would allow recursing)
    }
    r.b(0x80);
    r.str("map", 0).b(0x82, 0x01, 0x02, 0xa1, 'k', 0x90);
    r.str("bin", 0).bin(new byte[3], 8);
    r.b(0x01).str("a non-string key", 0);
    r.b(0x92, 1, 2).b(0x80); // an array as a key
    r.str("array16", 0).b(0xdc).u16(1).b(0xc0);
    r.str("array32", 0).b(0xdd).u32(1).b(0xc0);
    r.str("audio", 0).bin(new byte[] {4, 2}, 8);
    assertThat(((FishCodec.Audio) FishCodec.decode(r.buffer())).data()).containsExactly(4, 2);
  }

  @Test
  void statusIsReadInEveryIntegerWidthAndOutOfRangeIsNull() {
    Object[][] cases = {
      {new int[] {0x2a}, 42},
      {new int[] {0xff}, -1},
      {new int[] {0xcc, 0xc8}, 200},
      {new int[] {0xcd, 0x01, 0xf4}, 500},
      {new int[] {0xce, 0x7f, 0xff, 0xff, 0xff}, Integer.MAX_VALUE},
      {new int[] {0xce, 0x80, 0, 0, 0}, null},
      {new int[] {0xcf, 0, 0, 0, 0, 0, 0, 0x01, 0xad}, 429},
      {new int[] {0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, null},
      {new int[] {0xd0, 0x80}, -128},
      {new int[] {0xd1, 0x80, 0x00}, -32768},
      {new int[] {0xd2, 0x80, 0, 0, 0}, Integer.MIN_VALUE},
      {new int[] {0xd3, 0xff, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff}, null},
      {new int[] {0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}, -2},
      {new int[] {0xa3, '4', '2', '9'}, null},
      {new int[] {0xcb, 0, 0, 0, 0, 0, 0, 0, 0}, null}
    };
    for (Object[] c : cases) {
      ByteBuffer frame =
          new Raw()
              .b(0x82)
              .str("event", 0)
              .str("error", 0)
              .str("status", 0)
              .b((int[]) c[0])
              .buffer();
      assertThat(((FishCodec.ErrorEvent) FishCodec.decode(frame)).status())
          .as("status bytes %s", java.util.Arrays.toString((int[]) c[0]))
          .isEqualTo(c[1]);
    }
  }

  @Test
  void lengthsBeyondTheFrameAndNeverUsedBytesInsideValuesAreProtocolErrors() {
    List<ByteBuffer> bad =
        List.of(
            new Raw()
                .b(0x82)
                .str("event", 0)
                .str("audio", 0)
                .str("audio", 0)
                .b(0xc6)
                .u32(0xffff_ffffL)
                .buffer(),
            new Raw()
                .b(0x82)
                .str("event", 0)
                .str("log", 0)
                .str("x", 0)
                .b(0xdd)
                .u32(0xffff_ffffL)
                .buffer(),
            new Raw()
                .b(0x82)
                .str("event", 0)
                .str("log", 0)
                .str("x", 0)
                .b(0xdf)
                .u32(0x7fff_ffffL)
                .buffer(),
            new Raw()
                .b(0x82)
                .str("event", 0)
                .str("log", 0)
                .str("x", 0)
                .b(0xc9)
                .u32(0x7fff_ffffL)
                .b(1)
                .buffer(),
            new Raw().b(0x82).str("event", 0).str("log", 0).str("x", 0).b(0x91, 0xc1).buffer(),
            new Raw().b(0x81).str("event", 0).b(0xdb).u32(0xffff_fff0L).buffer(),
            new Raw().b(0xdf).u32(0xffff_ffffL).buffer(),
            new Raw().b(0x81).str("event", 0).str("log", 0).b(0xcb, 0, 0).buffer(),
            new Raw()
                .b(0x82)
                .str("event", 0)
                .str("error", 0)
                .str("status", 0)
                .b(0xcf, 0, 0)
                .buffer());
    for (ByteBuffer b : bad) {
      int before = b.remaining();
      assertThatThrownBy(() -> FishCodec.decode(b))
          .isInstanceOf(ProtocolException.class)
          .hasMessageStartingWith("[fish]");
      assertThat(b.remaining()).isEqualTo(before);
    }
  }

  // ------------------------------------------------------------------ differential

  private static final String[] KEYS = {
    "event", "audio", "reason", "message", "error", "code", "status", "detail", "time", "x"
  };
  private static final String[] EVENTS = {"audio", "finish", "error", "log", "pong", "flush"};

  @Test
  void agreesWithMsgpackCoreOnRandomFrames() throws IOException {
    Random random = new Random(2026);
    int decoded = 0;
    int skipped = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] frame = randomFrame(random);
      if (i % 3 == 0) {
        // corrupt one byte or cut the frame
        if (random.nextBoolean()) {
          frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
        } else {
          frame = java.util.Arrays.copyOf(frame, random.nextInt(frame.length));
        }
      }
      Object expected = reference(frame);
      if (expected == SKIP) {
        skipped++;
        continue;
      }
      Object actual;
      try {
        actual = FishCodec.decode(ByteBuffer.wrap(frame).asReadOnlyBuffer());
      } catch (ProtocolException e) {
        actual = "protocol error";
      }
      String hex = java.util.HexFormat.of().formatHex(frame);
      if (expected instanceof FishCodec.Audio ea && actual instanceof FishCodec.Audio aa) {
        assertThat(aa.data()).as(hex).isEqualTo(ea.data());
      } else {
        assertThat(actual).as(hex).isEqualTo(expected);
      }
      if (!"protocol error".equals(expected)) {
        decoded++;
      }
    }
    assertThat(decoded).as("frames that decode").isGreaterThan(2_000);
    assertThat(skipped).as("frames the reference cannot judge").isLessThan(4_000);
  }

  private static byte[] randomFrame(Random r) throws IOException {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      int n = r.nextInt(6);
      boolean withEvent = r.nextInt(10) > 0;
      p.packMapHeader(n + (withEvent ? 1 : 0));
      int eventAt = withEvent ? r.nextInt(n + 1) : -1;
      java.util.Set<String> used = new java.util.HashSet<>();
      used.add("event");
      for (int i = 0; i <= n; i++) {
        if (i == eventAt) {
          p.packString("event");
          if (r.nextInt(20) == 0) {
            randomValue(p, r, 0);
          } else {
            p.packString(EVENTS[r.nextInt(EVENTS.length)]);
          }
          continue;
        }
        if (i == n) {
          break;
        }
        if (r.nextInt(15) == 0) {
          p.packInt(r.nextInt(100)); // a non-string key
        } else {
          String k;
          do {
            k = KEYS[r.nextInt(KEYS.length)];
          } while (!used.add(k) && used.size() < KEYS.length);
          p.packString(k);
        }
        if (r.nextInt(3) == 0) {
          byte[] audio = new byte[r.nextInt(64)];
          r.nextBytes(audio);
          p.packBinaryHeader(audio.length);
          p.writePayload(audio);
        } else {
          randomValue(p, r, 0);
        }
      }
      return p.toByteArray();
    }
  }

  private static void randomValue(MessageBufferPacker p, Random r, int depth) throws IOException {
    switch (r.nextInt(depth < 3 ? 9 : 7)) {
      case 0 -> p.packNil();
      case 1 -> p.packBoolean(r.nextBoolean());
      case 2 -> p.packLong(r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(1000) - 100);
      case 3 -> p.packDouble(r.nextDouble());
      case 4 ->
          p.packString(r.nextBoolean() ? "msg" + r.nextInt(10) : "é€😀".repeat(r.nextInt(40)));
      case 5 -> {
        byte[] b = new byte[r.nextInt(300)];
        p.packBinaryHeader(b.length);
        p.writePayload(b);
      }
      case 6 -> p.packExtensionTypeHeader((byte) 3, 1 + r.nextInt(20)).writePayload(new byte[0]);
      case 7 -> {
        int n = r.nextInt(4);
        p.packArrayHeader(n);
        for (int i = 0; i < n; i++) {
          randomValue(p, r, depth + 1);
        }
      }
      default -> {
        // keys distinct: of duplicates, the general reader keeps the last and the decoder the first
        String[] keys = {"message", "error", "detail", "code"};
        int n = r.nextInt(4);
        p.packMapHeader(n);
        for (int i = 0; i < n; i++) {
          if (r.nextBoolean()) {
            p.packString(keys[i]);
          } else {
            randomValue(p, r, depth + 1);
          }
          randomValue(p, r, depth + 1);
        }
      }
    }
  }

  private static final Object SKIP = new Object();

  /**
   * What the frame must decode to, computed from msgpack-core's general reader, or {@link #SKIP}
   * where that reader cannot judge: it reads an extension as a {@code "<...>"} string, and refuses
   * an unsigned 64-bit integer above {@code Long.MAX_VALUE} anywhere (the decoder only reads the
   * fields it knows, and takes such a status as absent).
   */
  private static Object reference(byte[] frame) {
    Object v;
    try {
      v = FishCodec.unpack(frame);
    } catch (org.msgpack.core.MessageIntegerOverflowException e) {
      return SKIP;
    } catch (RuntimeException e) {
      return "protocol error";
    }
    if (!(v instanceof Map<?, ?> m)) {
      return "protocol error";
    }
    if (hasExtension(m)) {
      return SKIP;
    }
    Object event = m.get("event");
    if (m.containsKey("event") && !(event instanceof String)) {
      return "protocol error";
    }
    Object audio = m.get("audio");
    if (m.containsKey("audio") && audio != null && !(audio instanceof byte[])) {
      return "protocol error";
    }
    Object reason = m.get("reason");
    if (m.containsKey("reason") && reason != null && !(reason instanceof String)) {
      return "protocol error";
    }
    if (event == null) {
      return "protocol error";
    }
    Integer status =
        m.get("status") instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE
            ? (int) (long) l
            : null;
    String message = text(m.get("message"), m.containsKey("message"));
    String error = text(m.get("error"), m.containsKey("error"));
    String code = text(m.get("code"), m.containsKey("code"));
    return switch ((String) event) {
      case "audio" ->
          m.containsKey("audio")
              ? new FishCodec.Audio(audio == null ? new byte[0] : (byte[]) audio)
              : "protocol error";
      case "finish" ->
          new FishCodec.Finish((String) reason, message != null ? message : error, status);
      case "error" ->
          new FishCodec.ErrorEvent(
              error != null ? error : message != null ? message : "(no message)",
              status,
              code != null ? code : (String) reason);
      default -> new FishCodec.Unknown((String) event);
    };
  }

  private static boolean hasExtension(Object v) {
    if (v instanceof String s) {
      return s.startsWith("<EXT") || s.startsWith("<FIXEXT");
    }
    if (v instanceof Map<?, ?> m) {
      return m.entrySet().stream()
          .anyMatch(e -> hasExtension(e.getKey()) || hasExtension(e.getValue()));
    }
    if (v instanceof List<?> l) {
      return l.stream().anyMatch(FishDecodeTest::hasExtension);
    }
    return false;
  }

  private static String text(Object v, boolean present) {
    if (!present || v == null) {
      return null;
    }
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (Objects.equals(e.getKey(), "message")
            || Objects.equals(e.getKey(), "error")
            || Objects.equals(e.getKey(), "detail")) {
          if (e.getValue() instanceof String s) {
            return s;
          }
        }
      }
      return "(error without a message)";
    }
    String type =
        v instanceof Boolean
            ? "BOOLEAN"
            : v instanceof Long
                ? "INTEGER"
                : v instanceof Double ? "FLOAT" : v instanceof byte[] ? "BINARY" : "ARRAY";
    return "(error of type " + type + ")";
  }
}
