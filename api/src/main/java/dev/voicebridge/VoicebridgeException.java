package dev.voicebridge;

import dev.voicebridge.internal.Redaction;
import dev.voicebridge.spi.Redactor;

/**
 * The root of every error Voicebridge raises. Unchecked, and classified by whether trying again may
 * help ({@link #isRetryable()}), like JDBC's transient and non-transient exceptions.
 *
 * <p>Messages name the provider and never contain an API key.
 */
public class VoicebridgeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The provider's name, or null. */
  private final String provider;

  private transient volatile Redactor redactor;

  static {
    Redaction.install((e, r) -> e.redactor = r);
  }

  /**
   * Creates the exception.
   *
   * @param provider the provider's name, or null when no provider is involved
   * @param message what went wrong, without secrets
   * @param cause the underlying error, or null
   */
  public VoicebridgeException(String provider, String message, Throwable cause) {
    super(provider == null ? message : "[" + provider + "] " + message, cause);
    this.provider = provider;
  }

  /**
   * Same, without a cause.
   *
   * @param provider the provider's name
   * @param message what went wrong, without secrets
   */
  public VoicebridgeException(String provider, String message) {
    this(provider, message, null);
  }

  /**
   * The message, with the secrets of the session it ended masked (a server may echo a key back in
   * the text a message quotes).
   */
  @Override
  public String getMessage() {
    String m = super.getMessage();
    Redactor r = redactor;
    return r == null ? m : r.redact(m);
  }

  /** {@return the provider that raised this, or null} */
  public String provider() {
    return provider;
  }

  /**
   * {@return whether the same request may succeed if tried again (later, or on a new connection)}
   */
  public boolean isRetryable() {
    return false;
  }
}
