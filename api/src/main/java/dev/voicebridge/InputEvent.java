package dev.voicebridge;

/**
 * What an application hands to a session: text, or a flush that asks for everything given so far to
 * be spoken now (a turn boundary). The vocabulary is the vendors' own (Fish Audio's {@code
 * TextEvent} and {@code FlushEvent}).
 */
public sealed interface InputEvent permits TextEvent, FlushEvent {

  /**
   * {@return a text event}
   *
   * @param text the text, possibly a single token
   */
  static TextEvent text(CharSequence text) {
    return new TextEvent(text.toString());
  }

  /** {@return the flush event} */
  static FlushEvent flush() {
    return FlushEvent.INSTANCE;
  }
}
