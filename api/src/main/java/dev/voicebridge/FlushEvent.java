package dev.voicebridge;

/** Asks the provider to speak everything given so far without waiting for more (a turn end). */
public enum FlushEvent implements InputEvent {
  /** The only instance. */
  INSTANCE
}
