package dev.voicebridge.elevenlabs.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.elevenlabs.ElevenLabsOptions.PronunciationDictionary;
import dev.voicebridge.kit.Transports;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything one session sends, validated when the session is opened: where, in which format and
 * with which settings. Immutable.
 */
record ElevenLabsRequest(
    String transport,
    String voiceId,
    String model,
    AudioFormat format,
    String outputFormat,
    VoiceSettings voiceSettings,
    List<Integer> chunkLengthSchedule,
    List<PronunciationDictionary> dictionaries,
    Boolean autoMode,
    Integer inactivityTimeout,
    String applyTextNormalization,
    String languageCode,
    Long seed,
    boolean normalizedAlignment,
    boolean syncAlignment,
    Boolean enableLogging,
    Boolean enableSsmlParsing,
    boolean httpSentences,
    List<String> warnings) {

  /** {@code voice_settings}; null members are left out of the wire message. */
  record VoiceSettings(
      Double stability,
      Double similarityBoost,
      Double style,
      Boolean useSpeakerBoost,
      Double speed) {
    boolean isEmpty() {
      return stability == null
          && similarityBoost == null
          && style == null
          && useSpeakerBoost == null
          && speed == null;
    }
  }

  ElevenLabsRequest {
    chunkLengthSchedule = chunkLengthSchedule == null ? null : List.copyOf(chunkLengthSchedule);
    dictionaries = dictionaries == null ? null : List.copyOf(dictionaries);
    warnings = List.copyOf(warnings);
  }

  /** The vendor's inactivity timeout in seconds (default 20). */
  int inactivitySeconds() {
    return inactivityTimeout == null ? 20 : inactivityTimeout;
  }

  /**
   * How long the client may stay silent before it sends a keep-alive: three quarters of the
   * inactivity timeout, at most 5 s short of it, and never less than half of it.
   */
  long keepAliveNanos() {
    long t = inactivitySeconds() * 1_000_000_000L;
    return Math.max(t / 2, Math.min(t * 3 / 4, t - 5_000_000_000L));
  }

  /** Whether {@code transport} is one of the WebSockets. */
  static boolean isWebSocket(String transport) {
    return Transports.WEBSOCKET.equals(transport) || Transports.MULTI_CONTEXT.equals(transport);
  }

  /** The WebSocket URL: stream-input or multi-stream-input. */
  URI webSocketUri(URI base) {
    String scheme = base.getScheme().toLowerCase(Locale.ROOT).equals("https") ? "wss" : "ws";
    String endpoint =
        Transports.MULTI_CONTEXT.equals(transport) ? "multi-stream-input" : "stream-input";
    List<String[]> q = new ArrayList<>();
    q.add(new String[] {"model_id", model});
    q.add(new String[] {"output_format", outputFormat});
    if (autoMode != null) {
      q.add(new String[] {"auto_mode", autoMode.toString()});
    }
    if (inactivityTimeout != null) {
      q.add(new String[] {"inactivity_timeout", inactivityTimeout.toString()});
    }
    if (syncAlignment) {
      q.add(new String[] {"sync_alignment", "true"});
    }
    if (applyTextNormalization != null) {
      q.add(new String[] {"apply_text_normalization", applyTextNormalization});
    }
    if (languageCode != null) {
      q.add(new String[] {"language_code", languageCode});
    }
    if (seed != null) {
      q.add(new String[] {"seed", seed.toString()});
    }
    if (enableLogging != null) {
      q.add(new String[] {"enable_logging", enableLogging.toString()});
    }
    if (enableSsmlParsing != null) {
      q.add(new String[] {"enable_ssml_parsing", enableSsmlParsing.toString()});
    }
    return build(scheme, base, endpoint, q);
  }

  /** The HTTP URL: /stream or /stream/with-timestamps. */
  URI httpUri(URI base) {
    String endpoint =
        Transports.HTTP_TIMESTAMPS.equals(transport) ? "stream/with-timestamps" : "stream";
    List<String[]> q = new ArrayList<>();
    q.add(new String[] {"output_format", outputFormat});
    if (enableLogging != null) {
      q.add(new String[] {"enable_logging", enableLogging.toString()});
    }
    return build(base.getScheme().toLowerCase(Locale.ROOT), base, endpoint, q);
  }

  private URI build(String scheme, URI base, String endpoint, List<String[]> query) {
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    StringBuilder sb =
        new StringBuilder(scheme)
            .append("://")
            .append(base.getRawAuthority())
            .append(path)
            .append("/v1/text-to-speech/")
            .append(VoiceIds.pathSegment(voiceId))
            .append('/')
            .append(endpoint);
    char sep = '?';
    for (String[] kv : query) {
      sb.append(sep)
          .append(kv[0])
          .append('=')
          .append(URLEncoder.encode(kv[1], StandardCharsets.UTF_8));
      sep = '&';
    }
    return URI.create(sb.toString());
  }
}
