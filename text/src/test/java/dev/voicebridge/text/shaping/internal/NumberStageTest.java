package dev.voicebridge.text.shaping.internal;

import static dev.voicebridge.text.shaping.internal.Splits.assertSplitIndependent;
import static dev.voicebridge.text.shaping.internal.Splits.words;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NumberStageTest {
  static Supplier<Pipeline> numbers(String language) {
    return () -> new Pipeline(List.of(new NumberStage(language)));
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("0, 7, 13, 42 and 100", "zero, seven, thirteen, forty-two and one hundred"),
        Arguments.of(
            "1,234,567 people",
            "one million two hundred thirty-four thousand five hundred sixty-seven people"),
        Arguments.of(
            "-5 and 3.14 and 0.5", "minus five and three point one four and zero point five"),
        Arguments.of(
            "agent 007 and 12345678901234567",
            "agent zero zero seven and one two three four five six seven eight nine zero one two three four five six seven"),
        Arguments.of(
            "$1,234.50 or $1 or $0.99 or $5.00",
            "one thousand two hundred thirty-four dollars and fifty cents or one dollar or ninety-nine cents or five dollars"),
        Arguments.of(
            "\u20AC2.05, \u00A33.20, \u00A5500 and $2.5B",
            "two euros and five cents, three pounds and twenty pence, five hundred yen and two point five billion dollars"),
        Arguments.of("50% and -0.5%", "fifty percent and minus zero point five percent"),
        Arguments.of(
            "the 1st, 2nd, 3rd, 11th, 22nd and 100th",
            "the first, second, third, eleventh, twenty-second and one hundredth"),
        Arguments.of(
            "On March 15, 2024 (a Friday)", "On March fifteenth, twenty twenty-four (a Friday)"),
        Arguments.of("Dec. 1st 1999", "Dec. first nineteen ninety-nine"),
        Arguments.of("due 2024-03-05.", "due March fifth, twenty twenty-four."),
        Arguments.of("3/4/2025", "March fourth, twenty twenty-five"),
        Arguments.of("25/12/2025", "December twenty-fifth, twenty twenty-five"),
        Arguments.of(
            "in 1999, since 2005, by 2010 but 1999 apples",
            "in nineteen ninety-nine, since two thousand five, by twenty ten but one thousand nine hundred ninety-nine apples"),
        Arguments.of(
            "at 3:05 pm, 12:00, 15:30, 15:00 and 7am",
            "at three oh five pm, twelve o'clock, fifteen thirty, fifteen hundred and seven A M"),
        Arguments.of("the 1990s and 2000s", "the nineteen nineties and two thousands"),
        Arguments.of(
            "pages 10-20, 1990-2000, 555-1234",
            "pages ten to twenty, nineteen ninety to two thousand, 555-1234"),
        Arguments.of("5kg and 4K", "five kg and four K"),
        Arguments.of("v2.0.1, 24/7, 192.168.0.1 and A1", "v2.0.1, 24/7, 192.168.0.1 and A1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void readsNumbersTheSameHoweverTheTextIsSplit(String text, String spoken) {
    assertThat(assertSplitIndependent(numbers(null), text).text()).isEqualTo(spoken);
  }

  @Test
  void slashedDatesAreDayFirstInBritishEnglish() {
    assertThat(assertSplitIndependent(numbers("en-GB"), "3/4/2025").text())
        .isEqualTo("April third, twenty twenty-five");
  }

  @Test
  void everyWordOfANumberPointsAtTheNumber() {
    String text = "Pay $12.50 now";
    assertThat(words(assertSplitIndependent(numbers(null), text), text))
        .containsExactly(
            "Pay=Pay",
            "twelve=$12.50",
            "dollars=$12.50",
            "and=$12.50",
            "fifty=$12.50",
            "cents=$12.50",
            "now=now");
  }
}
