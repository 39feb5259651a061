package dev.voicebridge.text.shaping.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers, dates, times and amounts of money in English words, so every vendor reads them the same
 * way: "$1,234.50" is "one thousand two hundred thirty-four dollars and fifty cents", "50%" "fifty
 * percent", "21st" "twenty-first", "2024-03-15" and "March 15, 2024" "March fifteenth, twenty
 * twenty-four", "3:05 pm" "three oh five P M", "1990s" "nineteen nineties", "10-20" "ten to
 * twenty". A four-digit number is read as a year after a month or a day of a month, or after "in",
 * "since", "by", "from", "until" and the like ("in 1999"); a day after a month as an ordinal. Digit
 * strings with a leading zero or more than 15 digits are read digit by digit. Anything else with
 * digits in it (versions, addresses, "24/7") is left for the vendor.
 *
 * <p>A slashed date is month first, except for the day-first English locales (en-GB, en-AU, en-NZ,
 * en-IE, en-IN, en-ZA) or when the first number cannot be a month. Words are held until the white
 * space after them.
 */
public final class NumberStage extends WordStage {
  private static final String NUM = "(\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.(\\d+))?";
  private static final Pattern PLAIN = Pattern.compile("([-\u2212])?" + NUM);
  private static final Pattern PERCENT = Pattern.compile("([-\u2212])?" + NUM + "%");
  private static final Pattern MONEY =
      Pattern.compile("([-\u2212])?([$\u20AC\u00A3\u00A5\u20B9])" + NUM + "(k|K|m|M|b|B|bn|tn)?");
  private static final Pattern ORDINAL = Pattern.compile("(\\d+)(?i:st|nd|rd|th)");
  private static final Pattern ISO_DATE = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
  private static final Pattern SLASH_DATE = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
  private static final Pattern TIME =
      Pattern.compile("(\\d{1,2}):(\\d{2})(?i:(am|pm|a\\.m\\.|p\\.m\\.))?");
  private static final Pattern HOUR = Pattern.compile("(\\d{1,2})(?i:(am|pm|a\\.m\\.|p\\.m\\.))");
  private static final Pattern DECADE = Pattern.compile("(\\d{3}0)s");
  private static final Pattern RANGE = Pattern.compile("(\\d+)[-\u2013](\\d+)");
  private static final Pattern UNIT = Pattern.compile(NUM + "([A-Za-z]+)");

  private static final String[] MONTHS = {
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December"
  };
  private static final Map<String, Integer> MONTH_WORDS =
      Map.ofEntries(
          Map.entry("january", 1),
          Map.entry("jan", 1),
          Map.entry("february", 2),
          Map.entry("feb", 2),
          Map.entry("march", 3),
          Map.entry("mar", 3),
          Map.entry("april", 4),
          Map.entry("apr", 4),
          Map.entry("may", 5),
          Map.entry("june", 6),
          Map.entry("jun", 6),
          Map.entry("july", 7),
          Map.entry("jul", 7),
          Map.entry("august", 8),
          Map.entry("aug", 8),
          Map.entry("september", 9),
          Map.entry("sep", 9),
          Map.entry("sept", 9),
          Map.entry("october", 10),
          Map.entry("oct", 10),
          Map.entry("november", 11),
          Map.entry("nov", 11),
          Map.entry("december", 12),
          Map.entry("dec", 12));
  private static final Set<String> YEAR_WORDS =
      Set.of(
          "in", "since", "by", "from", "until", "till", "circa", "during", "before", "after",
          "around", "year", "early", "late", "mid", "spring", "summer", "autumn", "fall", "winter");
  private static final Set<String> DAY_FIRST =
      Set.of("en-gb", "en-au", "en-nz", "en-ie", "en-in", "en-za");

  private final boolean dayFirst;
  private boolean prevMonth; // the previous word was a month
  private boolean prevDay; // the previous word was a day after a month
  private String prevWord = "";

