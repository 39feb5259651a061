package dev.voicebridge.text.shaping.internal;

import java.util.regex.Pattern;

/**
 * Markdown to speakable text, as a stream. Markup goes, its text stays: emphasis and strikethrough
 * markers, inline code backticks, link and image syntax (the link text and alt text stay, the URL
 * goes), heading hashes, list bullets and task boxes, block quote markers, table pipes (cells are
 * read with a comma between them, the delimiter row goes), thematic breaks, fences of code blocks
 * (their code is spoken, or skipped), HTML tags (an autolink's address stays), backslash escapes. A
 * heading, list item or table row that ends without punctuation gets a period, so the voice pauses.
 *
 * <p>It holds only what it must: a run of {@code *}, {@code _} or {@code ~} until the character
 * after it (a marker is removed when it touches a word on one side only, so {@code 2*3}, {@code
 * snake_case} and {@code a * b} stay), a backtick run until its end, white space until the next
 * character (white space before a line end or a table pipe goes), the start of a line while it may
 * still be a thematic break, a fence or a table delimiter row, and an HTML tag until its {@code >}
 * (at most 256 characters). An emphasis marker is removed without waiting for its closing partner:
 * speech has no use for a literal {@code **}. A line break ends inline code, link text and link
 * destinations, so a stray backtick or bracket cannot swallow the rest of the text.
 */
