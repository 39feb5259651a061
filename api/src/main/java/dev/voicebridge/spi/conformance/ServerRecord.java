package dev.voicebridge.spi.conformance;

import java.util.List;
import java.util.Map;

/**
 * What a test server saw and did in one session.
 *
 * @param connection the id of the connection the session ran on (equal ids = a reused connection)
 * @param text the text as the server assembled it, in order
 * @param textMessages how many text messages carried text
 * @param flushes how many flushes the server received
 * @param finished whether the client signalled the end of input
 * @param audioFramesSent audio frames sent
 * @param audioBytesSent audio bytes sent (decoded, as the client should receive them)
 * @param audioSha256 hex SHA-256 of the audio bytes sent, in order
 * @param audioPrefixSha256 hex SHA-256 of the first {@code i} audio frames sent, for every {@code
 *     i} from 0 (the empty digest) to {@code audioFramesSent}: what a client may have received when
 *     a connection reset destroyed frames in flight
 * @param completed whether the server sent its completion signal
 * @param headers the request or handshake headers (lower-case names; secrets as received)
 * @param frames every client frame, as the server decoded it (for golden checks)
 */
public record ServerRecord(
    int connection,
    String text,
    int textMessages,
    int flushes,
    boolean finished,
    int audioFramesSent,
    long audioBytesSent,
    String audioSha256,
    List<String> audioPrefixSha256,
    boolean completed,
    Map<String, List<String>> headers,
    List<String> frames) {

  /**
   * Compact constructor: copies.
   *
   * @param connection the id of the connection the session ran on (equal ids = a reused connection)
   * @param text the text as the server assembled it, in order
   * @param textMessages how many text messages carried text
   * @param flushes how many flushes the server received
   * @param finished whether the client signalled the end of input
   * @param audioFramesSent audio frames sent
   * @param audioBytesSent audio bytes sent (decoded, as the client should receive them)
   * @param audioSha256 hex SHA-256 of the audio bytes sent, in order
   * @param audioPrefixSha256 hex SHA-256 of the first {@code i} audio frames sent, for every {@code
   *     i} from 0 (the empty digest) to {@code audioFramesSent}: what a client may have received
   *     when a connection reset destroyed frames in flight
   * @param completed whether the server sent its completion signal
   * @param headers the request or handshake headers (lower-case names; secrets as received)
   * @param frames every client frame, as the server decoded it (for golden checks)
   */
  public ServerRecord {
    headers = Map.copyOf(headers);
    frames = List.copyOf(frames);
    audioPrefixSha256 = List.copyOf(audioPrefixSha256);
  }

  /**
   * {@return whether {@code sha256} is the digest of whole audio frames the server sent, in order,
   * from the first: none, some or all of them}
   *
   * @param sha256 a hex SHA-256 digest
   */
  public boolean isFramePrefix(String sha256) {
    return audioPrefixSha256.contains(sha256);
  }
}
