package dev.voicebridge.text.shaping.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Emoji removed, or replaced by their names ("thumbs up sign", "flag of Japan"). An emoji is one
 * cluster: a pictograph with its variation selector, skin tone, keycap mark, tag characters and
 * zero-width-joined partners (👩‍💻 is one emoji, named "woman personal computer"), or a pair of
 * regional indicators (a flag). Names are the Unicode character names of the JDK, in lower case; an
 * emoji newer than the JDK's Unicode version has no name and is removed. Symbols that are text by
 * default (©, ®, ™, ‼) count as emoji only when an emoji variation selector follows them.
 *
 * <p>It holds an emoji until the character after it shows the cluster has ended, and a digit, '#'
 * or '*' until the next character shows it is not a keycap.
 */
public final class EmojiStage extends Stage {
  private static final char VS15 = '\uFE0E';
  private static final char VS16 = '\uFE0F';
  private static final int ZWJ = 0x200D;
  private static final int KEYCAP = 0x20E3;

  private final boolean name;

  /** Emoji named ({@code name}) or removed. */
  public EmojiStage(boolean name) {
    this.name = name;
  }

  @Override
  protected boolean step() {
    char c = peek(0);
    if (Character.isHighSurrogate(c) && available() < 2) {
      if (!atEnd()) {
        return false;
      }
      copy(1);
      return true;
    }
    int cp = codePointAt(0);
    if (isKeycapBase(cp)) {
      return keycap();
    }
    if (cp == VS16 || cp == VS15) {
      drop(1); // a stray presentation selector: invisible anyway
      return true;
    }
    if (isTextDefault(cp)) {
      if (available() < 2) {
        if (!atEnd()) {
          return false;
        }
        copy(1);
        return true;
      }
      if (peek(1) != VS16) {
        copy(1);
        return true;
      }
      return cluster();
    }
    if (isEmoji(cp) || isRegional(cp)) {
      return cluster();
    }
    int k = 0;
    while (k < available()) {
      int d = codePointAt(k);
      if (Character.isHighSurrogate(peek(k)) && k + 1 >= available()) {
        break;
      }
      if (isKeycapBase(d)
          || d == VS16
          || d == VS15
          || isTextDefault(d)
          || isEmoji(d)
          || isRegional(d)) {
        break;
      }
      k += Character.charCount(d);
    }
    if (k == 0) {
      return false; // a lone high surrogate at the end, its pair to come
    }
    copy(k);
    return true;
  }

  /** A digit, '#' or '*' followed by an optional VS16 and the keycap mark: the key's character. */
  private boolean keycap() {
    int k = 1;
    if (k < available() && peek(k) == VS16) {
      k++;
    }
    if (k >= available()) {
      if (!atEnd()) {
        return false;
      }
      copy(1);
      return true;
    }
    if (peek(k) == KEYCAP) {
      copy(1);
      drop(k); // the selector and the keycap mark
      return true;
    }
    copy(1); // a plain character (a stray selector after it goes next)
    return true;
  }

  /** An emoji cluster from the current position. */
  private boolean cluster() {
    List<Integer> bases = new ArrayList<>();
    int k = 0;
    int first = codePointAt(0);
    if (isRegional(first)) {
      k = Character.charCount(first);
      if (!hasCodePoint(k)) {
        if (!atEnd()) {
          return false;
        }
        return emit(k, null); // half a flag
      }
      int second = codePointAt(k);
      if (isRegional(second)) {
        String flag = flagName(first, second);
        k += Character.charCount(second);
        return emit(k, flag);
      }
      return emit(k, null);
    }
    bases.add(first);
    k = Character.charCount(first);
    while (true) {
      if (!hasCodePoint(k)) {
        return waitOrEmit(k, bases);
      }
      int d = codePointAt(k);
      if (d == VS16 || d == VS15 || isSkinTone(d) || d == KEYCAP || isTag(d)) {
        k += Character.charCount(d);
        continue;
      }
      if (d == ZWJ) {
        int after = k + 1;
        if (!hasCodePoint(after)) {
          if (!atEnd()) {
            return false;
          }
          return emit(after, name(bases));
        }
        int e = codePointAt(after);
        if (isEmoji(e) || isTextDefault(e)) {
          bases.add(e);
          k = after + Character.charCount(e);
          continue;
        }
        return emit(after, name(bases)); // a joiner to nothing: part of the emoji
      }
      return emit(k, name(bases));
    }
  }

