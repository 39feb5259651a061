package dev.voicebridge.text.shaping.internal;

/** Numbers in English words, American style ("one thousand two hundred thirty-four"). */
public final class EnglishNumbers {
  private static final String[] ONES = {
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen"
  };
  private static final String[] TENS = {
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"
  };
  private static final String[] SCALES = {"", "thousand", "million", "billion", "trillion"};

  /** The largest number read as a cardinal; longer digit strings are read digit by digit. */
  public static final long MAX = 999_999_999_999_999L;

  private EnglishNumbers() {}

  /** {@code n} in words, for {@code |n| <= MAX}. */
  public static String cardinal(long n) {
    if (n < 0) {
      return "minus " + cardinal(-n);
    }
    if (n > MAX) {
      throw new IllegalArgumentException("too large: " + n);
    }
    if (n < 1000) {
      return under1000((int) n);
    }
    StringBuilder sb = new StringBuilder();
    long rest = n;
    long scale = 1_000_000_000_000L;
    for (int s = 4; s >= 0; s--) {
      int group = (int) (rest / scale);
      rest %= scale;
      scale /= 1000;
      if (group == 0) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(under1000(group));
      if (s > 0) {
        sb.append(' ').append(SCALES[s]);
      }
    }
    return sb.toString();
  }

  private static String under1000(int n) {
    if (n < 100) {
      return under100(n);
    }
    String h = ONES[n / 100] + " hundred";
    return n % 100 == 0 ? h : h + " " + under100(n % 100);
  }

  private static String under100(int n) {
    if (n < 20) {
      return ONES[n];
    }
    return n % 10 == 0 ? TENS[n / 10] : TENS[n / 10] + "-" + ONES[n % 10];
  }

  /** {@code n}th in words: "first", "twenty-second", "one hundredth". */
  public static String ordinal(long n) {
    String c = cardinal(n);
    int cut = Math.max(c.lastIndexOf(' '), c.lastIndexOf('-')) + 1;
    return c.substring(0, cut) + ordinalWord(c.substring(cut));
  }

  private static String ordinalWord(String w) {
    switch (w) {
      case "one":
        return "first";
      case "two":
        return "second";
      case "three":
        return "third";
      case "five":
        return "fifth";
      case "eight":
        return "eighth";
      case "nine":
        return "ninth";
      case "twelve":
        return "twelfth";
      default:
        return w.endsWith("y") ? w.substring(0, w.length() - 1) + "ieth" : w + "th";
    }
  }

  /** A year: "nineteen ninety-nine", "two thousand five", "twenty twenty-four". */
  public static String year(int y) {
    if (y < 1000 || y > 9999) {
      return cardinal(y);
    }
    int hi = y / 100;
    int lo = y % 100;
    if (y % 1000 == 0 || (hi % 10 == 0 && lo < 10)) {
      return cardinal(y); // two thousand, two thousand five
    }
    if (lo == 0) {
      return cardinal(hi) + " hundred";
    }
    if (lo < 10) {
      return cardinal(hi) + " oh " + cardinal(lo);
    }
    return cardinal(hi) + " " + cardinal(lo);
  }

  /** The plural of the last word: "nineties", "hundreds". */
  public static String plural(String words) {
    return words.endsWith("y") ? words.substring(0, words.length() - 1) + "ies" : words + "s";
  }

  /** Each digit in words: "zero zero seven". */
  public static String digits(String ds) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < ds.length(); i++) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(ONES[ds.charAt(i) - '0']);
    }
    return sb.toString();
  }

  /**
   * A plain number: digits with optional thousands commas and an optional fraction ("3.14": "three
   * point one four"); null when it is not one or too long (the caller reads digits instead).
   */
  public static String decimal(String integer, String fraction) {
    String ds = integer.replace(",", "");
    if (ds.length() > 15) {
      return null;
    }
    String w = cardinal(Long.parseLong(ds));
    if (fraction == null || fraction.isEmpty()) {
      return w;
    }
    return w + " point " + digits(fraction);
  }
}
