package dev.voicebridge.text.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.WordTiming;
import dev.voicebridge.conformance.RecordingSubscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TextShapingTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Lexicon LEXICON = Lexicon.builder().add("nginx", "engine x").build();
  static final TextShaping ALL =
      TextShaping.builder()
          .markdown()
          .nameEmoji()
          .urls()
          .lexicon(LEXICON)
          .englishNumbers()
          .estimateWordTimings()
          .build();

  final List<StreamingSynthesizer> toClose = new ArrayList<>();

  /** The session {@link #run} ran last. */
  SynthesisSession last;

  @AfterEach
  void close() {
    toClose.forEach(StreamingSynthesizer::close);
  }

  private FakeVendor vendor(boolean timings) {
    FakeVendor v = new FakeVendor(timings);
    toClose.add(v);
    return v;
  }

  /** Runs a session: the tokens in order ("|" is a flush), then finish. */
  private RecordingSubscriber run(
      StreamingSynthesizer tts, SynthesisOptions options, List<String> tokens)
      throws InterruptedException {
    SynthesisSession s = tts.open(options);
    last = s;
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    for (String t : tokens) {
      if (t.equals("|")) {
        s.flush();
      } else {
        s.sendText(t);
      }
    }
    s.finish();
    assertThat(rec.awaitTerminal(WAIT)).isTrue();
    if (rec.error() != null) {
      throw new AssertionError(rec.error());
    }
    return rec;
  }

  private static List<String> placed(List<WordTiming> timings, String original) {
    List<String> out = new ArrayList<>();
    for (WordTiming t : timings) {
      out.add(
          t.word()
              + "="
              + (t.hasTextOffsets() ? original.substring(t.textStart(), t.textEnd()) : "?"));
    }
    return out;
  }

  @Test
  void vendorWordsPointAtTheApplicationsTextAcrossTokensAndFlushes() throws Exception {
    FakeVendor vendor = vendor(true);
    StreamingSynthesizer tts = ALL.wrap(vendor);
    List<String> tokens =
        List.of(
            "**Hel",
            "lo** [wor",
            "ld](http://x.y/z) ",
            "|",
            "costs $5 ",
            "on ngi",
            "nx \uD83D\uDC4D.");
    String original = String.join("", tokens.stream().filter(t -> !t.equals("|")).toList());
    RecordingSubscriber rec = run(tts, SynthesisOptions.defaults(), tokens);

    assertThat(vendor.text(0))
        .isEqualTo("Hello world costs five dollars on engine x thumbs up sign.");
    assertThat(vendor.sessions.get(0)).contains("flush", "finish");
    assertThat(placed(rec.timings(), original))
        .containsExactly(
            "Hello=Hello",
            "world=world",
            "costs=costs",
            "five=$5",
            "dollars=$5",
            "on=on",
            "engine=nginx",
            "x=nginx",
            "thumbs=\uD83D\uDC4D",
            "up=\uD83D\uDC4D",
            "sign.=\uD83D\uDC4D");
    assertThat(rec.timings()).noneMatch(WordTiming::estimated);
  }

  @Test
  void theVendorGetsTheSameTextAndTheWordsTheSameOffsetsWhereverTheTokensAreSplit()
      throws Exception {
    String text = "## Price\n- **nginx**: $1,234.50 (see example.com) \uD83D\uDE00\n";
    FakeVendor vendor = vendor(true);
    StreamingSynthesizer tts = ALL.wrap(vendor);
    RecordingSubscriber whole = run(tts, SynthesisOptions.defaults(), List.of(text));
    String spoken = vendor.text(0);
    assertThat(spoken).isEqualTo(ALL.speakable(text, null));
    List<String> expected = placed(whole.timings(), text);
    assertThat(expected).contains("engine=nginx", "dot=.", "grinning=\uD83D\uDE00");
    for (int i = 1; i < text.length(); i++) {
      if (Character.isLowSurrogate(text.charAt(i))) {
        continue;
      }
      RecordingSubscriber rec =
          run(tts, SynthesisOptions.defaults(), List.of(text.substring(0, i), text.substring(i)));
      assertThat(vendor.text(vendor.sessions.size() - 1)).as("split at %d", i).isEqualTo(spoken);
      assertThat(placed(rec.timings(), text)).as("split at %d", i).isEqualTo(expected);
    }
  }

  @Test
  void estimatesTimingsForAVendorWithoutThem() throws Exception {
    FakeVendor vendor = vendor(false);
    StreamingSynthesizer tts = ALL.wrap(vendor);
    assertThat(vendor.capabilities().wordTimings()).isFalse();
    assertThat(tts.capabilities().wordTimings()).isTrue();
    String text = "The **first** sentence, with a pause. Then 3 more words!";
    RecordingSubscriber rec =
        run(tts, SynthesisOptions.defaults(), List.of(text.substring(0, 20), text.substring(20)));
    List<WordTiming> t = rec.timings();
    assertThat(placed(t, text))
        .containsExactly(
            "The=The",
            "first=first",
            "sentence,=sentence",
            "with=with",
            "a=a",
            "pause.=pause",
            "Then=Then",
            "three=3",
            "more=more",
            "words!=words");
    Duration audio = FakeVendor.PCM.durationOf(rec.audio().length);
    Duration prev = Duration.ZERO;
    for (WordTiming w : t) {
      assertThat(w.estimated()).isTrue();
      assertThat(w.normalized()).isFalse();
      assertThat(w.start()).isGreaterThanOrEqualTo(prev);
      assertThat(w.end()).isGreaterThanOrEqualTo(w.start()).isLessThanOrEqualTo(audio);
      prev = w.start();
    }
    // the last words share what is left of the audio: the last one ends with it
    assertThat(t.get(t.size() - 1).end()).isEqualTo(audio);
    SynthesisReport r = last.report();
    assertThat(r.attributes()).containsEntry("text.word-timings", "estimated");
  }

  @Test
  void estimatesAreDeliveredWhileTheAudioComesNotAllAtTheEnd() throws Exception {
    FakeVendor vendor = vendor(false);
    StreamingSynthesizer tts = TextShaping.builder().estimateWordTimings().build().wrap(vendor);
    String text = "one two three four five six seven eight nine ten eleven twelve";
    RecordingSubscriber rec = run(tts, SynthesisOptions.defaults(), List.of(text));
    List<Object> kinds = new ArrayList<>();
    rec.events().forEach(e -> kinds.add(e instanceof WordTiming ? "word" : "audio"));
    int firstWord = kinds.indexOf("word");
    int lastAudio = kinds.lastIndexOf("audio");
    assertThat(firstWord).as("a word before the last chunk").isLessThan(lastAudio);
    assertThat(rec.timings()).hasSize(12);
  }

  @Test
  void aVendorsOwnTimingsAreNeverMixedWithEstimates() throws Exception {
    FakeVendor vendor = vendor(true);
    StreamingSynthesizer tts = ALL.wrap(vendor);
    RecordingSubscriber rec =
        run(tts, SynthesisOptions.defaults(), List.of("Real timings ", "only."));
    assertThat(rec.timings())
        .extracting(WordTiming::word)
        .containsExactly("Real", "timings", "only.");
    assertThat(rec.timings()).noneMatch(WordTiming::estimated);
  }

  @Test
  void aCompressedFormatGetsAWarningInsteadOfEstimates() throws Exception {
    FakeVendor vendor = vendor(false);
    StreamingSynthesizer tts = ALL.wrap(vendor);
    SynthesisOptions mp3 = SynthesisOptions.builder().format(AudioFormat.mp3(44_100)).build();
    RecordingSubscriber rec = run(tts, mp3, List.of("No timings here."));
    assertThat(rec.timings()).isEmpty();
    assertThat(last.report().warnings()).anyMatch(w -> w.contains("no estimated word timings"));
  }

  @Test
  void aSessionMayCarryItsOwnShapingWhichNeverReachesTheVendor() throws Exception {
    FakeVendor vendor = vendor(true);
    StreamingSynthesizer tts = ALL.wrap(vendor);
    SynthesisOptions raw =
        SynthesisOptions.builder().set(TextShaping.OPTION, TextShaping.none()).build();
    RecordingSubscriber rec = run(tts, raw, List.of("**as is** $5"));
    assertThat(vendor.text(0)).isEqualTo("**as is** $5");
    assertThat(vendor.opened.get(0).get(TextShaping.OPTION)).isEmpty();
    // with no transform the words still point at the text: at their letters and digits
    assertThat(placed(rec.timings(), "**as is** $5")).containsExactly("**as=as", "is**=is", "$5=5");
    assertThat(last.report().attributes()).containsEntry("text.shaping", "none");
  }

  @Test
  void theReportIsThatOfTheApplicationsSession() throws Exception {
    FakeVendor vendor = vendor(true);
    StreamingSynthesizer tts = ALL.wrap(vendor);
    String text = "**Bold** words.";
    RecordingSubscriber rec = run(tts, SynthesisOptions.defaults(), List.of(text));
    SynthesisReport r = last.report();
    assertThat(tts.provider()).isEqualTo("fake");
    assertThat(r.provider()).isEqualTo("fake");
    assertThat(r.charactersSent()).isEqualTo(text.length());
    assertThat(r.bytesReceived()).isEqualTo(rec.audio().length);
    assertThat(r.connectionSetup()).isPresent();
    assertThat(r.attributes())
        .containsEntry(
            "text.shaping", "markdown,emoji=name,urls,lexicon(1),numbers=en,estimated-timings");
  }

  @Test
  void englishNumbersAreSkippedForAnotherLanguage() throws Exception {
    FakeVendor vendor = vendor(true);
    StreamingSynthesizer tts = ALL.wrap(vendor);
    RecordingSubscriber rec =
        run(tts, SynthesisOptions.builder().language("de").build(), List.of("Es kostet 5 Euro."));
    assertThat(vendor.text(0)).isEqualTo("Es kostet 5 Euro.");
    assertThat(last.report().warnings()).anyMatch(w -> w.contains("'de'"));
  }

  @Test
  void anUnsupportedFormatFailsAtOpenAndCancelReachesTheVendor() throws Exception {
    FakeVendor vendor = vendor(true);
    StreamingSynthesizer tts = ALL.wrap(vendor);
    assertThatThrownBy(
            () -> tts.open(SynthesisOptions.builder().format(AudioFormat.opus()).build()))
        .isInstanceOf(UnsupportedCapabilityException.class);
    SynthesisSession s = tts.open(SynthesisOptions.defaults());
    RecordingSubscriber rec = new RecordingSubscriber();
    s.events().subscribe(rec);
    s.sendText("Hello");
    s.cancel();
    assertThat(rec.awaitTerminal(WAIT)).isTrue();
    assertThat(s.completion().toCompletableFuture().handle((r, e) -> e).get(10, TimeUnit.SECONDS))
        .isNotNull();
  }
}
