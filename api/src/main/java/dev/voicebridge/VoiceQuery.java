package dev.voicebridge;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which voices {@link StreamingSynthesizer#voices(VoiceQuery)} lists, and which page of them: a
 * language, a text to search for in names, a model, the page size and the token of the page to
 * fetch. Every field is optional; {@link #all()} asks for the first page of every voice.
 *
 * <p>Filters the vendor applies on its server are passed on; the others are applied by the provider
 * to each page ({@link #matches(Voice)}), so a page can hold fewer voices than {@link #pageSize()},
 * even none, and still have a next page.
 *
 * <p>Immutable, with value equality (a synthesizer caches pages by query). Build with {@link
 * #builder()}.
 */
public final class VoiceQuery {
  private static final VoiceQuery ALL = builder().build();

  /** The largest page size a query may ask for (vendors cap it lower: ElevenLabs at 100). */
  public static final int MAX_PAGE_SIZE = 1000;

  private final String language;
  private final String search;
  private final String model;
  private final Integer pageSize;
  private final String pageToken;

  private VoiceQuery(Builder b) {
    this.language = b.language;
    this.search = b.search;
    this.model = b.model;
    this.pageSize = b.pageSize;
    this.pageToken = b.pageToken;
  }

  /**
   * The first page of every voice, at the vendor's page size.
   *
   * @return the first page of every voice, at the vendor's page size
   */
  public static VoiceQuery all() {
    return ALL;
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
   * A builder that starts from this query.
   *
   * @return a builder that starts from this query
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.language = language;
    b.search = search;
    b.model = model;
    b.pageSize = pageSize;
    b.pageToken = pageToken;
    return b;
  }

  /**
   * The same query for the page {@code token} names ({@link VoicePage#nextPageToken()} of the page
   * before).
   *
   * @param token the token
   * @return the same query for the page {@code token} names ({@link VoicePage#nextPageToken()} of
   *     the page before)
   */
  public VoiceQuery withPageToken(String token) {
    return toBuilder().pageToken(token).build();
  }

  /**
   * Voices that speak this language (an ISO 639 code such as {@code en}), if set.
   *
   * @return voices that speak this language (an ISO 639 code such as {@code en}), if set
   */
  public Optional<String> language() {
    return Optional.ofNullable(language);
  }

  /**
   * Text the voice's name (or id) contains, ignoring case, if set.
   *
   * @return text the voice's name (or id) contains, ignoring case, if set
   */
  public Optional<String> search() {
    return Optional.ofNullable(search);
  }

  /**
   * The model the voices must work with, if set: for a vendor whose catalog depends on the model
   * (Smallest) the catalog of that model, else the voices whose {@link Voice#models()} name it or
   * are empty. Unset: the synthesizer's configured model where the catalog depends on one.
   *
   * @return the model the voices must work with, if set: for a vendor whose catalog depends on the
   *     model (Smallest) the catalog of that model, else the voices whose {@link Voice#models()}
   *     name it or are empty
   */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /**
   * How many voices a page holds at most, if set (the vendor's default otherwise; vendors cap it,
   * and a vendor without paging returns every voice in one page).
   *
   * @return how many voices a page holds at most, if set (the vendor's default otherwise; vendors
   *     cap it, and a vendor without paging returns every voice in one page)
   */
  public OptionalInt pageSize() {
    return pageSize == null ? OptionalInt.empty() : OptionalInt.of(pageSize);
  }

  /**
   * The page to fetch (a token from {@link VoicePage#nextPageToken()}), if not the first.
   *
   * @return the page to fetch (a token from {@link VoicePage#nextPageToken()}), if not the first
   */
  public Optional<String> pageToken() {
    return Optional.ofNullable(pageToken);
  }

  /**
   * Whether {@code voice} passes this query's filters: it speaks {@link #language()} ({@link
   * Voice#speaks(String)}), its name or id contains {@link #search()} ignoring case, and its {@link
   * Voice#models()} name {@link #model()} or are empty. Paging fields play no part.
   *
   * @param voice the voice
   * @return whether {@code voice} passes this query's filters: it speaks {@link #language()}
   *     ({@link Voice#speaks(String)}), its name or id contains {@link #search()} ignoring case,
   *     and its {@link Voice#models()} name {@link #model()} or are empty
   */
  public boolean matches(Voice voice) {
    Objects.requireNonNull(voice, "voice");
    if (language != null && !voice.speaks(language)) {
      return false;
    }
    if (search != null) {
      String s = search.toLowerCase(Locale.ROOT);
      if (!voice.name().toLowerCase(Locale.ROOT).contains(s)
          && !voice.id().toLowerCase(Locale.ROOT).contains(s)) {
        return false;
      }
    }
    return model == null || voice.models().isEmpty() || voice.models().contains(model);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VoiceQuery q
        && Objects.equals(language, q.language)
        && Objects.equals(search, q.search)
        && Objects.equals(model, q.model)
        && Objects.equals(pageSize, q.pageSize)
        && Objects.equals(pageToken, q.pageToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(language, search, model, pageSize, pageToken);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("VoiceQuery[");
    if (language != null) {
      sb.append("language=").append(language).append(", ");
    }
    if (search != null) {
      sb.append("search=").append(search).append(", ");
    }
    if (model != null) {
      sb.append("model=").append(model).append(", ");
    }
    if (pageSize != null) {
      sb.append("pageSize=").append(pageSize).append(", ");
    }
    if (pageToken != null) {
      sb.append("pageToken=").append(pageToken).append(", ");
    }
    if (sb.charAt(sb.length() - 1) == ' ') {
      sb.setLength(sb.length() - 2);
    }
    return sb.append(']').toString();
  }

  /** Builds a {@link VoiceQuery}; null (or blank) unsets a field. */
  public static final class Builder {
    private String language;
    private String search;
    private String model;
    private Integer pageSize;
    private String pageToken;

    private Builder() {}

    /**
     * See {@link VoiceQuery#language()}.
     *
     * @param code the code
     * @throws IllegalArgumentException unless an ISO 639 code, optionally with a region ({@code
     *     en}, {@code pt-BR})
     * @return see {@link VoiceQuery#language()}
     */
    public Builder language(String code) {
      String l = blankToNull(code);
      if (l != null && !l.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")) {
        throw new IllegalArgumentException(
            "language must be an ISO 639 code such as en or pt-BR, was '" + code + "'");
      }
      language = l;
      return this;
    }

    /**
     * See {@link VoiceQuery#search()}.
     *
     * @param text the text
     * @return see {@link VoiceQuery#search()}
     */
    public Builder search(String text) {
      search = blankToNull(text);
      return this;
    }

    /**
     * See {@link VoiceQuery#model()}.
     *
     * @param id the id
     * @return see {@link VoiceQuery#model()}
     */
    public Builder model(String id) {
      model = blankToNull(id);
      return this;
    }

    /**
     * See {@link VoiceQuery#pageSize()}.
     *
     * @param size the size
     * @throws IllegalArgumentException unless 1 to {@value VoiceQuery#MAX_PAGE_SIZE}
     * @return see {@link VoiceQuery#pageSize()}
     */
    public Builder pageSize(int size) {
      if (size < 1 || size > MAX_PAGE_SIZE) {
        throw new IllegalArgumentException(
            "pageSize must be 1 to " + MAX_PAGE_SIZE + ", was " + size);
      }
      pageSize = size;
      return this;
    }

    /**
     * See {@link VoiceQuery#pageToken()}.
     *
     * @param token the token
     * @return see {@link VoiceQuery#pageToken()}
     */
    public Builder pageToken(String token) {
      pageToken = blankToNull(token);
      return this;
    }

    /**
     * The query.
     *
     * @return the query
     */
    public VoiceQuery build() {
      return new VoiceQuery(this);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s.strip();
    }
  }
}
