package dev.voicebridge.text;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Cuts text that arrives in pieces (a language model's tokens) into segments that can be
 * synthesized one by one: sentences, plus optionally an early first clause.
 *
 * <pre>{@code
 * SentenceSegmenter segmenter = SentenceSegmenter.builder().firstSegmentMinChars(20).build();
 * for (String token : llmTokens) {
 *   for (String segment : segmenter.push(token)) {
 *     synthesize(segment);
 *   }
 * }
 * segmenter.flush().forEach(this::synthesize); // end of the model's turn
 * }</pre>
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Segments are trimmed, never empty, keep their punctuation, and concatenated (with
 *       whitespace between them) they are the input text, with nothing lost or reordered.
 *   <li>The result does not depend on how the text was cut into tokens: pushing it whole, or
 *       character by character, gives the same segments. To make this possible a possible boundary
 *       that depends on text not yet received is left undecided until that text arrives; {@link
 *       #flush()} decides it as end of text.
 * </ul>
 *
 * <h2>Where a segment ends</h2>
 *
 * <ul>
 *   <li><b>Sentence end</b>: a run of {@code . ! ? …} (also {@code ‼ ⁇ ⁈ ⁉ ‽ ؟}), optionally
 *       followed by closing quotes or brackets, then whitespace. The segment includes the closing
 *       quotes: {@code He said "Stop." Then left.} gives {@code He said "Stop."} and {@code Then
 *       left.}. The decision waits for the character after the run, and, when that is whitespace,
 *       for the next non-whitespace character: the sentence does not end when it is a lowercase
 *       letter ({@code "Stop!" he said.} and {@code Well... maybe} stay together). A lowercase word
 *       glued to a period and a capitalized word ({@code one.Two}) is a sentence end too.
 *   <li><b>CJK and Devanagari</b>: {@code 。 ！ ？ ｡} and {@code । ॥} end a sentence with no
 *       whitespace after them (the decision waits one character, to keep closing quotes such as
 *       {@code 」} in the segment). An ASCII {@code !} or {@code ?} directly followed by Han or kana
 *       also ends one.
 *   <li><b>Paragraph break</b>: a blank line (two line breaks with only whitespace between) or
 *       U+2029.
 *   <li><b>Early first segment</b>: with {@link Builder#firstSegmentMinChars(int)} {@code N > 0},
 *       while no segment has been emitted in this turn (since creation or the last {@code flush}),
 *       the first clause mark that ends a segment of at least {@code N} characters ends the first
 *       segment: {@code , ; :} followed (after optional closing quotes) by whitespace, an em dash
 *       {@code —}, a spaced en dash {@code –}, or the CJK marks {@code ， 、 ； ：}.
 *   <li><b>Maximum length</b>: a segment that reaches {@link Builder#maxSegmentChars(int)}
 *       characters without a boundary is cut at its last whitespace within the limit, or hard at
 *       the limit if it has none (never inside a surrogate pair).
 * </ul>
 *
 * <h2>Not a sentence end</h2>
 *
 * <ul>
 *   <li>decimals and amounts ({@code 3.14}, {@code $2.50}), domains and e-mail addresses ({@code
 *       example.com}): the period is not followed by whitespace;
 *   <li>known abbreviations ({@code Dr. Mr. Mrs. Ms. Prof. St. Jr. vs. etc. approx. Inc. Jan.} and
 *       more), letter-dot sequences ({@code e.g. i.e. a.m. p.m. U.S. U.S.A.}) and single capital
 *       initials ({@code J. R. R. Tolkien}). These never end a sentence except at the end of the
 *       text, so {@code at 5 p.m. Then} stays one segment: a merge costs a little latency, a wrong
 *       cut costs prosody;
 *   <li>a number of one to three digits followed by a period at the start of a line, of the text or
 *       of a segment, or after a colon and a space: a numbered list item ({@code 1. Open the box.}
 *       and {@code Steps: 1. Open it.} are one segment each, never a lone {@code 1.}); a number
 *       elsewhere ({@code I counted to 3. Then}) ends the sentence as usual;
 *   <li>an ellipsis or any other terminator followed by a lowercase word;
 *   <li>a sentence end that would leave a segment without any letter or digit (such as a lone
 *       {@code ...}): the punctuation joins the following segment instead.
 * </ul>
 *
 * <p>A single line break is not a boundary. Lookahead over whitespace and lookbehind over a word
 * are bounded (a few dozen characters), so memory and time stay linear in the input.
 *
 * <p>Not thread-safe: an instance belongs to one text stream and must be used by one thread at a
 * time (or with external synchronization).
 */
public final class SentenceSegmenter {

  /** The default {@link Builder#maxSegmentChars(int)}. */
  public static final int DEFAULT_MAX_SEGMENT_CHARS = 300;

  /** How far to look past whitespace for the next word or line break. */
  private static final int LOOKAHEAD = 64;

  /** How many characters before the current segment are kept for lookbehind. */
  private static final int LOOKBEHIND = 64;

  /** The longest word examined as a possible abbreviation. */
  private static final int MAX_WORD = 32;

  /** Compact the buffer once this many characters before the current segment are done. */
  private static final int COMPACT_AT = 4096;

  private static final String TERMINATORS = ".!?…‼⁇⁈⁉‽؟";
  private static final String CJK_TERMINATORS = "。！？｡।॥";
  private static final String CLOSERS = "\"'”’)]}»›」』】》〉）〕］｝〗";
  private static final String OPENERS = "\"'“‘([{«‹¿¡「『【《〈（〔［｛〖";
  private static final String CJK_CLAUSE_MARKS = "，、；：";

  private static final Set<String> ABBREVIATIONS = new HashSet<>();

  static {
    // Capitalized: accepted only as written ("Dr.", "Fig."), so "I ate a fig." ends a sentence.
    for (String s :
        new String[] {
          "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "St", "Sr", "Jr", "Mt", "Ft", "Rev", "Hon", "Gen",
          "Col", "Lt", "Capt", "Cmdr", "Sgt", "Gov", "Sen", "Rep", "Pres", "Supt", "Fig", "Figs",
          "Inc", "Ltd", "Co", "Corp", "Dept", "Univ", "Ave", "Blvd", "Rd", "Jan", "Feb", "Mar",
          "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Ph.D"
        }) {
      ABBREVIATIONS.add(s);
    }
    // Lowercase: accepted as written or capitalized ("etc.", "Etc.").
    for (String s :
        new String[] {
          "vs", "etc", "approx", "cf", "al", "viz", "incl", "esp", "e.g", "i.e", "a.m", "p.m"
        }) {
      ABBREVIATIONS.add(s);
      ABBREVIATIONS.add(Character.toUpperCase(s.charAt(0)) + s.substring(1));
    }
  }

  private enum Decision {
    /** Not a boundary; continue scanning at {@link #next}. */
    ADVANCE,
    /** A boundary: the segment ends before {@link #next}. */
    END,
    /** Undecided until more text arrives. */
    WAIT
  }

  private final int firstSegmentMinChars;
  private final int maxSegmentChars;

  private final StringBuilder buf = new StringBuilder();

  /** Offset of {@code buf[0]} from the start of the turn. */
  private long origin;

  /** Start of the pending segment in {@code buf}. */
  private int segStart;

  /** Every position before this one has been decided as no boundary. */
  private int scan;

  /** Segments emitted since creation or the last flush. */
  private int emitted;

  /** Result position of the last decision. */
  private int next;

  private SentenceSegmenter(Builder b) {
    this.firstSegmentMinChars = b.firstSegmentMinChars;
    this.maxSegmentChars = b.maxSegmentChars;
  }

  /**
   * Starts a builder with the defaults: no early first segment, at most {@value
   * #DEFAULT_MAX_SEGMENT_CHARS} characters per segment.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Splits a whole text into segments with the default settings.
   *
   * @param text the text
   * @return the segments, possibly none
   */
  public static List<String> split(String text) {
    Objects.requireNonNull(text, "text");
    SentenceSegmenter s = builder().build();
    List<String> out = new ArrayList<>(s.push(text));
    out.addAll(s.flush());
    return out;
  }

  /**
   * Adds the next piece of text and returns the segments it completed.
   *
   * @param token the next piece of text, possibly empty
   * @return the completed segments in order, possibly none; a new mutable list
   * @throws NullPointerException if {@code token} is {@code null}
   */
  public List<String> push(CharSequence token) {
    Objects.requireNonNull(token, "token");
    buf.append(token);
    List<String> out = new ArrayList<>(2);
    run(false, out);
    compact();
    return out;
  }

  /**
   * Ends the turn: returns the remaining text as segments (decided as if the text ended here) and
   * resets this segmenter, so the next turn starts fresh (including the early first segment).
   *
   * @return the remaining segments in order, possibly none; a new mutable list
   */
  public List<String> flush() {
    List<String> out = new ArrayList<>(2);
    run(true, out);
    emit(segStart, buf.length(), out);
    buf.setLength(0);
    origin = 0;
    segStart = 0;
    scan = 0;
    emitted = 0;
    return out;
  }

  // --- scanning ---

  private void run(boolean eof, List<String> out) {
    while (true) {
      int len = buf.length();
      while (segStart < len && isSpace(buf.charAt(segStart))) {
        segStart++;
      }
      if (scan < segStart) {
        scan = segStart;
      }
      if (scan - segStart >= maxSegmentChars
          && len - segStart > maxSegmentChars
          && (scan < len || eof)) {
        cutAtMax(out);
        continue;
      }
      if (scan >= len) {
        return;
      }
      Decision d = decide(scan, eof);
      if (d == Decision.WAIT) {
        return;
      }
      if (d == Decision.END && hasWordChar(segStart, next)) {
        emit(segStart, next, out);
        segStart = next;
        scan = next;
      } else {
        scan = Math.max(next, scan + 1);
      }
    }
  }

  private Decision decide(int p, boolean eof) {
    char c = buf.charAt(p);
    if (TERMINATORS.indexOf(c) >= 0 || CJK_TERMINATORS.indexOf(c) >= 0) {
      return decideTerminator(p, eof);
    }
    if (c == '\n') {
      return decideNewline(p, eof);
    }
    if (c == '\u2029') {
      return end(p);
    }
    if (firstSegmentMinChars > 0 && emitted == 0 && isClauseMark(c)) {
      return decideClause(p, eof);
    }
    return advance(p + 1);
  }

  private Decision decideTerminator(int p, boolean eof) {
    int len = buf.length();
    int q = p;
    boolean cjk = false;
    boolean bangOrQuestion = false;
    while (q < len) {
      char c = buf.charAt(q);
      if (CJK_TERMINATORS.indexOf(c) >= 0) {
        cjk = true;
      } else if (TERMINATORS.indexOf(c) < 0) {
        break;
      } else if (c != '.' && c != '…') {
        bangOrQuestion = true;
      }
      q++;
    }
    if (q == len && !eof) {
      return Decision.WAIT;
    }
    int r = q;
    while (r < len && CLOSERS.indexOf(buf.charAt(r)) >= 0) {
      r++;
    }
    if (r == len) {
      return eof ? end(r) : Decision.WAIT;
    }
    if (cjk) {
      return end(r);
    }
    char after = buf.charAt(r);
    if (!isSpace(after)) {
      if (bangOrQuestion && isHanOrKana(buf.codePointAt(r))) {
        return end(r);
      }
      if (q - p == 1 && r == q && p > 0 && Character.isLowerCase(buf.charAt(p - 1))) {
        // "one.Two": a sentence glued to the previous one.
        if (Character.isUpperCase(after)) {
          if (r + 1 == len) {
            return eof ? advance(q) : Decision.WAIT;
          }
          if (Character.isLowerCase(buf.charAt(r + 1))) {
            return end(r);
          }
        }
      }
      return advance(q);
    }
    if (q - p == 1 && buf.charAt(p) == '.' && (isAbbreviation(p) || isListNumber(p))) {
      return advance(q);
    }
    // Look past the whitespace: a lowercase word continues the sentence.
    int s = r;
    int breaks = 0;
    while (s < len && s - r < LOOKAHEAD && isSpace(buf.charAt(s))) {
      char c = buf.charAt(s);
      if (c == '\n' || c == '\u2029') {
        breaks++;
      }
      s++;
    }
    if (breaks >= 2 || s - r >= LOOKAHEAD) {
      return end(r);
    }
    if (s == len || (s + 1 == len && Character.isHighSurrogate(buf.charAt(s)))) {
      return eof ? end(r) : Decision.WAIT;
    }
    return Character.isLowerCase(buf.codePointAt(s)) ? advance(q) : end(r);
  }

  private Decision decideNewline(int p, boolean eof) {
    int len = buf.length();
    int s = p + 1;
    while (s < len && s - p <= LOOKAHEAD) {
      char c = buf.charAt(s);
      if (c == '\n' || c == '\u2029') {
        return end(p);
      }
      if (!isSpace(c)) {
        return advance(p + 1);
      }
      s++;
    }
    if (s < len) {
      return advance(p + 1); // too much whitespace to look through
    }
    return eof ? advance(p + 1) : Decision.WAIT;
  }

  private Decision decideClause(int p, boolean eof) {
    if (p + 1 - segStart < firstSegmentMinChars) {
      return advance(p + 1);
    }
    char c = buf.charAt(p);
    if (CJK_CLAUSE_MARKS.indexOf(c) >= 0) {
      return end(p + 1);
    }
    int len = buf.length();
    if (c == '—') {
      if (p + 1 == len) {
        return eof ? end(p + 1) : Decision.WAIT;
      }
      return buf.charAt(p + 1) == '—' ? advance(p + 1) : end(p + 1);
    }
    if (c == '–') {
      if (p + 1 == len) {
        return eof ? advance(p + 1) : Decision.WAIT;
      }
      return p > 0 && isSpace(buf.charAt(p - 1)) && isSpace(buf.charAt(p + 1))
          ? end(p + 1)
          : advance(p + 1);
    }
    // , ; :
    int r = p + 1;
    while (r < len && CLOSERS.indexOf(buf.charAt(r)) >= 0) {
      r++;
    }
    if (r == len) {
      return eof ? end(r) : Decision.WAIT;
    }
    return isSpace(buf.charAt(r)) ? end(r) : advance(p + 1);
  }

  /** Whether the word before the period at {@code p} is an abbreviation or an initial. */
  private boolean isAbbreviation(int p) {
    int i = p - 1;
    while (i >= 0 && p - 1 - i < MAX_WORD) {
      char c = buf.charAt(i);
      if (!Character.isLetter(c) && c != '.') {
        break;
      }
      i--;
    }
    int start = i + 1;
    if (start == p || (i >= 0 && p - 1 - i >= MAX_WORD)) {
      return false; // no word, or too long to be an abbreviation
    }
    if (i >= 0) {
      char before = buf.charAt(i);
      if (!isSpace(before) && OPENERS.indexOf(before) < 0) {
        return false; // "1st.", "x-Dr."
      }
    }
    String word = buf.substring(start, p);
    if (word.length() == 1) {
      return Character.isUpperCase(word.charAt(0)); // an initial: "J. R. R. Tolkien"
    }
    return ABBREVIATIONS.contains(word) || isLetterDotSequence(word);
  }

  /** "U.S", "e.g", "U.S.A": single letters separated by periods. */
  private static boolean isLetterDotSequence(String word) {
    if (word.length() < 3 || word.length() % 2 == 0) {
      return false;
    }
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (i % 2 == 0 ? !Character.isLetter(c) : c != '.') {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the period at {@code p} follows a list number ("1."): one to three digits at the start
   * of a line, of the text, of the pending segment, or after a colon and a space.
   */
  private boolean isListNumber(int p) {
    int i = p - 1;
    int digits = 0;
    while (i >= 0 && digits < 4 && isAsciiDigit(buf.charAt(i))) {
      digits++;
      i--;
    }
    if (digits == 0 || digits > 3) {
      return false;
    }
    if (p - digits == segStart) {
      return true; // "Top reasons. 2. Quality."
    }
    int spaces = 0;
    while (i >= 0 && spaces < 16 && (buf.charAt(i) == ' ' || buf.charAt(i) == '\t')) {
      spaces++;
      i--;
    }
    if (i < 0) {
      return origin == 0; // start of the turn
    }
    char c = buf.charAt(i);
    return c == '\n' || c == '\r' || c == '\u2029' || (c == ':' && spaces > 0);
  }

  private void cutAtMax(List<String> out) {
    int limit = segStart + maxSegmentChars; // buf holds a character at limit
    int cut = -1;
    for (int i = limit; i > segStart; i--) {
      if (isSpace(buf.charAt(i))) {
        cut = i;
        break;
      }
    }
    if (cut < 0) {
      cut = limit;
      if (Character.isHighSurrogate(buf.charAt(cut - 1))
          && Character.isLowSurrogate(buf.charAt(cut))) {
        cut--;
        if (cut == segStart) {
          cut += 2;
        }
      }
    }
    emit(segStart, cut, out);
    segStart = cut;
  }

  private void emit(int from, int to, List<String> out) {
    while (from < to && isSpace(buf.charAt(from))) {
      from++;
    }
    while (to > from && isSpace(buf.charAt(to - 1))) {
      to--;
    }
    if (from < to) {
      out.add(buf.substring(from, to));
      emitted++;
    }
  }

  private void compact() {
    if (segStart > COMPACT_AT) {
      int drop = segStart - LOOKBEHIND;
      buf.delete(0, drop);
      origin += drop;
      segStart -= drop;
      scan -= drop;
    }
  }

  private Decision advance(int to) {
    next = to;
    return Decision.ADVANCE;
  }

  private Decision end(int at) {
    next = at;
    return Decision.END;
  }

  private boolean hasWordChar(int from, int to) {
    for (int i = from; i < to; ) {
      int cp = buf.codePointAt(i);
      if (Character.isLetterOrDigit(cp)) {
        return true;
      }
      i += Character.charCount(cp);
    }
    return false;
  }

  private static boolean isClauseMark(char c) {
    return c == ','
        || c == ';'
        || c == ':'
        || c == '—'
        || c == '–'
        || CJK_CLAUSE_MARKS.indexOf(c) >= 0;
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHanOrKana(int cp) {
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HAN
        || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA;
  }

  /** Builds a {@link SentenceSegmenter}. Not thread-safe. */
  public static final class Builder {
    private int firstSegmentMinChars;
    private int maxSegmentChars = DEFAULT_MAX_SEGMENT_CHARS;

    private Builder() {}

    /**
     * Enables the early first segment: until a segment has been emitted in the current turn, the
     * first clause boundary ({@code , ; : —} or CJK {@code ，、；：}) that ends a segment of at least
     * {@code n} characters ends the first segment, so the first audio is not held back by a long
     * first sentence.
     *
     * @param n the minimum length of an early first segment, or 0 (the default) to disable it
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public Builder firstSegmentMinChars(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("firstSegmentMinChars must be >= 0 (0 = off): " + n);
      }
      this.firstSegmentMinChars = n;
      return this;
    }

    /**
     * Sets the longest segment: text without a boundary is cut at its last whitespace within this
     * many characters, or hard at the limit if it has none. A sentence end found within the limit
     * may make a segment a few characters longer to keep its closing quotes.
     *
     * @param n the maximum number of characters, positive; default {@value
     *     #DEFAULT_MAX_SEGMENT_CHARS}
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is not positive
     */
    public Builder maxSegmentChars(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxSegmentChars must be positive: " + n);
      }
      this.maxSegmentChars = n;
      return this;
    }

    /**
     * Builds the segmenter.
     *
     * @return a new segmenter
     */
    public SentenceSegmenter build() {
      return new SentenceSegmenter(this);
    }
  }
}
