package dev.voicebridge.text.shaping;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisEvent;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.WordTiming;
import java.io.IOException;
import java.nio.file.Path;

/** The samples of docs/text.md, run by {@link TextSamplesTest} against the local provider. */
final class TextSamples {
  private TextSamples() {}

  /** Shapes an LLM's markdown reply in tokens; prints each word with the text it came from. */
  static void wrap(Path lexiconFile) throws IOException {
    // tag::wrap[]
    TextShaping shaping =
        TextShaping.builder()
            .markdown() // **bold**, [links](...), `code`, lists, headings, tables
            .nameEmoji() // or removeEmoji()
            .urls() // "example dot com slash docs"
            .lexicon(Lexicon.load(lexiconFile)) // nginx = engine x
            .englishNumbers() // $5 -> five dollars (sessions in English)
            .estimateWordTimings() // for providers that send none
            .build();
    String[] tokens = {"**Deploy** ngi", "nx for $5 ", "\uD83D\uDC4D"};
    String original = String.join("", tokens); // what the application wrote
    try (StreamingSynthesizer tts =
        shaping.wrap(StreamingSynthesizers.create("local", VoicebridgeConfig.empty()))) {
      SynthesisSession session = tts.open();
      SynthesisStream stream = session.stream();
      for (String token : tokens) {
        session.sendText(token); // as the model streams them
      }
      session.finish();
      while (stream.hasNext()) {
        SynthesisEvent e = stream.next();
        if (e instanceof WordTiming w && w.hasTextOffsets()) {
          // "engine" and "x" both point at "nginx", "five" at "$5"
          String source = original.substring(w.textStart(), w.textEnd());
          System.out.printf("%s %s <- %s%n", w.start(), w.word(), source);
        }
      }
    }
    // end::wrap[]
  }

  /** One session without shaping; returns what the text would have become. */
  static String perSession(StreamingSynthesizer tts) {
    // tag::per-session[]
    SynthesisOptions verbatim =
        SynthesisOptions.builder().set(TextShaping.OPTION, TextShaping.none()).build();
    SynthesisSession session = tts.open(verbatim); // this session's text goes as it is
    // end::per-session[]
    session.cancel();
    // tag::speakable[]
    String spoken = TextShaping.builder().markdown().build().speakable("**Hi** `ls -l`", "en");
    // "Hi ls -l": what a vendor would be sent, to preview or log
    // end::speakable[]
    return spoken;
  }
}