public final class MarkdownStage extends Stage {
  private static final int MAX_TAG = 256;
  private static final int MAX_LINE_HOLD = 1_000;
  private static final Pattern AUTOLINK = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\\s<>]*");
  private static final Pattern EMAIL =
      Pattern.compile(
          "[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9-]+)*");
  private static final Pattern TAG =
      Pattern.compile("/?[A-Za-z][A-Za-z0-9-]*(?:\\s[^<>]*)?/?|!--.*--", Pattern.DOTALL);

  private enum Line {
    /** At the start of a line: block markup may follow. */
    START,
    /** After a bullet or heading marker: white space goes, a task box may follow. */
    AFTER_MARKER,
    /** Inside a line's text. */
    INLINE
  }

  private final boolean speakCodeBlocks;
  private Line line = Line.START;
  private char fenceChar;
  private int fenceLen; // > 0 inside a fenced code block
  private boolean fenceInfo; // dropping the rest of the opening fence's line
  private int codeTicks; // > 0 inside inline code
  private boolean block; // the line is a heading, list item or table row: a period at its end
  private boolean tableRow;
  private boolean dropLine; // a thematic break or table delimiter row: dropped to its end
  private int linkDepth; // > 0 inside a link's text
  private boolean linkDest; // dropping a link's destination
  private int parenDepth;
  private boolean refLabel; // dropping a reference link's label
  private char lastContent; // the last character other than white space emitted on this line

  /** Markdown to speech; {@code speakCodeBlocks} false drops the code of fenced blocks. */
  public MarkdownStage(boolean speakCodeBlocks) {
    this.speakCodeBlocks = speakCodeBlocks;
  }

  @Override
  protected boolean step() {
    boolean progressed = next();
    char lo = lastOut();
    if (lo != 0 && !Character.isWhitespace(lo)) {
      lastContent = lo;
    }
    return progressed;
  }

  private boolean next() {
    char c = peek(0);
    if (dropLine) {
      if (c == '\n') {
        dropLine = false;
        return newline();
      }
      drop(runUntil("\n"));
      return true;
    }
    if (fenceLen > 0) {
      return fence(c);
    }
    if (linkDest) {
      return linkDestination(c);
    }
    if (refLabel) {
      if (c == '\n') {
        refLabel = false;
        return newline();
      }
      if (c == ']') {
        refLabel = false;
        drop(1);
        return true;
      }
      drop(runUntil("]\n"));
      return true;
    }
    if (c == '\n') {
      return newline();
    }
    if (codeTicks > 0) {
      return codeSpan(c);
    }
    if (isSpace(c)) {
      return whitespace();
    }
    if (line == Line.START) {
      Boolean r = blockStart(c);
      if (r != null) {
        return r;
      }
      line = Line.INLINE;
    }
    if (line == Line.AFTER_MARKER) {
      Boolean r = taskBox(c);
      if (r != null) {
        return r;
      }
      line = Line.INLINE;
    }
    return inline(c);
  }

  // ------------------------------------------------------------------ lines

  private boolean newline() {
    if (block && lastContent != 0 && ".!?:;,".indexOf(lastContent) < 0) {
      insert(".");
    }
    copy(1);
    line = Line.START;
    block = false;
    tableRow = false;
    lastContent = 0;
    codeTicks = 0;
    linkDepth = 0;
    linkDest = false;
    refLabel = false;
    return true;
  }

  private boolean whitespace() {
    int k = 0;
    while (k < available() && isSpace(peek(k))) {
      k++;
    }
    if (k == available() && !atEnd()) {
      return false;
    }
    char next = k < available() ? peek(k) : 0;
    if (line != Line.INLINE || next == '\n' || (tableRow && next == '|')) {
      drop(k);
    } else {
      copy(k);
    }
    return true;
  }

  /** Block markup at the start of a line: true/false as for step, null when there is none. */
  private Boolean blockStart(char c) {
    switch (c) {
      case '#':
        {
          int n = run('#');
          if (n == available() && !atEnd()) {
            return false;
          }
          char after = n < available() ? peek(n) : '\n';
          if (n <= 6 && (isSpace(after) || after == '\n')) {
            drop(n);
            block = true;
            line = Line.AFTER_MARKER;
            return true;
          }
          return null;
        }
      case '>':
        drop(1);
        return true;
      case '`':
      case '~':
        {
          int n = run(c);
          if (n == available() && !atEnd()) {
            return false;
          }
          if (n >= 3) {
            fenceChar = c;
            fenceLen = n;
            fenceInfo = true;
            drop(n);
            return true;
          }
          return null;
        }
      case '-':
      case '*':
      case '_':
      case '=':
      case '+':
        {
          if (c != '+') {
            Boolean rule = rule(c);
            if (rule == null) {
              return false;
            }
            if (rule) {
              dropLine = true;
              drop(1);
              return true;
            }
          }
          if (c == '-' || c == '*' || c == '+') {
            if (available() < 2) {
              if (!atEnd()) {
                return false;
              }
              return null;
            }
            if (isSpace(peek(1))) {
              drop(1);
              block = true;
              line = Line.AFTER_MARKER;
              return true;
            }
          }
          return null;
        }
      case '|':
        return tableStart();
      default:
        if (c >= '0' && c <= '9') {
          return ordered();
        }
        return null;
    }
  }

  /** Whether the line is a thematic break made of {@code c}; null when not known yet. */
  private Boolean rule(char c) {
    int count = 0;
    int k = 0;
    while (k < available()) {
      char d = peek(k);
      if (d == '\n' || d == '\r') {
        return count >= 3;
      }
      if (d == c) {
        count++;
      } else if (!isSpace(d)) {
        return false;
      }
      k++;
    }
    if (atEnd() || k > MAX_LINE_HOLD) {
      return count >= 3;
    }
    return null;
  }

  private Boolean ordered() {
    int k = 0;
    while (k < available() && k < 9 && Character.isDigit(peek(k)) && peek(k) < 128) {
      k++;
    }
    if (k + 2 > available() && !atEnd()) {
      return false;
    }
    if (k < available() && (peek(k) == '.' || peek(k) == ')')) {
      boolean spaced = k + 1 < available() && isSpace(peek(k + 1));
      if (spaced) {
        copy(k);
        if (peek(0) == ')') {
          replace(1, ".");
        } else {
          copy(1);
        }
        block = true;
        line = Line.INLINE;
        return true;
      }
    }
    return null;
  }

  private Boolean tableStart() {
    boolean dash = false;
    int k = 0;
    while (k < available()) {
      char d = peek(k);
      if (d == '\n' || d == '\r') {
        break;
      }
      if (d == '-') {
        dash = true;
      } else if (d != '|' && d != ':' && !isSpace(d)) {
        drop(1); // a row: its leading pipe goes
        tableRow = true;
        block = true;
        line = Line.AFTER_MARKER;
        return true;
      }
      k++;
    }
    if (k == available() && !atEnd() && k <= MAX_LINE_HOLD) {
      return false;
    }
    if (dash) {
      dropLine = true; // the delimiter row
      drop(1);
      return true;
    }
    drop(1);
    tableRow = true;
    block = true;
    line = Line.AFTER_MARKER;
    return true;
  }

  private Boolean taskBox(char c) {
    if (c != '[') {
      return null;
    }
    if (available() < 4 && !atEnd()) {
      return false;
    }
    if (available() >= 3) {
      char box = peek(1);
      boolean after = available() == 3 || isSpace(peek(3)) || peek(3) == '\n';
      if ((box == ' ' || box == 'x' || box == 'X') && peek(2) == ']' && after) {
        drop(3);
        return true;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------ code

  private boolean fence(char c) {
    if (fenceInfo) {
      if (c == '\n') {
        fenceInfo = false;
        copy(1);
        line = Line.START;
        return true;
      }
      drop(runUntil("\n"));
      return true;
    }
    if (c == '\n') {
      copy(1);
      line = Line.START;
      lastContent = 0;
      return true;
    }
    if (line == Line.START) {
      int k = 0;
      while (k < available() && isSpace(peek(k))) {
        k++;
      }
      int m = 0;
      while (k + m < available() && peek(k + m) == fenceChar) {
        m++;
      }
      int j = k + m;
      while (j < available() && isSpace(peek(j))) {
        j++;
      }
      if (j == available() && !atEnd() && j <= MAX_LINE_HOLD) {
        return false;
      }
      boolean closes = m >= fenceLen && (j == available() || peek(j) == '\n');
      if (closes) {
        drop(j);
        fenceLen = 0;
        return true;
      }
      line = Line.INLINE;
    }
    int k = runUntil("\n");
    if (speakCodeBlocks) {
      copy(k);
    } else {
      drop(k);
    }
    return true;
  }

  private boolean codeSpan(char c) {
    if (c == '`') {
      int n = run('`');
      if (n == available() && !atEnd()) {
        return false;
      }
      if (n == codeTicks) {
        drop(n);
        codeTicks = 0;
      } else {
        copy(n);
      }
      return true;
    }
    copy(runUntil("`\n"));
    return true;
  }

  // ------------------------------------------------------------------ inline

  private boolean inline(char c) {
    switch (c) {
      case '`':
        {
          int n = run('`');
          if (n == available() && !atEnd()) {
            return false;
          }
          drop(n);
          codeTicks = n;
          return true;
        }
      case '\\':
        {
          if (available() < 2) {
            if (!atEnd()) {
              return false;
            }
            copy(1);
            return true;
          }
          char d = peek(1);
          if (d == '\n') {
            drop(1); // a hard line break
          } else if (d < 128 && isPunctuation(d)) {
            drop(1);
            copy(1); // an escaped character is text, whatever it is
          } else {
            copy(1);
          }
          return true;
        }
      case '*':
      case '_':
      case '~':
        return emphasis(c);
      case '!':
        if (available() < 2) {
          if (!atEnd()) {
            return false;
          }
          copy(1);
          return true;
        }
        if (peek(1) == '[' && !Character.isLetterOrDigit(prev())) {
          drop(1); // an image: its alt text is read
        } else {
          copy(1);
        }
        return true;
      case '[':
        if (Character.isLetterOrDigit(prev())) {
          copy(1); // array[0]
        } else {
          drop(1);
          linkDepth++;
        }
        return true;
      case ']':
        return closeBracket();
      case '<':
        return angle();
      case '|':
        if (tableRow) {
          return pipe();
        }
        copy(1);
        return true;
      default:
        {
          int k = 1;
          while (k < available() && !special(peek(k))) {
            k++;
          }
          copy(k);
          return true;
        }
    }
  }

  private boolean emphasis(char c) {
    int n = run(c);
    if (n == available() && !atEnd()) {
      return false;
    }
    if (c == '~' && n != 2) {
      copy(n);
      return true;
    }
    char next = n < available() ? peek(n) : ' ';
    char p = prev();
    boolean words = Character.isLetterOrDigit(p) && Character.isLetterOrDigit(next);
    boolean spaces = Character.isWhitespace(p) && Character.isWhitespace(next);
    if (words || spaces) {
      copy(n); // 2*3, snake_case, a * b
    } else {
      drop(n);
    }
    return true;
  }

  private boolean closeBracket() {
    if (linkDepth == 0) {
      copy(1);
      return true;
    }
    if (linkDepth > 1) {
      linkDepth--;
      drop(1);
      return true;
    }
    if (available() < 2 && !atEnd()) {
      return false;
    }
    char d = available() < 2 ? 0 : peek(1);
    linkDepth = 0;
    if (d == '(') {
      drop(2);
      linkDest = true;
      parenDepth = 0;
    } else if (d == '[') {
      drop(2);
      refLabel = true;
    } else {
      drop(1);
    }
    return true;
  }

  private boolean linkDestination(char c) {
    if (c == '\n') {
      linkDest = false;
      return newline();
    }
    if (c == '(') {
      parenDepth++;
      drop(1);
      return true;
    }
    if (c == ')') {
      if (parenDepth == 0) {
        linkDest = false;
      } else {
        parenDepth--;
      }
      drop(1);
      return true;
    }
    drop(runUntil("()\n"));
    return true;
  }

  private boolean angle() {
    if (available() < 2) {
      if (!atEnd()) {
        return false;
      }
      copy(1);
      return true;
    }
    char d = peek(1);
    if (!(isAsciiLetter(d) || d == '/' || d == '!')) {
      copy(1);
      return true;
    }
    int k = 1;
    while (k < available() && k <= MAX_TAG) {
      char e = peek(k);
      if (e == '>') {
        break;
      }
      if (e == '<' || e == '\n') {
        copy(1);
        return true;
      }
      k++;
    }
    if (k > MAX_TAG) {
      copy(1);
      return true;
    }
    if (k == available()) {
      if (!atEnd()) {
        return false;
      }
      copy(1);
      return true;
    }
    String inner = text(1, k);
    if (AUTOLINK.matcher(inner).matches() || EMAIL.matcher(inner).matches()) {
      drop(1);
      copy(k - 1);
      drop(1);
    } else if (TAG.matcher(inner).matches()) {
      if (Character.isWhitespace(prev())) {
        drop(k + 1);
      } else {
        replace(k + 1, " "); // Hello<br>world: two words
      }
    } else {
      copy(1);
    }
    return true;
  }

  private boolean pipe() {
    int k = 1;
    while (k < available() && isSpace(peek(k))) {
      k++;
    }
    if (k == available() && !atEnd()) {
      return false;
    }
    char next = k < available() ? peek(k) : '\n';
    if (next == '\n') {
      drop(k); // the row's trailing pipe
    } else {
      replace(1, ",");
    }
    return true;
  }

  // ------------------------------------------------------------------ helpers

  private int run(char c) {
    int n = 0;
    while (n < available() && peek(n) == c) {
      n++;
    }
    return n;
  }

  /** Characters before the first of {@code stops} (or all that are pending); at least one. */
  private int runUntil(String stops) {
    int k = 0;
    while (k < available() && stops.indexOf(peek(k)) < 0) {
      k++;
    }
    return Math.max(k, 1);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isPunctuation(char c) {
    return "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".indexOf(c) >= 0;
  }

  private static boolean special(char c) {
    return "\n \t\r`\\*_~![]<|".indexOf(c) >= 0;
  }
}
