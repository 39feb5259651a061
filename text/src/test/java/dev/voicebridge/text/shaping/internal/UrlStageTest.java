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

class UrlStageTest {
  static final Supplier<Pipeline> URLS = () -> new Pipeline(List.of(new UrlStage()));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "Visit https://www.example.com/docs/getting-started?x=1#top.",
            "Visit example dot com slash docs slash getting started."),
        Arguments.of("http://user:pw@example.com:8080/", "example dot com"),
        Arguments.of("(see example.com).", "(see example dot com)."),
        Arguments.of(
            "at voicebridge.dev/docs/text.md today",
            "at voicebridge dot dev slash docs slash text dot md today"),
        Arguments.of("www.bbc.co.uk, please", "bbc dot co dot uk, please"),
        Arguments.of(
            "Mail jane.doe@example.org today", "Mail jane dot doe at example dot org today"),
        Arguments.of(
            "<mailto:first_last+tag@mail.example.io>",
            "<first underscore last plus tag at mail dot example dot io>"),
        Arguments.of(
            "Node.js, README.md, e.g. 3.14 and U.S.", "Node.js, README.md, e.g. 3.14 and U.S."),
        Arguments.of(
            "https://en.wikipedia.org/wiki/Java_(language))",
            "en dot wikipedia dot org slash wiki slash Java (language))"),
        Arguments.of("ftp://files.example.net/pub", "files dot example dot net slash pub"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void speaksAddressesTheSameHoweverTheTextIsSplit(String text, String spoken) {
    assertThat(assertSplitIndependent(URLS, text).text()).isEqualTo(spoken);
  }

  @Test
  void eachSpokenPartPointsAtItsPartOfTheAddress() {
    String text = "Go to https://docs.example.com/start now";
    assertThat(words(assertSplitIndependent(URLS, text), text))
        .containsExactly(
            "Go=Go",
            "to=to",
            "docs=docs",
            "dot=.",
            "example=example",
            "dot=.",
            "com=com",
            "slash=/",
            "start=start",
            "now=now");
  }

  @Test
  void aLongRunPassesUnchanged() {
    String blob = "x".repeat(3000) + ".com next.com";
    assertThat(assertSplitIndependent(URLS, blob).text())
        .isEqualTo("x".repeat(3000) + ".com next dot com");
  }
}
