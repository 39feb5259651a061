package dev.voicebridge.kit;

/**
 * The names of transports, one spelling for every provider: the values of each provider's {@code
 * transport} key and option ({@code FishOptions.TRANSPORT}, ...), of {@code Capabilities.
 * transports()} and of a report's {@code transport} attribute.
 */
public final class Transports {
  /** A WebSocket per session (or pooled, one session at a time). */
  public static final String WEBSOCKET = "websocket";

  /** A WebSocket shared by several sessions as contexts. */
  public static final String MULTI_CONTEXT = "multi-context";

  /** An HTTP request per piece of text, audio streamed in the body. */
  public static final String HTTP = "http";

  /** HTTP with word timings in the body (newline-delimited JSON). */
  public static final String HTTP_TIMESTAMPS = "http-timestamps";

  /** Server-sent events, one request per piece of text. */
  public static final String SSE = "sse";

  /** Raw audio bytes over HTTP, one request per piece of text. */
  public static final String BYTES = "bytes";

  private Transports() {}
}
