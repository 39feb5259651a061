package dev.voicebridge.text.shaping.internal;

import java.util.List;

/**
 * The stages of one session in order, fed the application's text as it comes. Each output character
 * carries its span in the application's text, counted from the session's first character across
 * every push and flush. Not thread-safe.
 */
public final class Pipeline {
  private final List<Stage> stages;
  private int offset;

  /** A pipeline of {@code stages}, applied in order. */
  public Pipeline(List<Stage> stages) {
    this.stages = List.copyOf(stages);
  }

  /** How many characters of original text came in so far. */
  public int offset() {
    return offset;
  }

  /** Takes the next piece of the application's text; returns what can be spoken now. */
  public Annotated push(CharSequence text) {
    Annotated in = Annotated.original(text, offset);
    offset += text.length();
    for (Stage s : stages) {
      Annotated out = new Annotated();
      s.push(in, out);
      in = out;
    }
    return in;
  }

  /** Releases everything the stages hold (a flush or the end of input). */
  public Annotated flush() {
    Annotated in = new Annotated();
    for (Stage s : stages) {
      Annotated out = new Annotated();
      s.push(in, out);
      s.flush(out);
      in = out;
    }
    return in;
  }
}
