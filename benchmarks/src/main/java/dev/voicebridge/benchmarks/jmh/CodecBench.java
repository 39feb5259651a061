package dev.voicebridge.benchmarks.jmh;

import dev.voicebridge.AudioChunk;
import dev.voicebridge.AudioFormat;
import dev.voicebridge.elevenlabs.internal.ElevenLabsCodec;
import dev.voicebridge.fish.internal.FishCodec;
import dev.voicebridge.kit.http.SseReader;
import dev.voicebridge.smallest.internal.SmallestCodec;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Codec throughput: one server frame carrying {@code audioBytes} of PCM decoded to an {@link
 * AudioChunk}, per vendor wire format, against two baselines — a bare copy of the audio bytes and
 * the JDK's base64 decoder on the frame's base64 text. One operation = one frame; MB of audio per
 * second = ops/s × audioBytes / 10^6. Run with {@code -prof gc} for bytes allocated per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBench {
  private static final AudioFormat FORMAT = AudioFormat.PCM_24K;

  /**
   * {@code ElevenLabsCodec.decodeTimestampLine(byte[], int, int)}: what the HTTP adapter calls on
   * each NDJSON line it cut from the body, package-private, so reached by reflection once.
   */
  private static final MethodHandle ELEVEN_NDJSON_BYTES;

  static {
    try {
      Method line =
          ElevenLabsCodec.class.getDeclaredMethod(
              "decodeTimestampLine", byte[].class, int.class, int.class);
      line.setAccessible(true);
      ELEVEN_NDJSON_BYTES = MethodHandles.lookup().unreflect(line);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Audio per frame: 100 ms of 24 kHz PCM (the emulators' frame) and a 32 KiB frame. */
  @Param({"4800", "32768"})
  public int audioBytes;

  private byte[] audio;
  private String b64;
  private byte[] fishFrame;
  private String elevenWsFrame;
  private byte[] elevenLine;
  private String smallestWsFrame;
  private byte[] smallestSseEvent;
  private SseReader sse;
  private long sequence;
  private long offset;

  @Setup
  public void setup() {
    audio = new byte[audioBytes];
    new Random(42).nextBytes(audio);
    b64 = Base64.getEncoder().encodeToString(audio);
    fishFrame = FishCodec.pack(Map.of("event", "audio", "audio", audio));
    elevenWsFrame =
        "{\"audio\":\""
            + b64
            + "\",\"isFinal\":null,\"normalizedAlignment\":null,\"alignment\":null}";
    elevenLine =
        ("{\"audio_base64\":\"" + b64 + "\",\"alignment\":null,\"normalized_alignment\":null}")
            .getBytes(StandardCharsets.US_ASCII);
    smallestWsFrame =
        "{\"status\":\"chunk\",\"request_id\":\"r-1\",\"data\":{\"audio\":\"" + b64 + "\"}}";
    smallestSseEvent =
        ("event: audio\ndata: {\"audio\": \"" + b64 + "\", \"done\": false}\n\n")
            .getBytes(StandardCharsets.US_ASCII);
    sse = new SseReader("smallest", 1 << 20);
  }

  private AudioChunk chunk(byte[] data) {
    AudioChunk c =
        new AudioChunk(ByteBuffer.wrap(data), FORMAT, sequence++, offset, System.nanoTime(), null);
    offset += data.length;
    return c;
  }

  /** Baseline: a bare copy of the audio bytes. */
  @Benchmark
  public byte[] baselineCopy() {
    return Arrays.copyOf(audio, audio.length);
  }

  /** Baseline: the JDK's base64 decoder on the audio's base64 text. */
  @Benchmark
  public byte[] baselineBase64() {
    return Base64.getDecoder().decode(b64);
  }

  /** Fish: a MessagePack {@code audio} event (binary WebSocket frame) to a chunk. */
  @Benchmark
  public AudioChunk fishMsgpack() {
    FishCodec.Audio a = (FishCodec.Audio) FishCodec.decode(ByteBuffer.wrap(fishFrame));
    return chunk(a.data());
  }

  /** ElevenLabs: a stream-input JSON text frame with base64 audio to a chunk. */
  @Benchmark
  public AudioChunk elevenLabsWsJson() {
    return chunk(ElevenLabsCodec.decodeFrame(elevenWsFrame).audio());
  }

  /** ElevenLabs: one NDJSON line of /stream/with-timestamps (bytes, as the adapter cuts them). */
  @Benchmark
  public AudioChunk elevenLabsNdjson() throws Throwable {
    ElevenLabsCodec.TimestampChunk c =
        (ElevenLabsCodec.TimestampChunk)
            ELEVEN_NDJSON_BYTES.invoke(elevenLine, 0, elevenLine.length);
    return chunk(c.audio());
  }

  /** Smallest: a WebSocket {@code chunk} JSON frame with base64 audio to a chunk. */
  @Benchmark
  public AudioChunk smallestWsJson() {
    SmallestCodec.Chunk c = (SmallestCodec.Chunk) SmallestCodec.decodeWs(smallestWsFrame);
    return chunk(c.audio());
  }

  /**
   * Smallest: SSE bytes through the line parser's callback (what the adapter uses) and the event
   * decoder, straight from the parser's buffer, to a chunk.
   */
  @Benchmark
  public AudioChunk smallestSse() {
    sse.feed(ByteBuffer.wrap(smallestSseEvent), sseHandler);
    return chunk(sseAudio);
  }

  private byte[] sseAudio;

  private final SseReader.Handler sseHandler =
      (event, data, off, len, id) -> {
        SmallestCodec.SseData d =
            (SmallestCodec.SseData) SmallestCodec.decodeSse(event, data, off, len);
        sseAudio = d.audio();
        return true;
      };
}
