package dev.voicebridge.check;

import java.util.List;

/**
 * The rules of the live check: a subset of the conformance suite that a real vendor can be held to
 * with a real key, in a minute, for a few hundred characters. Each rule runs once per transport
 * checked, in the order of this enum; what each one sends is fixed ({@link #texts()}), so the whole
 * cost is known before the run ({@link CheckPlan}).
 */
public enum LiveRule {
  /** Discovery and configuration; sends nothing. */
  LC1(
      "discovery and configuration",
      "the provider is found by its name, its configuration makes a synthesizer, a network"
          + " provider declares its API key secret, and its default format and the format under"
          + " check are ones it supports",
      List.of()),

  /** One-shot synthesis of a whole text. */
  LC2(
      "one-shot synthesis",
      "a whole text gives audio that decodes and lasts as long as the text plausibly takes, then"
          + " exactly one completion",
      List.of("A short live check.")),

  /** Streaming input with a flush. */
  LC3(
      "streaming input with a flush",
      "text sent in pieces, then a flush, gives audio before finish(); the rest follows finish(),"
          + " then exactly one completion",
      List.of("Two ", "pieces.", " Done.")),

  /** Word timings, where the provider declares them; sends nothing (LC2's audio is used). */
  LC4(
      "word timings",
      "where the provider declares word timings, the vendor's timings of LC2's audio are"
          + " monotonic, within the audio, and words of the text (skipped where none are declared)",
      List.of()),

  /** Cancel after the first audio. */
  LC5(
      "cancel",
      "cancel() after the first audio: no audio after it returns, exactly one terminal signal, the"
          + " cancellation",
      List.of("Cut this short.")),

  /** A wrong key. */
  LC6(
      "wrong key",
      "a deliberately altered copy of the key, never printed, is refused with an"
          + " AuthenticationException that is not retryable and shows neither key (skipped for a"
          + " provider without a secret key)",
      List.of("Hi.")),

  /** An unsupported option refused locally; sends nothing. */
  LC7(
      "unsupported option refused locally",
      "a format the capabilities call unsupported is refused by open() with an"
          + " UnsupportedCapabilityException, before any network I/O",
      List.of()),

  /** The vendor's completion rule. */
  LC8(
      "completion rule",
      "a short text ends with the vendor's completion: one completion signal, after the last"
          + " audio, nothing after it, and the session's completion stage agrees",
      List.of("All done."));

  private final String title;
  private final String description;
  private final List<String> texts;

  LiveRule(String title, String description, List<String> texts) {
    this.title = title;
    this.description = description;
    this.texts = texts;
  }

  /** {@return the rule's id, {@code LC1} to {@code LC8}} */
  public String id() {
    return name();
  }

  /** {@return a few words, for one line of output} */
  public String title() {
    return title;
  }

  /** {@return what the rule holds the provider to, in one sentence} */
  public String description() {
    return description;
  }

  /**
   * {@return the texts the rule sends, in order, on each transport (empty for rules that send
   * none)}
   */
  public List<String> texts() {
    return texts;
  }

  /**
   * Characters planned for each session that sends text, beyond its text: the space an adapter may
   * add at its end (ElevenLabs' protocol asks for text that ends with one).
   */
  public static final int SESSION_ALLOWANCE = 1;

  /** {@return the characters of the rule's texts (Unicode code points, as vendors count them)} */
  public int textChars() {
    int n = 0;
    for (String t : texts) {
      n += t.codePointCount(0, t.length());
    }
    return n;
  }

  /**
   * {@return the characters the rule is planned to send on each transport: its texts, plus {@link
   * #SESSION_ALLOWANCE} for its session when it sends any}
   */
  public int chars() {
    return texts.isEmpty() ? 0 : textChars() + SESSION_ALLOWANCE;
  }
}
