package dev.voicebridge.emulator.elevenlabs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.AudioEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Generation and pacing of the WebSocket endpoints: a released piece of text becomes audio frames
 * (with alignment) and the delay before each, and the JSON of an audio frame.
 */
final class WsAudio {

  /** One audio frame of a generation, due {@code delay} after the previous one of its lane. */
  record Frame(Duration delay, byte[] audio, ObjectNode norm, ObjectNode align) {}

  private WsAudio() {}

  /**
   * Synthesizes {@code chunk} for {@code ctx} (its encoder carries over between generations) and
   * cuts it into frames paced by the emulator's profile.
   */
  static List<Frame> generate(
      ElevenLabsEmulator emu, OutputFormat f, WsSession.Ctx ctx, String chunk) {
    int rate = f.format().sampleRate();
    Speech sp =
        Speech.of(emu.config.voice(), Speech.wsNormalized(chunk), rate, emu.config.frameMillis());
    if (ctx.encoder == null) {
      ctx.encoder = AudioEncoder.of(f.format(), Math.max(8, f.kbps()));
    }
    boolean[] finished = new boolean[1];
    List<Speech.Chunk> chunks = sp.encode(ctx.encoder, false, finished);
    if (finished[0]) {
      ctx.encoder = null;
    }
    List<Frame> out = new ArrayList<>(chunks.size());
    Duration previous = Duration.ZERO;
    boolean first = true;
    for (Speech.Chunk c : chunks) {
      ObjectNode norm = null;
      ObjectNode align = null;
      if (emu.options.alignment() && c.to() > c.from()) {
        norm = sp.wsNormalizedAlignment(c.from(), c.to(), c.origin());
        align = sp.wsTextAlignment(c.from(), c.to(), c.origin());
      }
      Duration delay = emu.pacer.frameDelay(first, previous);
      first = false;
      previous = c.duration(rate);
      out.add(new Frame(delay, c.audio(), norm, align));
    }
    return out;
  }

  /** The JSON of an audio frame (stream-input: with {@code isFinal: null}; multi: with its id). */
  static String frame(
      boolean multi, WsSession.Ctx ctx, String b64, ObjectNode norm, ObjectNode align) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("audio", b64);
    if (!multi) {
      o.putNull("isFinal");
    }
    o.set("normalizedAlignment", norm == null ? Json.MAPPER.nullNode() : norm);
    o.set("alignment", align == null ? Json.MAPPER.nullNode() : align);
    if (multi) {
      o.put("contextId", ctx.id);
    }
    return Json.write(o);
  }
}
