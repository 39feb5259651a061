package dev.voicebridge.emulator.elevenlabs;

import java.util.List;

/**
 * The text buffer of one ElevenLabs generation stream (a stream-input socket or one context of a
 * multi-stream socket), with the vendor's generation rules (protocol note section 1.5):
 *
 * <ul>
 *   <li>text is buffered; a generation starts when the buffered characters reach the current entry
 *       of {@code chunk_length_schedule} (default 120, 160, 250, 290; the last entry repeats), and
 *       the schedule advances after each generation;
 *   <li>a generation takes the buffer up to its last whitespace: the text after it is an incomplete
 *       word held until more text, a flush or the end of input (INFERRED);
 *   <li>{@code try_trigger_generation} generates early once at least {@value #TRY_TRIGGER_MINIMUM}
 *       characters are buffered;
 *   <li>{@code flush} and the end of input generate everything, the incomplete word included;
 *   <li>{@code auto_mode} generates everything on every message (no schedule, no buffer);
 *   <li>with schedule enforcement off (an emulator switch), every message generates its complete
 *       words at once.
 * </ul>
 *
 * Not thread-safe (its owner synchronizes).
 */
final class TextBuffer {
  /** The default {@code chunk_length_schedule}. */
  static final List<Integer> DEFAULT_SCHEDULE = List.of(120, 160, 250, 290);

  /** The minimum buffered characters for {@code try_trigger_generation}. */
  static final int TRY_TRIGGER_MINIMUM = 50;

  private final StringBuilder buffer = new StringBuilder();
  private final boolean autoMode;
  private final boolean enforceSchedule;
  private List<Integer> schedule;
  private int index;

  TextBuffer(List<Integer> schedule, boolean autoMode, boolean enforceSchedule) {
    this.schedule =
        schedule == null || schedule.isEmpty() ? DEFAULT_SCHEDULE : List.copyOf(schedule);
    this.autoMode = autoMode;
    this.enforceSchedule = enforceSchedule;
  }

  /** Replaces the schedule (only before any generation). */
  void schedule(List<Integer> s) {
    if (s != null && !s.isEmpty()) {
      this.schedule = List.copyOf(s);
    }
  }

  /** The threshold for the next generation. */
  int threshold() {
    return schedule.get(Math.min(index, schedule.size() - 1));
  }

  /** Characters buffered (code points). */
  int buffered() {
    return buffer.codePointCount(0, buffer.length());
  }

  /** Whether nothing but whitespace is buffered. */
  boolean isBlank() {
    return buffer.toString().isBlank();
  }

  /**
   * Adds text and returns the text to generate now, or null.
   *
   * @param text the client's text
   * @param tryTrigger the message's {@code try_trigger_generation}
   */
  String offer(String text, boolean tryTrigger) {
    buffer.append(text);
    if (autoMode) {
      return takeAll();
    }
    if (!enforceSchedule) {
      return takeCompleteWords();
    }
    int n = buffered();
    if (n >= threshold() || (tryTrigger && n >= TRY_TRIGGER_MINIMUM)) {
      return takeCompleteWords();
    }
    return null;
  }

  /** Takes everything (flush, end of input); null if only whitespace is buffered. */
  String takeAll() {
    String s = buffer.toString();
    buffer.setLength(0);
    if (s.isBlank()) {
      return null;
    }
    index++;
    return s;
  }

  /** Drops the buffered text (a closed context) and returns it. */
  String discard() {
    String s = buffer.toString();
    buffer.setLength(0);
    return s;
  }

  private String takeCompleteWords() {
    int cut = -1;
    for (int i = buffer.length() - 1; i >= 0; i--) {
      if (Character.isWhitespace(buffer.charAt(i))) {
        cut = i + 1;
        break;
      }
    }
    if (cut <= 0) {
      return null;
    }
    String s = buffer.substring(0, cut);
    if (s.isBlank()) {
      return null;
    }
    buffer.delete(0, cut);
    index++;
    return s;
  }
}