  private boolean hasCodePoint(int k) {
    if (k >= available()) {
      return false;
    }
    return !(Character.isHighSurrogate(peek(k)) && k + 1 >= available());
  }

  private boolean waitOrEmit(int k, List<Integer> bases) {
    if (!atEnd()) {
      return false;
    }
    return emit(Math.min(k, available()), name(bases));
  }

  /**
   * Consumes {@code n} characters of emoji, emitting {@code spoken} (null: nothing) with a space on
   * each side that touches a word, or nothing (a space when it sat between two words).
   */
  private boolean emit(int n, String spoken) {
    char before = lastOut();
    boolean wordBefore = before != 0 && !Character.isWhitespace(before);
    char next = n < available() ? peek(n) : ' ';
    boolean wordAfter = Character.isLetterOrDigit(next) || Character.isHighSurrogate(next);
    if (!name || spoken == null) {
      if (Character.isLetterOrDigit(before) && Character.isLetterOrDigit(next)) {
        replace(n, " "); // great👍job: two words still
      } else {
        drop(n);
      }
      return true;
    }
    replace(n, (wordBefore ? " " : "") + spoken + (wordAfter ? " " : ""));
    return true;
  }

  private static String name(List<Integer> bases) {
    StringBuilder sb = new StringBuilder();
    for (int cp : bases) {
      String n = Character.getName(cp);
      if (n == null) {
        return null;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(n.toLowerCase(Locale.ROOT));
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  private static String flagName(int a, int b) {
    String region = "" + (char) ('A' + a - 0x1F1E6) + (char) ('A' + b - 0x1F1E6);
    String country = new Locale("", region).getDisplayCountry(Locale.ENGLISH);
    if (country.isEmpty() || country.equals(region)) {
      return "flag " + region;
    }
    return "flag of " + country;
  }

  private static boolean isKeycapBase(int cp) {
    return (cp >= '0' && cp <= '9') || cp == '#' || cp == '*';
  }

  private static boolean isRegional(int cp) {
    return cp >= 0x1F1E6 && cp <= 0x1F1FF;
  }

  private static boolean isSkinTone(int cp) {
    return cp >= 0x1F3FB && cp <= 0x1F3FF;
  }

  private static boolean isTag(int cp) {
    return cp >= 0xE0020 && cp <= 0xE007F;
  }

  /** Symbols that are text unless VS16 follows: ©, ®, ‼, ⁉, ™, ℹ, Ⓜ, and arrows and shapes. */
  private static boolean isTextDefault(int cp) {
    return cp == 0x00A9
        || cp == 0x00AE
        || cp == 0x203C
        || cp == 0x2049
        || cp == 0x2122
        || cp == 0x2139
        || (cp >= 0x2194 && cp <= 0x21AA)
        || cp == 0x24C2
        || (cp >= 0x25AA && cp <= 0x25FE);
  }

  /** Pictographs that are emoji by themselves. */
  static boolean isEmoji(int cp) {
    return (cp >= 0x1F000 && cp <= 0x1FAFF && !isRegional(cp) && !isSkinTone(cp))
        || (cp >= 0x2600 && cp <= 0x27BF)
        || cp == 0x231A
        || cp == 0x231B
        || cp == 0x2328
        || cp == 0x23CF
        || (cp >= 0x23E9 && cp <= 0x23FA)
        || (cp >= 0x2B05 && cp <= 0x2B07)
        || cp == 0x2B1B
        || cp == 0x2B1C
        || cp == 0x2B50
        || cp == 0x2B55
        || cp == 0x3030
        || cp == 0x303D
        || cp == 0x3297
        || cp == 0x3299;
  }
}