  /** English numbers; {@code language} (or null) chooses the order of slashed dates. */
  public NumberStage(String language) {
    super(64);
    String l = language == null ? "" : language.toLowerCase(Locale.ROOT).replace('_', '-');
    this.dayFirst = DAY_FIRST.stream().anyMatch(l::startsWith);
  }

  @Override
  protected void word(int n) {
    String w = text(0, n);
    int lead = leading(w);
    int trail = trailing(w, lead);
    String core = w.substring(lead, n - trail);
    boolean month = prevMonth;
    boolean day = prevDay;
    String before = prevWord;
    prevMonth = MONTH_WORDS.containsKey(core.toLowerCase(Locale.ROOT));
    prevDay = false;
    prevWord = core.toLowerCase(Locale.ROOT);
    String spoken = null;
    if (core.chars().anyMatch(c -> c >= '0' && c <= '9')) {
      spoken = speak(core, month, day, before);
    }
    if (spoken == null) {
      copy(n);
      return;
    }
    copy(lead);
    replace(core.length(), spoken);
    copy(trail);
  }

  @Override
  protected void longRun() {
    prevMonth = false;
    prevDay = false;
    prevWord = "";
  }

  private String speak(String core, boolean afterMonth, boolean afterDay, String before) {
    Matcher m;
    if ((m = PLAIN.matcher(core)).matches()) {
      String sign = m.group(1) != null ? "minus " : "";
      String integer = m.group(2);
      String fraction = m.group(3);
      boolean bare = sign.isEmpty() && fraction == null && !integer.contains(",");
      if (bare && afterMonth && integer.length() <= 2) {
        int d = Integer.parseInt(integer);
        if (d >= 1 && d <= 31) {
          prevDay = true;
          return EnglishNumbers.ordinal(d);
        }
      }
      if (bare && integer.length() == 4) {
        int y = Integer.parseInt(integer);
        boolean yearish = afterMonth || afterDay || YEAR_WORDS.contains(before);
        if (yearish && y >= 1100 && y <= 2099) {
          return EnglishNumbers.year(y);
        }
      }
      if (bare && (integer.length() > 1 && integer.startsWith("0") || integer.length() > 15)) {
        return EnglishNumbers.digits(integer);
      }
      String words = EnglishNumbers.decimal(integer, fraction);
      return words == null ? null : sign + words;
    }
    if ((m = ORDINAL.matcher(core)).matches()) {
      if (m.group(1).length() > 15) {
        return null;
      }
      if (afterMonth) {
        prevDay = true;
      }
      return EnglishNumbers.ordinal(Long.parseLong(m.group(1)));
    }
    if ((m = PERCENT.matcher(core)).matches()) {
      String words = EnglishNumbers.decimal(m.group(2), m.group(3));
      return words == null ? null : (m.group(1) != null ? "minus " : "") + words + " percent";
    }
    if ((m = MONEY.matcher(core)).matches()) {
      return money(m);
    }
    if ((m = ISO_DATE.matcher(core)).matches()) {
      return date(m.group(2), m.group(3), m.group(1));
    }
    if ((m = SLASH_DATE.matcher(core)).matches()) {
      int a = Integer.parseInt(m.group(1));
      int b = Integer.parseInt(m.group(2));
      boolean first = dayFirst ? b <= 12 || a > 12 : a > 12 && b <= 12;
      return first
          ? date(m.group(2), m.group(1), m.group(3))
          : date(m.group(1), m.group(2), m.group(3));
    }
    if ((m = TIME.matcher(core)).matches()) {
      return time(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3));
    }
    if ((m = HOUR.matcher(core)).matches()) {
      int h = Integer.parseInt(m.group(1));
      return h >= 1 && h <= 12 ? EnglishNumbers.cardinal(h) + " " + meridiem(m.group(2)) : null;
    }
    if ((m = DECADE.matcher(core)).matches()) {
      return EnglishNumbers.plural(EnglishNumbers.year(Integer.parseInt(m.group(1))));
    }
    if ((m = RANGE.matcher(core)).matches()) {
      return range(m.group(1), m.group(2));
    }
    if ((m = UNIT.matcher(core)).matches()) {
      String words = EnglishNumbers.decimal(m.group(1), m.group(2));
      return words == null ? null : words + " " + m.group(3);
    }
    return null;
  }

  private static String money(Matcher m) {
    String sign = m.group(1) != null ? "minus " : "";
    String symbol = m.group(2);
    String integer = m.group(3);
    String fraction = m.group(4);
    String scale = m.group(5);
    String[] unit = unit(symbol);
    if (integer.replace(",", "").length() > 15) {
      return null;
    }
    long whole = Long.parseLong(integer.replace(",", ""));
    if (scale != null) {
      String big =
          switch (scale.toLowerCase(Locale.ROOT)) {
            case "k" -> "thousand";
            case "m" -> "million";
            case "b", "bn" -> "billion";
            default -> "trillion";
          };
      return sign + EnglishNumbers.decimal(integer, fraction) + " " + big + " " + unit[1];
    }
    boolean cents = fraction != null && fraction.length() <= 2 && unit[2] != null;
    if (fraction != null && !cents) {
      return sign + EnglishNumbers.decimal(integer, fraction) + " " + unit[1];
    }
    int c = cents ? Integer.parseInt((fraction + "0").substring(0, 2)) : 0;
    String main = EnglishNumbers.cardinal(whole) + " " + (whole == 1 ? unit[0] : unit[1]);
    if (c == 0) {
      return sign + main;
    }
    String small = EnglishNumbers.cardinal(c) + " " + (c == 1 ? unit[2] : unit[3]);
    return whole == 0 ? sign + small : sign + main + " and " + small;
  }

  /** Singular, plural, and the same for the hundredth part (null when there is none). */
  private static String[] unit(String symbol) {
    return switch (symbol) {
      case "$" -> new String[] {"dollar", "dollars", "cent", "cents"};
      case "\u20AC" -> new String[] {"euro", "euros", "cent", "cents"};
      case "\u00A3" -> new String[] {"pound", "pounds", "penny", "pence"};
      case "\u20B9" -> new String[] {"rupee", "rupees", "paisa", "paise"};
      default -> new String[] {"yen", "yen", null, null};
    };
  }

  private static String date(String month, String day, String year) {
    int mo = Integer.parseInt(month);
    int d = Integer.parseInt(day);
    if (mo < 1 || mo > 12 || d < 1 || d > 31) {
      return null;
    }
    return MONTHS[mo - 1]
        + " "
        + EnglishNumbers.ordinal(d)
        + ", "
        + EnglishNumbers.year(Integer.parseInt(year));
  }

  private static String time(int h, int mm, String meridiem) {
    if (h > 24 || mm > 59 || (meridiem != null && (h < 1 || h > 12))) {
      return null;
    }
    String hour = EnglishNumbers.cardinal(h);
    String minutes;
    if (mm == 0) {
      minutes = meridiem != null ? "" : h > 12 || h == 0 ? " hundred" : " o'clock";
    } else if (mm < 10) {
      minutes = " oh " + EnglishNumbers.cardinal(mm);
    } else {
      minutes = " " + EnglishNumbers.cardinal(mm);
    }
    return hour + minutes + (meridiem == null ? "" : " " + meridiem(meridiem));
  }

  private static String meridiem(String m) {
    return Character.toLowerCase(m.charAt(0)) == 'a' ? "A M" : "P M";
  }

  private static String range(String a, String b) {
    boolean sameLength = a.length() == b.length();
    if (!(sameLength || (a.length() <= 2 && b.length() <= 2)) || a.length() > 15) {
      return null;
    }
    long x = Long.parseLong(a);
    long y = Long.parseLong(b);
    if (x >= y) {
      return null;
    }
    if (a.length() == 4 && x >= 1100 && y <= 2099) {
      return EnglishNumbers.year((int) x) + " to " + EnglishNumbers.year((int) y);
    }
    return EnglishNumbers.cardinal(x) + " to " + EnglishNumbers.cardinal(y);
  }
}
