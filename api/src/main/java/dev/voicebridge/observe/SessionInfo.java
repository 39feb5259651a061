package dev.voicebridge.observe;

import dev.voicebridge.AudioFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a session is, as a listener sees it when the session opens: low-cardinality facts fit for
 * metric tags (provider, transport, model) and the voice, which is not (tag it only when asked).
 */
public final class SessionInfo {
  private final String provider;
  private final String transport;
  private final String model;
  private final String voice;
  private final AudioFormat format;
  private final Map<String, String> attributes;

  /**
   * Built by the library.
   *
   * @param provider the provider's name ({@code fish}, {@code fallback(smallest,fish)}, ...)
   * @param transport the transport the provider reported ({@code websocket}, {@code http}, ...), or
   *     null
   * @param model the model the provider reported, else the one the options named, or null
   * @param voice the voice the options named, or null (the provider's default)
   * @param format the session's audio format
   * @param attributes the attributes the provider reported while starting the session
   */
  public SessionInfo(
      String provider,
      String transport,
      String model,
      String voice,
      AudioFormat format,
      Map<String, String> attributes) {
    this.provider = Objects.requireNonNull(provider, "provider");
    this.transport = transport;
    this.model = model;
    this.voice = voice;
    this.format = Objects.requireNonNull(format, "format");
    this.attributes = Map.copyOf(attributes);
  }

  /** {@return the provider's name} */
  public String provider() {
    return provider;
  }

  /**
   * {@return the transport the provider reported ({@code websocket}, {@code http}, {@code sse}...)}
   */
  public Optional<String> transport() {
    return Optional.ofNullable(transport);
  }

  /** {@return the model the provider reported, else the one the session's options named} */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /** {@return the voice the session's options named (empty: the provider's default)} */
  public Optional<String> voice() {
    return Optional.ofNullable(voice);
  }

  /** {@return the session's audio format} */
  public AudioFormat format() {
    return format;
  }

  /** {@return the attributes the provider reported while starting the session (never secrets)} */
  public Map<String, String> attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    return "SessionInfo["
        + provider
        + ", transport="
        + transport
        + ", model="
        + model
        + ", "
        + format
        + "]";
  }
}
