package dev.voicebridge.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SentenceSegmenterTest {

  private static final Supplier<SentenceSegmenter> DEFAULT =
      () -> SentenceSegmenter.builder().build();

  private static Arguments plain(String name, String text, String... segments) {
    return Arguments.of(name, DEFAULT, text, List.of(segments));
  }

  private static Arguments with(
      String name, Supplier<SentenceSegmenter> segmenter, String text, String... segments) {
    return Arguments.of(name, segmenter, text, List.of(segments));
  }

  private static Supplier<SentenceSegmenter> early(int n) {
    return () -> SentenceSegmenter.builder().firstSegmentMinChars(n).build();
  }

  private static Supplier<SentenceSegmenter> max(int n) {
    return () -> SentenceSegmenter.builder().maxSegmentChars(n).build();
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        plain(
            "simple sentences",
            "Hello world. How are you? I am fine!",
            "Hello world.",
            "How are you?",
            "I am fine!"),
        plain("no terminator", "just some words", "just some words"),
        plain("empty", ""),
        plain("only whitespace", "  \n\t  "),
        plain("surrounding whitespace is trimmed", "  Hi there.   Bye.  ", "Hi there.", "Bye."),
        plain(
            "decimals and amounts",
            "Pi is 3.14 roughly. It costs $2.50 today.",
            "Pi is 3.14 roughly.",
            "It costs $2.50 today."),
        plain(
            "number ending a sentence",
            "I counted to 3. Then I stopped.",
            "I counted to 3.",
            "Then I stopped."),
        plain(
            "titles",
            "Dr. Smith met Mr. Jones and Mrs. Brown at St. Mary's. They talked.",
            "Dr. Smith met Mr. Jones and Mrs. Brown at St. Mary's.",
            "They talked."),
        plain(
            "more titles",
            "Ms. Lee and Prof. Xu spoke. Good.",
            "Ms. Lee and Prof. Xu spoke.",
            "Good."),
        plain(
            "e.g. and i.e.",
            "Bring fruit, e.g. apples, i.e. red ones. Then go.",
            "Bring fruit, e.g. apples, i.e. red ones.",
            "Then go."),
        plain(
            "e.g. before a capital",
            "Visit a city, e.g. Paris or Rome. Fine.",
            "Visit a city, e.g. Paris or Rome.",
            "Fine."),
        plain(
            "a.m. and p.m. never end a sentence",
            "We met at 9 a.m. and left at 5 p.m. The end.",
            "We met at 9 a.m. and left at 5 p.m. The end."),
        plain(
            "U.S.",
            "The U.S. economy grew. Prices rose.",
            "The U.S. economy grew.",
            "Prices rose."),
        plain(
            "etc.",
            "Apples, pears, etc. are fruit. Yes.",
            "Apples, pears, etc. are fruit.",
            "Yes."),
        plain("vs.", "It was Ali vs. Frazier. Epic.", "It was Ali vs. Frazier.", "Epic."),
        plain(
            "initials",
            "J. R. R. Tolkien wrote it. Read it.",
            "J. R. R. Tolkien wrote it.",
            "Read it."),
        plain(
            "lowercase word is not an abbreviation",
            "I ate a fig. Then a plum.",
            "I ate a fig.",
            "Then a plum."),
        plain(
            "ellipsis then lowercase continues",
            "Well... maybe not. Wait... What?",
            "Well... maybe not.",
            "Wait...",
            "What?"),
        plain("unicode ellipsis", "Hmm… okay. Fine… Next one.", "Hmm… okay.", "Fine…", "Next one."),
        plain("closing quote", "He said \"Stop.\" Then left.", "He said \"Stop.\"", "Then left."),
        plain(
            "quote then lowercase dialogue tag",
            "\"Stop!\" he said. Then he left.",
            "\"Stop!\" he said.",
            "Then he left."),
        plain(
            "curly quotes and brackets",
            "She wrote “Done.” (Really done.) Next.",
            "She wrote “Done.”",
            "(Really done.)",
            "Next."),
        plain(
            "domains and e-mail addresses",
            "Visit example.com for more. Mail a.b@example.org today. Thanks.",
            "Visit example.com for more.",
            "Mail a.b@example.org today.",
            "Thanks."),
        plain("domain at a sentence end", "Go to example.com. Now.", "Go to example.com.", "Now."),
        plain("repeated terminators", "Really?! Yes!!! Okay.", "Really?!", "Yes!!!", "Okay."),
        plain("glued sentences", "That is one.Two is next.", "That is one.", "Two is next."),
        plain(
            "lone punctuation joins the next segment", "Hello. ... World.", "Hello.", "... World."),
        plain(
            "numbered list",
            "1. Open the box.\n2. Take it out.\n10. Done.",
            "1. Open the box.",
            "2. Take it out.",
            "10. Done."),
        plain(
            "numbered list after a heading line",
            "Steps:\n  1. Open it. Then:\n2. Close it.",
            "Steps:\n  1. Open it.",
            "Then:\n2. Close it."),
        plain(
            "inline numbered list after a colon",
            "Here are the steps: 1. Open the box. 2. Close it.",
            "Here are the steps: 1. Open the box.",
            "2. Close it."),
        plain(
            "list number at a segment start",
            "Top reasons. 2. Quality.",
            "Top reasons.",
            "2. Quality."),
        plain("time before a period", "Meet at 10:30. Then go.", "Meet at 10:30.", "Then go."),
        plain("single newline is not a boundary", "a line\nanother line", "a line\nanother line"),
        plain(
            "blank line ends a segment",
            "First paragraph\n\nSecond paragraph\r\n \r\nThird",
            "First paragraph",
            "Second paragraph",
            "Third"),
        plain(
            "sentence end before a line break",
            "It works.\nnext line. Done.",
            "It works.\nnext line.",
            "Done."),
        plain("chinese", "你好。我很好！谢谢？", "你好。", "我很好！", "谢谢？"),
        plain("chinese with closing bracket", "他说：「好。」然后走了。", "他说：「好。」", "然后走了。"),
        plain("japanese", "こんにちは。元気ですか？はい！", "こんにちは。", "元気ですか？", "はい！"),
        plain("ascii bang before kana", "すごい!次はどこ?", "すごい!", "次はどこ?"),
        plain(
            "devanagari",
            "नमस्ते। आप कैसे हैं? मैं ठीक हूँ॥",
            "नमस्ते।",
            "आप कैसे हैं?",
            "मैं ठीक हूँ॥"),
        plain("devanagari without spaces", "नमस्ते।आप कैसे हैं।", "नमस्ते।", "आप कैसे हैं।"),
        plain("mixed scripts", "Hi. 你好。Bye.", "Hi.", "你好。", "Bye."),
        plain("emoji after a sentence", "Great job. 🎉 Thanks!", "Great job.", "🎉 Thanks!"),
        plain(
            "clause marks do nothing without the early first segment",
            "Well, I think so; maybe: yes.",
            "Well, I think so; maybe: yes."),
        with(
            "early first segment at a comma",
            early(20),
            "Well, I think that we should go to the park, because it is sunny. Then, we eat, too.",
            "Well, I think that we should go to the park,",
            "because it is sunny.",
            "Then, we eat, too."),
        with(
            "early first segment after a quote",
            early(5),
            "\"Yes,\" she said, twice.",
            "\"Yes,\"",
            "she said, twice."),
        with(
            "early first segment at a semicolon and a colon",
            early(8),
            "Note this: it matters; really.",
            "Note this:",
            "it matters; really."),
        with(
            "early first segment, time is not a clause",
            early(4),
            "At 10:30, we go.",
            "At 10:30,",
            "we go."),
        with(
            "early first segment, thousands separator is not a clause",
            early(4),
            "About 1,000 people came, then left.",
            "About 1,000 people came,",
            "then left."),
        with(
            "early first segment at an em dash",
            early(10),
            "The answer—as you know—is 42. Yes.",
            "The answer—",
            "as you know—is 42.",
            "Yes."),
        with(
            "early first segment at a spaced en dash",
            early(5),
            "Right – but later. Ok.",
            "Right –",
            "but later.",
            "Ok."),
        with(
            "early first segment in chinese",
            early(5),
            "今天天气很好，我们去公园散步吧。好的，走吧。",
            "今天天气很好，",
            "我们去公园散步吧。",
            "好的，走吧。"),
        with(
            "early first segment is only the first",
            early(5),
            "First one, here. Second, with, commas.",
            "First one,",
            "here.",
            "Second, with, commas."),
        with(
            "a sentence end before the minimum wins",
            early(50),
            "Short one. Then a longer sentence, with a comma, goes here.",
            "Short one.",
            "Then a longer sentence, with a comma, goes here."),
        with(
            "max length cut at whitespace",
            max(20),
            "aaa bbb ccc ddd eee fff ggg hhh",
            "aaa bbb ccc ddd eee",
            "fff ggg hhh"),
        with(
            "max length hard cut",
            max(10),
            "abcdefghijklmnopqrstuvwxy",
            "abcdefghij",
            "klmnopqrst",
            "uvwxy"),
        with("max length does not split a surrogate pair", max(3), "ab😀cd", "ab", "😀c", "d"),
        with("max length exactly reached", max(10), "abcdefghij klm.", "abcdefghij", "klm."),
        with(
            "max length and sentences",
            max(12),
            "One two. Three four five six. Seven.",
            "One two.",
            "Three four",
            "five six.",
            "Seven."));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void segmentsWholeText(
      String name, Supplier<SentenceSegmenter> factory, String text, List<String> expected) {
    SentenceSegmenter s = factory.get();
    List<String> out = new ArrayList<>(s.push(text));
    out.addAll(s.flush());
    assertThat(out).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void segmentsTokensLikeWholeText(
      String name, Supplier<SentenceSegmenter> factory, String text, List<String> expected) {
    for (long seed = 1; seed <= 8; seed++) {
      assertThat(feed(factory.get(), tokens(text, seed)))
          .as("seed %d, tokens %s", seed, tokens(text, seed))
          .isEqualTo(expected);
    }
    // Character by character, too.
    assertThat(feed(factory.get(), tokens(text, 0))).isEqualTo(expected);
  }

  @Test
  void periodAtTheEndOfTheBufferWaitsForTheNextCharacter() {
    SentenceSegmenter s = SentenceSegmenter.builder().build();

    assertThat(s.push("Hello world.")).isEmpty();
    assertThat(s.push(" How")).containsExactly("Hello world.");
    assertThat(s.push(" are you?")).isEmpty();
    assertThat(s.flush()).containsExactly("How are you?");
  }

  @Test
  void segmentsAreEmittedAsSoonAsTheyAreDecided() {
    SentenceSegmenter s = SentenceSegmenter.builder().build();

    assertThat(s.push("One. Two")).containsExactly("One.");
    assertThat(s.push("! Three! Four")).containsExactly("Two!", "Three!");
    assertThat(s.flush()).containsExactly("Four");
  }

  @Test
  void cjkMarkWaitsOneCharacterForAClosingBracket() {
    SentenceSegmenter s = SentenceSegmenter.builder().build();

    assertThat(s.push("你好。")).isEmpty();
    assertThat(s.push("我")).containsExactly("你好。");
    assertThat(s.push("很好！」")).isEmpty();
    assertThat(s.push("好")).containsExactly("我很好！」");
  }

  @Test
  void flushEmitsTheRestAndResets() {
    SentenceSegmenter s = SentenceSegmenter.builder().firstSegmentMinChars(5).build();

    assertThat(s.push("Hello there, friend")).containsExactly("Hello there,");
    assertThat(s.flush()).containsExactly("friend");
    assertThat(s.flush()).isEmpty();
    // A new turn: the early first segment applies again.
    assertThat(s.push("Again here, friend")).containsExactly("Again here,");
    assertThat(s.flush()).containsExactly("friend");
    // An abbreviation at the very end of the text is still emitted.
    assertThat(s.push("Ask Dr.")).isEmpty();
    assertThat(s.flush()).containsExactly("Ask Dr.");
  }

  @Test
  void splitIsPushAndFlush() {
    assertThat(SentenceSegmenter.split("A b. C d? E")).containsExactly("A b.", "C d?", "E");
    assertThat(SentenceSegmenter.split("")).isEmpty();
  }

  @Test
  void defaultMaximumIs300Characters() {
    String word = "word ";
    String text = word.repeat(200); // 1000 characters, no boundary

    List<String> out = SentenceSegmenter.split(text);

    assertThat(out).allSatisfy(seg -> assertThat(seg.length()).isLessThanOrEqualTo(300));
    assertThat(out.get(0)).hasSize(299); // 60 words less the trailing space
    assertThat(String.join(" ", out)).isEqualTo(text.strip());
  }

  @Test
  void longStreamsKeepWorkingAfterTheBufferIsCompacted() {
    StringBuilder text = new StringBuilder();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      String sentence =
          switch (i % 4) {
            case 0 -> "Sentence " + i + " costs $" + i + ".50 today.";
            case 1 -> "Dr. Who met Mr. X at " + i + " p.m. and left.";
            case 2 -> "Items:\n1. Open it.";
            default -> "你好" + i + "。";
          };
      expected.add(sentence);
      text.append(sentence).append(i % 4 == 2 ? "\n" : " ");
    }

    List<String> out = feed(SentenceSegmenter.builder().build(), tokens(text.toString(), 99));

    assertThat(out).isEqualTo(expected);
  }

  @Test
  void randomTextsAreSegmentedTheSameWayHoweverTheyAreTokenized() {
    String[] pieces = {
      "Hello",
      " world",
      ".",
      " ",
      "Dr.",
      " Smith",
      " 3.14",
      "...",
      " and",
      " Then",
      "!",
      "?",
      "\"",
      "”",
      ")",
      "\n",
      "\n\n",
      "1.",
      " e.g.",
      " U.S.",
      "。",
      "你好",
      "，",
      ",",
      " — ",
      ":",
      "example.com",
      " J.",
      " R.",
      " x",
      "😀",
      "।",
      "नमस्ते",
      "  ",
      "etc.",
      "one.Two"
    };
    Random random = new Random(7);
    for (int t = 0; t < 300; t++) {
      StringBuilder text = new StringBuilder();
      int n = random.nextInt(60);
      for (int i = 0; i < n; i++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      int early = random.nextBoolean() ? 0 : 1 + random.nextInt(30);
      int max = 5 + random.nextInt(80);
      Supplier<SentenceSegmenter> factory =
          () ->
              SentenceSegmenter.builder().firstSegmentMinChars(early).maxSegmentChars(max).build();

      List<String> whole = feed(factory.get(), List.of(text.toString()));

      for (long seed = 1; seed <= 3; seed++) {
        assertThat(feed(factory.get(), tokens(text.toString(), seed)))
            .as("text %s, early %d, max %d, seed %d", text, early, max, seed)
            .isEqualTo(whole);
      }
      assertThat(whole).allSatisfy(seg -> assertThat(seg).isNotBlank().isEqualTo(seg.strip()));
      assertThat(String.join("", whole).replaceAll("\\s", ""))
          .as("nothing lost or reordered")
          .isEqualTo(text.toString().replaceAll("\\s", ""));
    }
  }

  @Test
  void builderRejectsInvalidValues() {
    assertThatThrownBy(() -> SentenceSegmenter.builder().firstSegmentMinChars(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SentenceSegmenter.builder().maxSegmentChars(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SentenceSegmenter.builder().build().push(null))
        .isInstanceOf(NullPointerException.class);
  }

  // --- helpers ---

  private static List<String> feed(SentenceSegmenter s, List<String> tokens) {
    List<String> out = new ArrayList<>();
    for (String token : tokens) {
      out.addAll(s.push(token));
    }
    out.addAll(s.flush());
    return out;
  }

  /** Splits a text into tokens of 1 to 3 chars (seed 0: one char each). */
  private static List<String> tokens(String text, long seed) {
    Random random = new Random(seed);
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int n = seed == 0 ? 1 : 1 + random.nextInt(3);
      int end = Math.min(text.length(), i + n);
      out.add(text.substring(i, end));
      i = end;
    }
    return out;
  }
}
