package dev.voicebridge.smallest.internal;

import java.util.List;
import java.util.Objects;

/**
 * The per-session request fields Smallest reads from every message (WebSocket) or request body
 * (SSE). Null means "not sent" (the server default applies).
 *
 * @param voiceId {@code voice_id}
 * @param model {@code model}
 * @param language {@code language}, or null
 * @param sampleRate {@code sample_rate}
 * @param speed {@code speed}, or null
 * @param maxBufferFlushMs {@code max_buffer_flush_ms}, or null
 * @param completeBackoffMs {@code complete_backoff_ms}, or null
 * @param wordTimestamps {@code word_timestamps}, or null
 * @param sessionId {@code session_id}, or null
 * @param requestId {@code request_id}, or null
 * @param pronunciationDicts {@code pronunciation_dicts}, or null
 * @param numberPronunciationLanguage {@code number_pronunciation_language}, or null
 * @param mathNotation {@code math_notation}, or null
 */
public record SmallestRequest(
    String voiceId,
    String model,
    String language,
    int sampleRate,
    Double speed,
    Integer maxBufferFlushMs,
    Integer completeBackoffMs,
    Boolean wordTimestamps,
    String sessionId,
    String requestId,
    List<String> pronunciationDicts,
    String numberPronunciationLanguage,
    Boolean mathNotation) {

  /** Compact constructor: checks the required fields and copies the list. */
  public SmallestRequest {
    Objects.requireNonNull(voiceId, "voiceId");
    Objects.requireNonNull(model, "model");
    pronunciationDicts = pronunciationDicts == null ? null : List.copyOf(pronunciationDicts);
  }

  /** Only the required fields. */
  public static SmallestRequest minimal(String voiceId, String model, int sampleRate) {
    return new SmallestRequest(
        voiceId, model, null, sampleRate, null, null, null, null, null, null, null, null, null);
  }

  /** Whether word timestamps were asked for. */
  public boolean wantsWordTimestamps() {
    return Boolean.TRUE.equals(wordTimestamps);
  }
}
