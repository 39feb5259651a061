package dev.voicebridge.text.shaping;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A vendor-neutral pronunciation lexicon: words and how to say them, applied to the text before any
 * vendor sees it, so "nginx" is "engine x" on every provider. (A vendor's own pronunciation
 * dictionaries, where it has them, stay available as that vendor's options.)
 *
 * <p>Entries replace whole words: a word of the text matches an entry when the characters next to
 * it are not letters or digits ("nginx's" matches {@code nginx}; "nginxes" does not). An entry may
 * hold punctuation ({@code C++}, {@code Node.js}) but no white space. Case rule: an entry written
 * in lower case matches the word in any case ({@code nginx} matches "Nginx" and "NGINX"); an entry
 * with a capital letter matches only exactly as written ({@code IT} matches "IT", never "it").
 *
 * <p>Entries belong to every language, or to one: {@code en} applies to sessions whose language is
 * {@code en} or starts with {@code en-} ({@code en-US}); {@code en-GB} only to {@code en-GB}. A
 * session's language is its {@link dev.voicebridge.SynthesisOptions#language()}, or the default of
 * its {@link TextShaping}; without one, only the entries for every language apply. The most
 * specific language wins, then an exact-case entry before a lower-case one.
 *
 * <h2>File format</h2>
 *
 * UTF-8 text, one entry per line: the word, {@code =}, how to say it. Blank lines and lines whose
 * first character other than white space is {@code #} are ignored; a line {@code [en]} starts the
 * entries of a language, {@code [*]} returns to every language:
 *
 * <pre>
 * # Voicebridge lexicon
 * nginx = engine x
 * SQL = sequel
 * [en-GB]
 * route = root
 * [*]
 * Voicebridge = voice bridge
 * </pre>
 *
 * A problem (a line without {@code =}, an empty side, white space inside a word, a word twice in
 * one section) is an {@link IllegalArgumentException} naming the line. Immutable and thread-safe.
 */
public final class Lexicon {
  private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");
  private static final Lexicon EMPTY = new Lexicon(Map.of(), 0);

  /** Per language tag in lower case ("" for every language): exact and any-case entries. */
  private final Map<String, Section> sections;

  private final int size;

  private record Section(Map<String, String> exact, Map<String, String> anyCase) {}

  private Lexicon(Map<String, Section> sections, int size) {
    this.sections = sections;
    this.size = size;
  }

  /**
   * A lexicon with no entries.
   *
   * @return a lexicon with no entries
   */
  public static Lexicon empty() {
    return EMPTY;
  }

  /**
   * A new builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a lexicon file (UTF-8, the format above).
   *
   * @param file the file
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException naming the file and line of a malformed entry
   * @return reads a lexicon file (UTF-8, the format above)
   */
  public static Lexicon load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * Parses the text of a lexicon file.
   *
   * @param content the file's text
   * @param source what to call it in error messages (a file name)
   * @throws IllegalArgumentException naming the source and line of a malformed entry
   * @return parses the text of a lexicon file
   */
  public static Lexicon parse(String content, String source) {
    Objects.requireNonNull(content, "content");
    Builder b = builder();
    String language = "*";
    String[] lines = content.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + " line " + (i + 1) + ": ";
      if (line.startsWith("[")) {
        if (!line.endsWith("]")) {
          throw new IllegalArgumentException(where + "a section is [language] or [*], got " + line);
        }
        language = line.substring(1, line.length() - 1).strip();
        if (!language.equals("*") && !LANGUAGE.matcher(language).matches()) {
          throw new IllegalArgumentException(
              where + "'" + language + "' is not a language tag such as en or en-GB (or *)");
        }
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException(
            where + "an entry is 'word = how to say it'; this line has no '='");
      }
      try {
        b.add(language, line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + e.getMessage(), e);
      }
    }
    return b.build();
  }

  /**
   * Number of entries.
   *
   * @return number of entries
   */
  public int size() {
    return size;
  }

  /**
   * How to say {@code word} in {@code language} (null: no language), when an entry matches it as a
   * whole.
   *
   * @param language the language
   * @param word the word
   * @return how to say {@code word} in {@code language} (null: no language), when an entry matches
   *     it as a whole
   */
  public Optional<String> lookup(String word, String language) {
    Objects.requireNonNull(word, "word");
    for (Section s : applicable(language)) {
      String hit = s.exact().get(word);
      if (hit == null) {
        hit = s.anyCase().get(word.toLowerCase(Locale.ROOT));
      }
      if (hit != null) {
        return Optional.of(hit);
      }
    }
    return Optional.empty();
  }

  /** The sections that apply to {@code language}, most specific first. */
  private List<Section> applicable(String language) {
    List<String> tags = new ArrayList<>();
    String l = language == null ? null : language.toLowerCase(Locale.ROOT).replace('_', '-');
    for (String tag : sections.keySet()) {
      if (tag.isEmpty() || (l != null && (l.equals(tag) || l.startsWith(tag + "-")))) {
        tags.add(tag);
      }
    }
    tags.sort(Comparator.comparingInt(String::length).reversed());
    List<Section> out = new ArrayList<>(tags.size());
    for (String t : tags) {
      out.add(sections.get(t));
    }
    return out;
  }

  @Override
  public String toString() {
    return "Lexicon[" + size + " entries]";
  }

  /** Builds a {@link Lexicon} in code. */
  public static final class Builder {
    private final Map<String, Map<String, String>> exact = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> anyCase = new LinkedHashMap<>();
    private int size;

    private Builder() {}

    /**
     * An entry for every language.
     *
     * @param spoken the spoken
     * @param word the word
     * @return an entry for every language
     */
    public Builder add(String word, String spoken) {
      return add("*", word, spoken);
    }

    /**
     * An entry for {@code language} ({@code en}, {@code en-GB}, or {@code *} for every language).
     *
     * @param language the language
     * @param spoken the spoken
     * @param word the word
     * @throws IllegalArgumentException for an empty side, white space in the word, a bad language
     *     tag, or a word already in that language's entries
     * @return an entry for {@code language} ({@code en}, {@code en-GB}, or {@code *} for every
     *     language)
     */
    public Builder add(String language, String word, String spoken) {
      Objects.requireNonNull(language, "language");
      Objects.requireNonNull(word, "word");
      Objects.requireNonNull(spoken, "spoken");
      if (!language.equals("*") && !LANGUAGE.matcher(language).matches()) {
        throw new IllegalArgumentException("'" + language + "' is not a language tag");
      }
      if (word.isEmpty()) {
        throw new IllegalArgumentException("the word is empty");
      }
      if (word.codePoints().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "'" + word + "' has white space in it; an entry is one word");
      }
      if (spoken.isBlank() || spoken.contains("\n")) {
        throw new IllegalArgumentException("how to say '" + word + "' is empty or several lines");
      }
      String tag = language.equals("*") ? "" : language.toLowerCase(Locale.ROOT);
      boolean caseSensitive = !word.equals(word.toLowerCase(Locale.ROOT));
      Map<String, String> m =
          (caseSensitive ? exact : anyCase).computeIfAbsent(tag, t -> new LinkedHashMap<>());
      if (m.putIfAbsent(word, spoken.strip()) != null) {
        throw new IllegalArgumentException(
            "'" + word + "' is in the lexicon twice" + (tag.isEmpty() ? "" : " for " + language));
      }
      size++;
      return this;
    }

    /**
     * The lexicon.
     *
     * @return the lexicon
     */
    public Lexicon build() {
      Map<String, Section> sections = new LinkedHashMap<>();
      for (String tag : exact.keySet()) {
        sections.put(tag, null);
      }
      for (String tag : anyCase.keySet()) {
        sections.put(tag, null);
      }
      sections.replaceAll(
          (tag, ignored) ->
              new Section(
                  Map.copyOf(exact.getOrDefault(tag, Map.of())),
                  Map.copyOf(anyCase.getOrDefault(tag, Map.of()))));
      return new Lexicon(Map.copyOf(sections), size);
    }
  }
}
