package dev.voicebridge.text.shaping.internal;

/**
 * A stage that decides word by word, a word being a run of characters other than white space: it
 * holds a word until the white space after it (the word may continue in the next token) or a flush.
 * White space passes at once. A run longer than {@code maxWord} characters is not a word this stage
 * rewrites: it passes unchanged as it comes.
 */
public abstract class WordStage extends Stage {
  private final int maxWord;
  private boolean passing;

  /** Words up to {@code maxWord} characters are rewritten; longer runs pass. */
  protected WordStage(int maxWord) {
    this.maxWord = maxWord;
  }

  @Override
  protected final boolean step() {
    if (Character.isWhitespace(peek(0))) {
      int k = 1;
      while (k < available() && Character.isWhitespace(peek(k))) {
        k++;
      }
      passing = false;
      copy(k);
      return true;
    }
    int k = 0;
    while (k < available() && !Character.isWhitespace(peek(k)) && (passing || k < maxWord)) {
      k++;
    }
    if (passing) {
      copy(k);
      return true;
    }
    if (k == maxWord) {
      passing = true;
      longRun();
      copy(k);
      return true;
    }
    if (k == available() && !atEnd()) {
      return false;
    }
    int before = available();
    word(k);
    if (before - available() != k) {
      throw new IllegalStateException(getClass().getSimpleName() + " did not consume its word");
    }
    return true;
  }

  /**
   * Consumes the word of the next {@code n} characters (exactly those), emitting its spoken form.
   */
  protected abstract void word(int n);

  /** A run too long to be a word passes; subclasses forget any context they keep. */
  protected void longRun() {}

  /**
   * How many characters at the start of {@code w} are opening punctuation: ( [ { < " ' and so on.
   */
  protected static int leading(String w) {
    int i = 0;
    while (i < w.length() - 1 && "([{<\"'\u201C\u2018\u00AB".indexOf(w.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }

  /**
   * How many characters at the end of {@code w}, after {@code from}, are closing punctuation: . , ;
   * : ! ? ] } > " ' and a closing parenthesis that opens nowhere in the word.
   */
  protected static int trailing(String w, int from) {
    int end = w.length();
    while (end > from + 1) {
      char c = w.charAt(end - 1);
      if (".,;:!?]}>\"'\u201D\u2019\u00BB".indexOf(c) >= 0) {
        end--;
      } else if (c == ')' && count(w, from, end, '(') < count(w, from, end, ')')) {
        end--;
      } else {
        break;
      }
    }
    return w.length() - end;
  }

  private static int count(String w, int from, int to, char c) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (w.charAt(i) == c) {
        n++;
      }
    }
    return n;
  }
}
