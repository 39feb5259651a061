package dev.voicebridge.text.shaping;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.text.shaping.internal.EmojiStage;
import dev.voicebridge.text.shaping.internal.LexiconStage;
import dev.voicebridge.text.shaping.internal.MarkdownStage;
import dev.voicebridge.text.shaping.internal.NumberStage;
import dev.voicebridge.text.shaping.internal.Pipeline;
import dev.voicebridge.text.shaping.internal.Stage;
import dev.voicebridge.text.shaping.internal.UrlStage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What to do to the text before a vendor sees it, and the synthesizer that does it: {@link
 * #wrap(StreamingSynthesizer)} puts the transforms in front of any synthesizer (a vendor adapter, a
 * plugin, a {@link dev.voicebridge.fallback.FallbackSynthesizer}).
 *
 * <pre>{@code
 * TextShaping shaping = TextShaping.builder()
 *     .markdown().nameEmoji().urls().lexicon(Lexicon.load(Path.of("lexicon.txt")))
 *     .estimateWordTimings()
 *     .build();
 * StreamingSynthesizer tts = shaping.wrap(StreamingSynthesizers.fromConfig());
 * }</pre>
 *
 * <h2>The transforms</h2>
 *
 * Applied in this order, whatever order the builder was called in: {@linkplain Builder#markdown()
 * markdown} to speakable text, {@linkplain Builder#nameEmoji() emoji} named or {@linkplain
 * Builder#removeEmoji() removed}, {@linkplain Builder#urls() web and e-mail addresses} spoken, the
 * {@linkplain Builder#lexicon(Lexicon) lexicon}, and {@linkplain Builder#englishNumbers() numbers,
 * dates and money} in English words (for sessions in English or of no language). Each works on the
 * stream of tokens as it comes: it never waits for the end of the input, holds only what it cannot
 * decide yet (an emphasis marker until the next character, a word that may continue until the white
 * space after it), and a flush releases what it holds. The text that reaches the vendor is the same
 * however the application's text was split into tokens.
 *
 * <h2>Word positions</h2>
 *
 * The synthesizer keeps, for every character it sends, where it came from in the application's
 * text. The {@link dev.voicebridge.WordTiming} events of its sessions carry {@link
 * dev.voicebridge.WordTiming#textStart()} and {@link dev.voicebridge.WordTiming#textEnd()}: the
 * word's place in everything the application handed to the session (UTF-16 offsets, counted from
 * the session's first character across flushes). The vendor's words are matched to the text it was
 * sent in order; see docs/text.md for how.
 *
 * <h2>Estimated word timings</h2>
 *
 * With {@link Builder#estimateWordTimings()}, sessions of a provider that reports no word timings
 * (its {@link dev.voicebridge.Capabilities#wordTimings()} is false) get timings estimated from the
 * text and the duration of the audio, marked {@link dev.voicebridge.WordTiming#estimated()},
 * monotonic, within the audio. A provider that reports timings keeps its own; the two are never
 * mixed. Estimates need an uncompressed format (PCM, mu-law, A-law); a session in another format
 * gets a warning in its report instead.
 *
 * <h2>Per session</h2>
 *
 * A session may carry its own shaping in its options ({@link #OPTION}); it replaces the
 * synthesizer's for that session:
 *
 * <pre>{@code
 * tts.open(SynthesisOptions.builder().set(TextShaping.OPTION, TextShaping.none()).build());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class TextShaping {

  /**
   * The shaping of one session, replacing the wrapping synthesizer's. Only a synthesizer from
   * {@link #wrap(StreamingSynthesizer)} understands it (and removes it before its delegate sees the
   * options); any other lists it among the report's warnings as an option it does not know.
   */
  public static final SynthesisOption<TextShaping> OPTION =
      SynthesisOption.of(
          "text",
          "shaping",
          TextShaping.class,
          "the text shaping of this session, replacing the synthesizer's (voicebridge-text)");

  private static final TextShaping NONE = builder().build();

  private final boolean markdown;
  private final boolean speakCodeBlocks;
  private final Boolean nameEmoji; // null: emoji untouched
  private final boolean urls;
  private final Lexicon lexicon;
  private final boolean englishNumbers;
  private final boolean estimateWordTimings;
  private final String defaultLanguage;

  private TextShaping(Builder b) {
    this.markdown = b.markdown;
    this.speakCodeBlocks = b.speakCodeBlocks;
    this.nameEmoji = b.nameEmoji;
    this.urls = b.urls;
    this.lexicon = b.lexicon;
    this.englishNumbers = b.englishNumbers;
    this.estimateWordTimings = b.estimateWordTimings;
    this.defaultLanguage = b.defaultLanguage;
  }

  /**
   * A new builder, with every transform off.
   *
   * @return a new builder, with every transform off
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * No transform and no estimate: the text goes to the vendor as it is, and word timings still
   * point at the application's text.
   *
   * @return no transform and no estimate: the text goes to the vendor as it is, and word timings
   *     still point at the application's text
   */
  public static TextShaping none() {
    return NONE;
  }

  /**
   * A synthesizer that shapes the text of its sessions and then hands it to {@code synthesizer}. It
   * has the same provider name and formats; it owns {@code synthesizer} ({@code close()} closes
   * it).
   *
   * @param synthesizer the synthesizer
   * @return a synthesizer that shapes the text of its sessions and then hands it to {@code
   *     synthesizer}
   */
  public StreamingSynthesizer wrap(StreamingSynthesizer synthesizer) {
    return new ShapedSynthesizer(Objects.requireNonNull(synthesizer, "synthesizer"), this);
  }

  /**
   * The text a vendor would be sent for {@code text} as a whole: every transform applied, nothing
   * held back.
   *
   * @param language the session's language (null: the default language of this shaping)
   * @param text the text
   * @return the text a vendor would be sent for {@code text} as a whole: every transform applied,
   *     nothing held back
   */
  public String speakable(String text, String language) {
    Objects.requireNonNull(text, "text");
    Pipeline p = pipeline(language == null ? defaultLanguage : language);
    return p.push(text).text() + p.flush().text();
  }

  /**
   * Whether sessions of providers without word timings get estimated ones.
   *
   * @return whether sessions of providers without word timings get estimated ones
   */
  public boolean estimatesWordTimings() {
    return estimateWordTimings;
  }

  /** The stages of one session in {@code language}. */
  Pipeline pipeline(String language) {
    List<Stage> stages = new ArrayList<>();
    if (markdown) {
      stages.add(new MarkdownStage(speakCodeBlocks));
    }
    if (nameEmoji != null) {
      stages.add(new EmojiStage(nameEmoji));
    }
    if (urls) {
      stages.add(new UrlStage());
    }
    if (lexicon != null && lexicon.size() > 0) {
      stages.add(new LexiconStage(lexicon, language));
    }
    if (englishNumbers && isEnglish(language)) {
      stages.add(new NumberStage(language));
    }
    return new Pipeline(stages);
  }

  /** The language of a session with {@code options}. */
  String language(SynthesisOptions options) {
    return options.language().orElse(defaultLanguage);
  }

  /** Whether English numbers are asked for but skipped in {@code language}. */
  boolean skipsNumbers(String language) {
    return englishNumbers && !isEnglish(language);
  }

  static boolean isEnglish(String language) {
    if (language == null) {
      return true;
    }
    String l = language.toLowerCase(Locale.ROOT);
    return l.equals("en") || l.startsWith("en-") || l.startsWith("en_");
  }

  /** What this shaping does, for reports: {@code markdown,emoji=name,urls,lexicon(3)}. */
  String describe() {
    List<String> parts = new ArrayList<>();
    if (markdown) {
      parts.add(speakCodeBlocks ? "markdown" : "markdown(code skipped)");
    }
    if (nameEmoji != null) {
      parts.add(nameEmoji ? "emoji=name" : "emoji=remove");
    }
    if (urls) {
      parts.add("urls");
    }
    if (lexicon != null && lexicon.size() > 0) {
      parts.add("lexicon(" + lexicon.size() + ")");
    }
    if (englishNumbers) {
      parts.add("numbers=en");
    }
    if (estimateWordTimings) {
      parts.add("estimated-timings");
    }
    return parts.isEmpty() ? "none" : String.join(",", parts);
  }

  @Override
  public String toString() {
    return "TextShaping[" + describe() + "]";
  }

  /** Builds a {@link TextShaping}. Every transform starts off. */
  public static final class Builder {
    private boolean markdown;
    private boolean speakCodeBlocks = true;
    private Boolean nameEmoji;
    private boolean urls;
    private Lexicon lexicon;
    private boolean englishNumbers;
    private boolean estimateWordTimings;
    private String defaultLanguage;

    private Builder() {}

    /**
     * Markdown to speakable text: emphasis, links (their text is read, the URL is not), inline and
     * fenced code (the code is read), headings, lists, block quotes, tables (cells read with a
     * comma between them), thematic breaks and HTML tags.
     *
     * @return markdown to speakable text: emphasis, links (their text is read, the URL is not),
     *     inline and fenced code (the code is read), headings, lists, block quotes, tables (cells
     *     read with a comma between them), thematic breaks and HTML tags
     */
    public Builder markdown() {
      this.markdown = true;
      return this;
    }

    /**
     * Markdown, with the code of fenced code blocks skipped instead of read.
     *
     * @return markdown, with the code of fenced code blocks skipped instead of read
     */
    public Builder skipCodeBlocks() {
      this.markdown = true;
      this.speakCodeBlocks = false;
      return this;
    }

    /**
     * Emoji removed.
     *
     * @return emoji removed
     */
    public Builder removeEmoji() {
      this.nameEmoji = false;
      return this;
    }

    /**
     * Emoji replaced by their Unicode names ("thumbs up sign").
     *
     * @return emoji replaced by their Unicode names ("thumbs up sign")
     */
    public Builder nameEmoji() {
      this.nameEmoji = true;
      return this;
    }

    /**
     * Web and e-mail addresses read as a person would ("example dot com slash docs").
     *
     * @return web and e-mail addresses read as a person would ("example dot com slash docs")
     */
    public Builder urls() {
      this.urls = true;
      return this;
    }

    /**
     * A pronunciation lexicon (null: none).
     *
     * @param lexicon the lexicon
     * @return a pronunciation lexicon (null: none)
     */
    public Builder lexicon(Lexicon lexicon) {
      this.lexicon = lexicon;
      return this;
    }

    /**
     * Numbers, dates, times, percentages and amounts of money in English words, for sessions whose
     * language is English or unset (others get a warning in their report and keep their digits).
     *
     * @return numbers, dates, times, percentages and amounts of money in English words, for
     *     sessions whose language is English or unset (others get a warning in their report and
     *     keep their digits)
     */
    public Builder englishNumbers() {
      this.englishNumbers = true;
      return this;
    }

    /**
     * Word timings estimated for providers that report none.
     *
     * @return word timings estimated for providers that report none
     */
    public Builder estimateWordTimings() {
      this.estimateWordTimings = true;
      return this;
    }

    /**
     * The language assumed for a session whose options name none, for the lexicon's sections and
     * the English numbers (null: none).
     *
     * @param language the language
     * @return the language assumed for a session whose options name none, for the lexicon's
     *     sections and the English numbers (null: none)
     */
    public Builder defaultLanguage(String language) {
      this.defaultLanguage = language;
      return this;
    }

    /**
     * The shaping.
     *
     * @return the shaping
     */
    public TextShaping build() {
      return new TextShaping(this);
    }
  }
}
