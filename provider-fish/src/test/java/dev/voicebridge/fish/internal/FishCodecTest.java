package dev.voicebridge.fish.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.fish.FishOptions;
import dev.voicebridge.fish.FishProvider;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.ProviderContext;
import dev.voicebridge.spi.Secret;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Golden wire tests: the exact MessagePack maps sent and the decoding of every server frame. */
class FishCodecTest {

  static final FishSettings SETTINGS = settings(null);

  /** Settings as the provider resolves them, with key {@code k} and {@code voice}. */
  @SuppressWarnings("unchecked")
  static FishSettings settings(String voice) {
    List<ConfigKey<?>> keys = new FishProvider().configKeys();
    NetworkSettings network =
        NetworkSettings.resolve(
            ProviderContext.of(
                "fish", VoicebridgeConfig.of(Map.of("voicebridge.fish.api-key", "k"))),
            keys,
            (ConfigKey<Secret>) keys.get(0),
            (ConfigKey<URI>) keys.get(1));
    return new FishSettings(network, "s2-pro", voice, "websocket", 4);
  }

  private static byte[] hex(String h) {
    return HexFormat.of().parseHex(h.replace(" ", ""));
  }

  private static Map<Object, Object> map(Object... kv) {
    Map<Object, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Key order matters on the wire only for golden bytes; compare entries in order. */
  private static void assertSameMap(Object actual, Map<Object, Object> expected) {
    assertThat(actual).isInstanceOf(Map.class);
    assertThat(new ArrayList<>(((Map<?, ?>) actual).entrySet()))
        .hasToString(new ArrayList<>(expected.entrySet()).toString());
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void flushAndStopAreExactBytes() {
    // {"event":"flush"} = 81 a5 'event' a5 'flush'
    assertThat(FishCodec.flush()).isEqualTo(hex("81 a5 6576656e74 a5 666c757368"));
    // {"event":"stop"} = 81 a5 'event' a4 'stop'
    assertThat(FishCodec.stop()).isEqualTo(hex("81 a5 6576656e74 a4 73746f70"));
  }

  @Test
  void textIsExactBytes() {
    // {"event":"text","text":"Hi "} = 82 a5 'event' a4 'text' a4 'text' a3 'Hi '
    assertThat(FishCodec.text("Hi "))
        .isEqualTo(hex("82 a5 6576656e74 a4 74657874 a4 74657874 a3 486920"));
  }

  @Test
  void textKeepsUnicode() {
    Object m = FishCodec.unpack(FishCodec.text("héllo 世界 👋"));
    assertSameMap(m, map("event", "text", "text", "héllo 世界 👋"));
  }

  @Test
  void startWithDefaults() {
    FishRequest r = FishRequest.plan(SynthesisOptions.defaults(), SETTINGS);
    Object m = FishCodec.unpack(FishCodec.start(r.request()));
    assertSameMap(
        m,
        map(
            "event",
            "start",
            "request",
            map("text", "", "format", "pcm", "sample_rate", 24000L, "latency", "balanced")));
    assertThat(r.model()).isEqualTo("s2-pro");
    assertThat(r.transport()).isEqualTo("websocket");
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void startWithEveryOption() {
    SynthesisOptions o =
        SynthesisOptions.builder()
            .format(AudioFormat.mp3(44_100))
            .model("s2.1-pro")
            .set(FishOptions.REFERENCE_ID, "voice-1")
            .set(FishOptions.LATENCY, "low")
            .set(FishOptions.CHUNK_LENGTH, 120)
            .set(FishOptions.MIN_CHUNK_LENGTH, 30)
            .set(FishOptions.NORMALIZE, false)
            .set(FishOptions.SPEED, 1.25)
            .set(FishOptions.VOLUME, -3.5)
            .set(FishOptions.TEMPERATURE, 0.5)
            .set(FishOptions.TOP_P, 0.8)
            .set(FishOptions.MP3_BITRATE, 192)
            .build();
    FishRequest r = FishRequest.plan(o, SETTINGS);
    Object m = FishCodec.unpack(FishCodec.start(r.request()));
    assertSameMap(
        m,
        map(
            "event",
            "start",
            "request",
            map(
                "text",
                "",
                "reference_id",
                "voice-1",
                "format",
                "mp3",
                "sample_rate",
                44100L,
                "latency",
                "low",
                "chunk_length",
                120L,
                "min_chunk_length",
                30L,
                "normalize",
                false,
                "prosody",
                map("speed", 1.25, "volume", -3.5),
                "temperature",
                0.5,
                "top_p",
                0.8,
                "mp3_bitrate",
                192L)));
    assertThat(r.model()).isEqualTo("s2.1-pro");
  }

  @Test
  void opusBitrateIsSentInBitsPerSecond() {
    SynthesisOptions o =
        SynthesisOptions.builder()
            .format(AudioFormat.opus())
            .set(FishOptions.OPUS_BITRATE, 32000)
            .build();
    Map<String, Object> req = FishRequest.plan(o, SETTINGS).request();
    assertThat(req).containsEntry("format", "opus").containsEntry("sample_rate", 48000);
    assertThat(req).containsEntry("opus_bitrate", 32000);
  }

  @Test
  void httpBodyIsTheRequestWithText() {
    FishRequest r =
        FishRequest.plan(
            SynthesisOptions.builder().set(FishOptions.REFERENCE_ID, "v").build(), SETTINGS);
    Object m = FishCodec.unpack(FishCodec.pack(r.withText("Hello.")));
    assertSameMap(
        m,
        map(
            "text",
            "Hello.",
            "reference_id",
            "v",
            "format",
            "pcm",
            "sample_rate",
            24000L,
            "latency",
            "balanced"));
  }

  // ------------------------------------------------------------------ decoding

  private static ByteBuffer frame(Object value) {
    return ByteBuffer.wrap(FishCodec.pack(value));
  }

  @Test
  void decodesAudio() {
    byte[] pcm = {1, 2, 3, 4, 5};
    FishCodec.ServerEvent e =
        FishCodec.decode(frame(new LinkedHashMap<>(Map.of("event", "audio", "audio", pcm))));
    assertThat(e).isInstanceOf(FishCodec.Audio.class);
    assertThat(((FishCodec.Audio) e).data()).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void decodesAudioWithExtraFieldsAndEmptyPayload() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", 12.5);
    m.put("audio", new byte[0]);
    m.put("event", "audio");
    m.put("alignment", null);
    FishCodec.ServerEvent e = FishCodec.decode(frame(m));
    assertThat(((FishCodec.Audio) e).data()).isEmpty();
  }

  @Test
  void decodesFinishStopAndError() {
    FishCodec.ServerEvent stop = FishCodec.decode(frame(map2("event", "finish", "reason", "stop")));
    assertThat(stop).isEqualTo(new FishCodec.Finish("stop", null, null));
    assertThat(((FishCodec.Finish) stop).isStop()).isTrue();

    FishCodec.ServerEvent err =
        FishCodec.decode(
            frame(map2("event", "finish", "reason", "error", "message", "model crashed")));
    assertThat(err).isEqualTo(new FishCodec.Finish("error", "model crashed", null));
    assertThat(((FishCodec.Finish) err).isStop()).isFalse();
  }

  @Test
  void decodesErrorEventInEveryShape() {
    assertThat(FishCodec.decode(frame(map2("event", "error", "error", "bad start"))))
        .isEqualTo(new FishCodec.ErrorEvent("bad start", null, null));
    assertThat(
            FishCodec.decode(frame(map2("event", "error", "message", "too many", "status", 429))))
        .isEqualTo(new FishCodec.ErrorEvent("too many", 429, null));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("code", 7);
    nested.put("message", "nested text");
    assertThat(FishCodec.decode(frame(map2("event", "error", "error", nested))))
        .isEqualTo(new FishCodec.ErrorEvent("nested text", null, null));
    assertThat(FishCodec.decode(frame(map2("event", "error"))))
        .isEqualTo(new FishCodec.ErrorEvent("(no message)", null, null));
  }

  @Test
  void unknownEventsAreReportedAsUnknown() {
    assertThat(FishCodec.decode(frame(map2("event", "log", "message", "hello"))))
        .isEqualTo(new FishCodec.Unknown("log"));
    assertThat(FishCodec.decode(frame(map2("event", "pong"))))
        .isEqualTo(new FishCodec.Unknown("pong"));
  }

  private static Map<String, Object> map2(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void everyTruncationOfAnAudioFrameIsAProtocolError() {
    byte[] whole = FishCodec.pack(map2("event", "audio", "audio", new byte[300]));
    for (int n = 0; n < whole.length; n++) {
      ByteBuffer cut = ByteBuffer.wrap(whole, 0, n);
      assertThatThrownBy(() -> FishCodec.decode(cut))
          .as("truncated to %d bytes", n)
          .isInstanceOf(ProtocolException.class)
          .hasMessageContaining("[fish]");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "c1", // never-used format byte
        "93 01 02 03", // an array, not a map
        "a5 68656c6c6f", // a string
        "81 a5 6576656e74 01", // event is not a string
        "80", // no event
        "82 a5 6576656e74 a5 617564696f a5 617564696f a3 616263", // audio is a string
        "81 a5 6576656e74 a5 617564696f", // audio event without audio
        "82 a5 6576656e74 a5 617564696f a5 617564696f c6 7fffffff", // bin claims 2 GiB
        "81 a5 6576656e74 a4 73746f70 00", // trailing bytes
        "8f a5 6576656e74 a4 73746f70", // map claims 15 entries
        "81 a5 6576656e74 db 7fffffff", // str32 claims 2 GiB
        "81 a6 726561736f6e 01" // reason is a number, and no event
      })
  void malformedFramesAreProtocolErrors(String h) {
    assertThatThrownBy(() -> FishCodec.decode(ByteBuffer.wrap(hex(h))))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void nonStringKeysAreSkipped() {
    // {1: 2, "event": "finish", "reason": "stop"}
    byte[] b = hex("83 01 02 a5 6576656e74 a6 66696e697368 a6 726561736f6e a4 73746f70");
    assertThat(FishCodec.decode(ByteBuffer.wrap(b)))
        .isEqualTo(new FishCodec.Finish("stop", null, null));
  }

  @Test
  void decodesReadOnlyAndDirectBuffers() {
    byte[] inner = FishCodec.pack(map2("event", "audio", "audio", new byte[] {9, 8}));
    ByteBuffer ro = ByteBuffer.wrap(inner).asReadOnlyBuffer();
    assertThat(((FishCodec.Audio) FishCodec.decode(ro)).data()).containsExactly(9, 8);
    assertThat(ro.remaining()).isEqualTo(inner.length);
    ByteBuffer direct = ByteBuffer.allocateDirect(inner.length).put(inner).flip();
    assertThat(((FishCodec.Audio) FishCodec.decode(direct)).data()).containsExactly(9, 8);
  }

  @Test
  void decodeRespectsTheBufferPosition() {
    byte[] inner = FishCodec.pack(map2("event", "finish", "reason", "stop"));
    ByteBuffer b = ByteBuffer.allocate(inner.length + 10);
    b.put(new byte[5]).put(inner).put(new byte[5]);
    b.position(5).limit(5 + inner.length);
    assertThat(FishCodec.decode(b)).isEqualTo(new FishCodec.Finish("stop", null, null));
  }

  @Test
  void randomGarbageNeverEscapesAsAnotherException() {
    java.util.Random random = new java.util.Random(7);
    List<byte[]> seeds =
        List.of(
            FishCodec.pack(map2("event", "audio", "audio", new byte[40])),
            FishCodec.pack(map2("event", "finish", "reason", "error", "message", "x")),
            "not msgpack at all".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 3000; i++) {
      byte[] b = seeds.get(i % seeds.size()).clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      try {
        FishCodec.decode(ByteBuffer.wrap(b));
      } catch (ProtocolException expected) {
        // fine: malformed input is a protocol error
      }
    }
  }
}
