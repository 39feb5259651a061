package dev.voicebridge.text.shaping.internal;

import static dev.voicebridge.text.shaping.internal.Splits.assertSplitIndependent;
import static dev.voicebridge.text.shaping.internal.Splits.speak;
import static dev.voicebridge.text.shaping.internal.Splits.words;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MarkdownStageTest {
  static final Supplier<Pipeline> SPEAK = () -> new Pipeline(List.of(new MarkdownStage(true)));
  static final Supplier<Pipeline> SKIP = () -> new Pipeline(List.of(new MarkdownStage(false)));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            "emphasis",
            "**Hello** _world_, ***really*** ~~old~~ new",
            "Hello world, really old new"),
        Arguments.of(
            "not emphasis", "2*3 = 6, snake_case and a * b ~5", "2*3 = 6, snake_case and a * b ~5"),
        Arguments.of("unclosed marker", "**Note: this is", "Note: this is"),
        Arguments.of("heading", "# Title\nSome text\n## Sub!\n", "Title.\nSome text\nSub!\n"),
        Arguments.of("hashtag", "#1 priority and #tag", "#1 priority and #tag"),
        Arguments.of("bullets", "- apples\n* pears  \n+ plums:\n", "apples.\npears.\nplums:\n"),
        Arguments.of(
            "ordered",
            "1. First\n2) Second\n2024 was good\n",
            "1. First.\n2. Second.\n2024 was good\n"),
        Arguments.of("task list", "- [ ] buy milk\n- [x] done\n", "buy milk.\ndone.\n"),
        Arguments.of("link", "See [the docs](https://example.com/a_(b)) now.", "See the docs now."),
        Arguments.of("image", "![a cat](cat.png \"Cat\") sits", "a cat sits"),
        Arguments.of("reference link", "Read [the guide][1] first", "Read the guide first"),
        Arguments.of("brackets", "array[0] and [1]", "array[0] and 1"),
        Arguments.of("inline code", "Use `npm install` or ``a`b``", "Use npm install or a`b"),
        Arguments.of("code keeps markup", "Run `*.md_files*` now", "Run *.md_files* now"),
        Arguments.of("fence", "```java\nint x = 1;\n```\nDone.", "\nint x = 1;\n\nDone."),
        Arguments.of("tilde fence", "~~~\n**raw**\n~~~~\nafter", "\n**raw**\n\nafter"),
        Arguments.of("table", "| a | b |\n|---|:-:|\n| 1 | 2 |\n", "a, b.\n\n1, 2.\n"),
        Arguments.of("quote", "> quoted *text*\n> - item", "quoted text\nitem"),
        Arguments.of("rules", "---\n* * *\nAfter\n===\n", "\n\nAfter\n\n"),
        Arguments.of("html", "Hello<br>world <b>bold</b> a < b", "Hello world bold  a < b"),
        Arguments.of(
            "autolink",
            "<https://example.com/x> or <me@example.com>",
            "https://example.com/x or me@example.com"),
        Arguments.of("escapes", "\\*not emphasis\\* and C:\\dir", "*not emphasis* and C:\\dir"),
        Arguments.of(
            "line break ends code", "a `stray tick\nnext **line**", "a stray tick\nnext line"),
        Arguments.of(
            "emoji and unicode",
            "**Caf\u00e9** \uD83D\uDE00 _na\u00efve_",
            "Caf\u00e9 \uD83D\uDE00 na\u00efve"),
        Arguments.of("crlf", "# Title\r\n- item\r\n", "Title.\nitem.\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void speaksMarkdownTheSameHoweverItIsSplit(String name, String markdown, String spoken) {
    Annotated out = assertSplitIndependent(SPEAK, markdown);
    assertThat(out.text()).isEqualTo(spoken);
  }

  @Test
  void skipsTheCodeOfFencedBlocksWhenAsked() {
    String md = "Before.\n```python\nprint('hi')\nx = 1\n```\nAfter.";
    assertThat(assertSplitIndependent(SKIP, md).text()).isEqualTo("Before.\n\n\n\n\nAfter.");
    assertThat(speak(SPEAK, md)).isEqualTo("Before.\n\nprint('hi')\nx = 1\n\nAfter.");
  }

  @Test
  void everySpokenWordPointsAtItsPlaceInTheMarkdown() {
    String md = "# **Big** news\n- see [the docs](http://x.y/z) and `code`\n| a | b |";
    Annotated out = assertSplitIndependent(SPEAK, md);
    assertThat(words(out, md))
        .containsExactly(
            "Big=Big",
            "news=news",
            "see=see",
            "the=the",
            "docs=docs",
            "and=and",
            "code=code",
            "a=a",
            "b=b");
    // the periods the transform added stand for nothing in the original
    int dot = out.text().indexOf('.');
    assertThat(out.start(dot)).isEqualTo(-1);
  }

  @Test
  void aFlushReleasesWhatIsHeld() {
    Pipeline p = SPEAK.get();
    assertThat(p.push("Hello **").text()).isEqualTo("Hello ");
    assertThat(p.flush().text()).isEqualTo("**"); // a lone marker between spaces is kept
    assertThat(p.push("world** done").text()).isEqualTo("world done");
  }

  @Test
  void holdsOnlyWhatItMust() {
    Pipeline p = SPEAK.get();
    assertThat(p.push("Some **bold").text()).isEqualTo("Some bold");
    assertThat(p.push("** text and [a link").text()).isEqualTo(" text and a link");
    assertThat(p.push("](http://example.com/").text()).isEmpty();
    assertThat(p.push(") end").text()).isEqualTo(" end");
  }
}
