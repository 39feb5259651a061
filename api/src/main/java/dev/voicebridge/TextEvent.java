package dev.voicebridge;

import java.util.Objects;

/**
 * A piece of text: a whole sentence, or one LLM token as it arrives. Text is passed on as given;
 * providers whose vendor needs whole words or sentences buffer it themselves.
 *
 * @param text the text, never null (may be empty, which is ignored)
 */
public record TextEvent(String text) implements InputEvent {
  /**
   * Compact constructor.
   *
   * @param text the text, never null (may be empty, which is ignored)
   */
  public TextEvent {
    Objects.requireNonNull(text, "text");
  }
}
