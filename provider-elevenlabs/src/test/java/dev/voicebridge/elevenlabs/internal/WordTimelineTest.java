package dev.voicebridge.elevenlabs.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.WordTiming;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WordTimelineTest {

  /** An alignment of {@code text}, one character per {@code ms}, starting at {@code from}. */
  static Alignment even(String text, double from, double ms) {
    List<String> chars = new ArrayList<>();
    text.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
    double[] s = new double[chars.size()];
    double[] d = new double[chars.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = from + i * ms;
      d[i] = ms;
    }
    return new Alignment(chars, s, d);
  }

  static List<String> words(List<WordTiming> t) {
    return t.stream().map(WordTiming::word).toList();
  }

  static Duration ms(long m) {
    return Duration.ofMillis(m);
  }

  @Test
  void theVendorsOwnExampleWithALeadingSpaceFoldedAndATrailingSpace() {
    // alignment (original text): the leading space's time is folded into "H"; a trailing space
    Alignment a =
        new Alignment(
            List.of("H", "e", "l", "l", "o", " ", "W", "o", "r", "l", "d", " "),
            new double[] {0, 104, 150, 190, 230, 290, 330, 380, 420, 470, 510, 560},
            new double[] {104, 46, 40, 40, 60, 40, 50, 40, 50, 40, 50, 30});
    WordTimeline t = new WordTimeline(false);
    List<WordTiming> out = t.add(a, 0);
    assertThat(words(out)).containsExactly("Hello", "World");
    assertThat(out.get(0).start()).isEqualTo(ms(0));
    assertThat(out.get(0).end()).isEqualTo(ms(290));
    assertThat(out.get(1).start()).isEqualTo(ms(330));
    assertThat(out.get(1).end()).isEqualTo(ms(560));
    assertThat(out.get(0).normalized()).isFalse();
    assertThat(out.get(0).estimated()).isFalse();
    assertThat(t.end()).isEmpty();
  }

  @Test
  void normalizedAlignmentWithLeadingAndTrailingSpaces() {
    Alignment n =
        new Alignment(
            List.of(" ", "H", "e", "l", "l", "o", " ", "W", "o", "r", "l", "d", " "),
            new double[] {0, 70, 104, 150, 190, 230, 290, 330, 380, 420, 470, 510, 560},
            new double[] {70, 34, 46, 40, 40, 60, 40, 50, 40, 50, 40, 50, 30});
    List<WordTiming> out = new WordTimeline(true).add(n, 0);
    assertThat(words(out)).containsExactly("Hello", "World");
    assertThat(out.get(0).start()).isEqualTo(ms(70));
    assertThat(out).allMatch(WordTiming::normalized);
  }

  @Test
  void aWordSplitAcrossChunksIsOneWordOnTheAbsoluteTimeline() {
    WordTimeline t = new WordTimeline(false);
    List<WordTiming> first = t.add(even("Good mor", 0, 10), 0);
    assertThat(words(first)).containsExactly("Good");
    List<WordTiming> second = t.add(even("ning all ", 0, 10), 500);
    assertThat(words(second)).containsExactly("morning", "all");
    WordTiming morning = second.get(0);
    assertThat(morning.start()).isEqualTo(ms(50));
    assertThat(morning.end()).isEqualTo(ms(540));
    assertThat(second.get(1).start()).isEqualTo(ms(550));
  }

  @Test
  void thePendingWordEndsAtTheEnd() {
    WordTimeline t = new WordTimeline(false);
    assertThat(t.add(even("no trailing", 0, 10), 0))
        .extracting(WordTiming::word)
        .containsExactly("no");
    assertThat(words(t.end())).containsExactly("trailing");
    assertThat(t.end()).isEmpty();
  }

  @Test
  void cjkCharactersAreWordsAndCjkPunctuationIsNot() {
    List<WordTiming> out = new WordTimeline(false).add(even("你好，世界。 カタカナ", 0, 10), 0);
    assertThat(words(out)).containsExactly("你", "好", "世", "界", "カ", "タ", "カ", "ナ");
    assertThat(out.get(2).start()).isEqualTo(ms(30));
  }

  @Test
  void punctuationTheServerAddsStaysOnItsWordAndAloneIsNoWord() {
    WordTimeline t = new WordTimeline(false);
    List<WordTiming> out = t.add(even("Hello, world - \u201cyes\u201d ... ok. ", 0, 10), 0);
    assertThat(words(out)).containsExactly("Hello,", "world", "\u201cyes\u201d", "ok.");
  }

  @Test
  void timingsStayMonotonicWhenTheServerGoesBackwards() {
    WordTimeline t = new WordTimeline(false);
    List<WordTiming> out = new ArrayList<>(t.add(even("one two ", 100, 10), 0));
    out.addAll(t.add(even("three ", 0, 10), 0));
    assertThat(words(out)).containsExactly("one", "two", "three");
    assertThat(out.get(2).start()).isGreaterThanOrEqualTo(out.get(1).start());
    assertThat(out.get(2).end()).isGreaterThanOrEqualTo(out.get(2).start());
  }

  @Test
  void emptyAlignmentGivesNothing() {
    assertThat(
            new WordTimeline(false).add(new Alignment(List.of(), new double[0], new double[0]), 0))
        .isEmpty();
  }

  // ------------------------------------------------------------ AudioTimeline

  @Test
  void pcmChunksAreOffsetByTheAudioBeforeThem() {
    AudioTimeline t = new AudioTimeline(AudioFormat.PCM_24K, false);
    // 4800 bytes of 24 kHz 16-bit mono = 100 ms
    List<WordTiming> a = t.chunk(new byte[4800], even("Hi ", 0, 20));
    List<WordTiming> b = t.chunk(new byte[4800], even("there ", 0, 10));
    assertThat(a.get(0).start()).isEqualTo(ms(0));
    assertThat(b.get(0).word()).isEqualTo("there");
    assertThat(b.get(0).start()).isEqualTo(ms(100));
    assertThat(b.get(0).end()).isEqualTo(ms(150));
  }

  @Test
  void chunksWithoutAlignmentStillAdvanceThePcmTimeline() {
    AudioTimeline t = new AudioTimeline(AudioFormat.pcm(16000), false);
    t.chunk(new byte[3200], null); // 100 ms
    t.chunk(null, null);
    List<WordTiming> w = t.chunk(new byte[10], even("x ", 5, 10));
    assertThat(w.get(0).start()).isEqualTo(ms(105));
  }

  @Test
  void compressedChunksAreOffsetByTheAlignedTimeSoFar() {
    AudioTimeline t = new AudioTimeline(AudioFormat.mp3(44100), false);
    t.chunk(new byte[999], even("abc ", 0, 50)); // ends at 200 ms
    List<WordTiming> w = t.chunk(new byte[7], even("de ", 0, 50));
    assertThat(w.get(0).start()).isEqualTo(ms(200));
  }

  @Test
  void httpRequestsCountFromTheStartOfTheirOwnAudio() {
    AudioTimeline t = new AudioTimeline(AudioFormat.PCM_16K, false);
    t.beginRequest();
    List<WordTiming> a = new ArrayList<>(t.requestChunk(new byte[1600], even("one", 0, 10)));
    a.addAll(t.requestChunk(new byte[1600], even(" two", 30, 10)));
    a.addAll(t.end());
    t.beginRequest(); // 3200 bytes = 100 ms so far
    List<WordTiming> b = new ArrayList<>(t.requestChunk(new byte[1600], even("three", 0, 10)));
    b.addAll(t.end());
    assertThat(words(a)).containsExactly("one", "two");
    assertThat(a.get(1).start()).isEqualTo(ms(40));
    assertThat(words(b)).containsExactly("three");
    assertThat(b.get(0).start()).isEqualTo(ms(100));
  }
}
