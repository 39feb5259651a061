package dev.voicebridge.emulator.cartesia;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;

/**
 * The server's frames (protocol note section 3.1), shared by the WebSocket and SSE: {@code chunk},
 * {@code timestamps}, {@code phoneme_timestamps}, {@code flush_done} and {@code done}, each with
 * {@code status_code} 206 (the vendor's examples; section 7.9). {@code context_id} and {@code
 * flush_id} are left out when null (SSE without a context id; SSE has no flushes).
 */
final class Wire {
  /** The status code of every event but errors. */
  static final int STATUS = 206;

  private Wire() {}

  private static ObjectNode head(String type, boolean done) {
    ObjectNode o = Json.object();
    o.put("type", type);
    o.put("done", done);
    return o;
  }

  private static void ids(ObjectNode o, String contextId, Integer flushId) {
    if (contextId != null) {
      o.put("context_id", contextId);
    }
    if (flushId != null) {
      o.put("flush_id", flushId);
    }
  }

  static String chunk(byte[] audio, double stepTimeMs, String contextId, Integer flushId) {
    ObjectNode o = Json.object();
    o.put("type", "chunk");
    o.put("data", Base64.getEncoder().encodeToString(audio));
    o.put("done", false);
    o.put("status_code", STATUS);
    o.put("step_time", Math.round(stepTimeMs * 1000) / 1000.0);
    ids(o, contextId, flushId);
    return Json.write(o);
  }

  static String timestamps(ObjectNode words, String contextId, Integer flushId) {
    ObjectNode o = head("timestamps", false);
    o.put("status_code", STATUS);
    ids(o, contextId, flushId);
    o.set("word_timestamps", words);
    return Json.write(o);
  }

  static String phonemeTimestamps(ObjectNode phonemes, String contextId, Integer flushId) {
    ObjectNode o = head("phoneme_timestamps", false);
    o.put("status_code", STATUS);
    ids(o, contextId, flushId);
    o.set("phoneme_timestamps", phonemes);
    return Json.write(o);
  }

  static String flushDone(String contextId, int flushId) {
    ObjectNode o = head("flush_done", false);
    o.put("flush_done", true);
    o.put("flush_id", flushId);
    o.put("status_code", STATUS);
    o.put("context_id", contextId);
    return Json.write(o);
  }

  static String done(String contextId) {
    ObjectNode o = head("done", true);
    o.put("status_code", STATUS);
    if (contextId != null) {
      o.put("context_id", contextId);
    }
    return Json.write(o);
  }

  /** An SSE event carrying {@code json} (no {@code event:} line). */
  static String sse(String json) {
    return "data: " + json + "\n\n";
  }

  /** {@code n} bytes of silence in a raw encoding. */
  static byte[] silence(OutputFormat format, int n) {
    byte[] out = new byte[n];
    byte fill =
        switch (format.encoding() == null ? "" : format.encoding()) {
          case "pcm_mulaw" -> (byte) 0xFF;
          case "pcm_alaw" -> (byte) 0xD5;
          default -> 0;
        };
    java.util.Arrays.fill(out, fill);
    return out;
  }
}
