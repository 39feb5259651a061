package dev.voicebridge.kit;

import dev.voicebridge.VoicebridgeException;
import java.net.http.HttpHeaders;

/**
 * A vendor's reading of an HTTP error: the status, headers and (capped) body of a refused request
 * or WebSocket handshake, as the exception of the api's tree it means. Most vendors start from
 * {@link HttpErrors#forStatus} and add their error codes. The body is what the server sent and may
 * echo a secret: the session masks it, the mapper need not.
 */
@FunctionalInterface
public interface HttpErrorMapper {

  /**
   * {@return the exception for an error response}
   *
   * @param status the HTTP status
   * @param headers the response headers
   * @param body the start of the body (at most {@link HttpErrors#MAX_ERROR_BODY} bytes)
   */
  VoicebridgeException map(int status, HttpHeaders headers, byte[] body);
}
