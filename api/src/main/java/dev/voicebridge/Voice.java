package dev.voicebridge;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One voice of a vendor's catalog, as {@link StreamingSynthesizer#voices(VoiceQuery)} lists it: the
 * id to put in {@link SynthesisOptions.Builder#voice(String)}, a name for people, and what the
 * vendor says about it. A field the vendor does not give is empty ({@link Optional#empty()}, an
 * empty list), never guessed.
 *
 * <p>Immutable. Providers build voices with {@link #builder(String, String)}; applications only
 * read them.
 */
public final class Voice {
  private final String id;
  private final String name;
  private final List<String> languages;
  private final String gender;
  private final String age;
  private final String accent;
  private final String description;
  private final boolean wordTimings;
  private final List<String> models;
  private final URI previewUrl;
  private final Map<String, String> attributes;

  private Voice(Builder b) {
    this.id = b.id;
    this.name = b.name;
    this.languages = List.copyOf(b.languages);
    this.gender = b.gender;
    this.age = b.age;
    this.accent = b.accent;
    this.description = b.description;
    this.wordTimings = b.wordTimings;
    this.models = List.copyOf(b.models);
    this.previewUrl = b.previewUrl;
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
  }

  /**
   * A builder for the voice {@code id} called {@code name}.
   *
   * @param id the id
   * @param name the name
   * @throws IllegalArgumentException if the id is blank
   * @return a builder for the voice {@code id} called {@code name}
   */
  public static Builder builder(String id, String name) {
    return new Builder(id, name);
  }

  /**
   * The vendor's id of the voice: what {@link SynthesisOptions.Builder#voice(String)} takes.
   *
   * @return the vendor's id of the voice: what {@link SynthesisOptions.Builder#voice(String)} takes
   */
  public String id() {
    return id;
  }

  /**
   * The vendor's display name (the id when the vendor gives none).
   *
   * @return the vendor's display name (the id when the vendor gives none)
   */
  public String name() {
    return name;
  }

  /**
   * The languages the voice speaks as the vendor lists them, as lower-case ISO 639 codes where the
   * vendor's names could be read as one ({@code en}, {@code hi}), possibly with a region ({@code
   * en-us}); empty when the vendor does not say.
   *
   * @return the languages the voice speaks as the vendor lists them, as lower-case ISO 639 codes
   *     where the vendor's names could be read as one ({@code en}, {@code hi}), possibly with a
   *     region ({@code en-us}); empty when the vendor does not say
   */
  public List<String> languages() {
    return languages;
  }

  /**
   * Whether the voice speaks {@code language}: a language of {@link #languages()} has the same
   * primary subtag ({@code en} matches {@code en-us} and the reverse; case is ignored).
   *
   * @param language the language
   * @return whether the voice speaks {@code language}: a language of {@link #languages()} has the
   *     same primary subtag ({@code en} matches {@code en-us} and the reverse; case is ignored)
   */
  public boolean speaks(String language) {
    String wanted = primary(Objects.requireNonNull(language, "language"));
    for (String l : languages) {
      if (primary(l).equals(wanted)) {
        return true;
      }
    }
    return false;
  }

  private static String primary(String language) {
    String l = language.trim().toLowerCase(Locale.ROOT);
    int cut = l.indexOf('-');
    if (cut < 0) {
      cut = l.indexOf('_');
    }
    return cut > 0 ? l.substring(0, cut) : l;
  }

  /**
   * The gender as the vendor words it ({@code female}, {@code male}...), if it says.
   *
   * @return the gender as the vendor words it ({@code female}, {@code male}...), if it says
   */
  public Optional<String> gender() {
    return Optional.ofNullable(gender);
  }

  /**
   * The age as the vendor words it ({@code young}, {@code middle-aged}...), if it says.
   *
   * @return the age as the vendor words it ({@code young}, {@code middle-aged}...), if it says
   */
  public Optional<String> age() {
    return Optional.ofNullable(age);
  }

  /**
   * The accent as the vendor words it ({@code american}, {@code british}...), if it says.
   *
   * @return the accent as the vendor words it ({@code american}, {@code british}...), if it says
   */
  public Optional<String> accent() {
    return Optional.ofNullable(accent);
  }

  /**
   * The vendor's description of the voice, if it has one.
   *
   * @return the vendor's description of the voice, if it has one
   */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  /**
   * Whether the vendor reports {@link WordTiming}s for this voice, on the transports that carry
   * them (see {@link Capabilities#wordTimings()} for the synthesizer's transport).
   *
   * @return whether the vendor reports {@link WordTiming}s for this voice, on the transports that
   *     carry them (see {@link Capabilities#wordTimings()} for the synthesizer's transport)
   */
  public boolean wordTimings() {
    return wordTimings;
  }

  /**
   * The models the vendor says the voice works with (what {@link
   * SynthesisOptions.Builder#model(String)} takes); empty when the vendor does not say, which for
   * most vendors means every model.
   *
   * @return the models the vendor says the voice works with (what {@link
   *     SynthesisOptions.Builder#model(String)} takes); empty when the vendor does not say, which
   *     for most vendors means every model
   */
  public List<String> models() {
    return models;
  }

  /**
   * Where a sample of the voice can be heard, if the vendor has one.
   *
   * @return where a sample of the voice can be heard, if the vendor has one
   */
  public Optional<URI> previewUrl() {
    return Optional.ofNullable(previewUrl);
  }

  /**
   * What else the vendor says about the voice, by the vendor's own names ({@code category}, {@code
   * use_case}, {@code tags}...), for display; never needed to synthesize.
   *
   * @return what else the vendor says about the voice, by the vendor's own names ({@code category},
   *     {@code use_case}, {@code tags}...), for display; never needed to synthesize
   */
  public Map<String, String> attributes() {
    return attributes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Voice v
        && id.equals(v.id)
        && name.equals(v.name)
        && languages.equals(v.languages)
        && Objects.equals(gender, v.gender)
        && Objects.equals(age, v.age)
        && Objects.equals(accent, v.accent)
        && Objects.equals(description, v.description)
        && wordTimings == v.wordTimings
        && models.equals(v.models)
        && Objects.equals(previewUrl, v.previewUrl)
        && attributes.equals(v.attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        id,
        name,
        languages,
        gender,
        age,
        accent,
        description,
        wordTimings,
        models,
        previewUrl,
        attributes);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Voice[id=").append(id).append(", name=").append(name);
    if (!languages.isEmpty()) {
      sb.append(", languages=").append(languages);
    }
    if (gender != null) {
      sb.append(", gender=").append(gender);
    }
    if (age != null) {
      sb.append(", age=").append(age);
    }
    if (accent != null) {
      sb.append(", accent=").append(accent);
    }
    sb.append(", wordTimings=").append(wordTimings);
    if (!models.isEmpty()) {
      sb.append(", models=").append(models);
    }
    return sb.append(']').toString();
  }

  /** Builds a {@link Voice}; blank strings count as "not said". */
  public static final class Builder {
    private final String id;
    private final String name;
    private final LinkedHashSet<String> languages = new LinkedHashSet<>();
    private String gender;
    private String age;
    private String accent;
    private String description;
    private boolean wordTimings;
    private final LinkedHashSet<String> models = new LinkedHashSet<>();
    private URI previewUrl;
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private Builder(String id, String name) {
      Objects.requireNonNull(id, "id");
      if (id.isBlank()) {
        throw new IllegalArgumentException("a voice id must not be blank");
      }
      this.id = id;
      this.name = name == null || name.isBlank() ? id : name.strip();
    }

    /**
     * Adds languages (blank ones and repeats are skipped; codes are lower-cased).
     *
     * @param codes the codes
     * @return adds languages (blank ones and repeats are skipped; codes are lower-cased)
     */
    public Builder languages(List<String> codes) {
      for (String c : codes) {
        String l = blankToNull(c);
        if (l != null) {
          languages.add(l.toLowerCase(Locale.ROOT));
        }
      }
      return this;
    }

    /**
     * Adds languages.
     *
     * @param codes the codes
     * @return adds languages
     */
    public Builder languages(String... codes) {
      return languages(List.of(codes));
    }

    /**
     * See {@link Voice#gender()}.
     *
     * @param v the v
     * @return see {@link Voice#gender()}
     */
    public Builder gender(String v) {
      gender = blankToNull(v);
      return this;
    }

    /**
     * See {@link Voice#age()}.
     *
     * @param v the v
     * @return see {@link Voice#age()}
     */
    public Builder age(String v) {
      age = blankToNull(v);
      return this;
    }

    /**
     * See {@link Voice#accent()}.
     *
     * @param v the v
     * @return see {@link Voice#accent()}
     */
    public Builder accent(String v) {
      accent = blankToNull(v);
      return this;
    }

    /**
     * See {@link Voice#description()}.
     *
     * @param v the v
     * @return see {@link Voice#description()}
     */
    public Builder description(String v) {
      description = blankToNull(v);
      return this;
    }

    /**
     * See {@link Voice#wordTimings()}.
     *
     * @param v the v
     * @return see {@link Voice#wordTimings()}
     */
    public Builder wordTimings(boolean v) {
      wordTimings = v;
      return this;
    }

    /**
     * Adds models (blank ones and repeats are skipped).
     *
     * @param ids the ids
     * @return adds models (blank ones and repeats are skipped)
     */
    public Builder models(List<String> ids) {
      for (String m : ids) {
        String v = blankToNull(m);
        if (v != null) {
          models.add(v);
        }
      }
      return this;
    }

    /**
     * Adds models.
     *
     * @param ids the ids
     * @return adds models
     */
    public Builder models(String... ids) {
      return models(List.of(ids));
    }

    /**
     * See {@link Voice#previewUrl()}; null for none.
     *
     * @param v the v
     * @return see {@link Voice#previewUrl()}; null for none
     */
    public Builder previewUrl(URI v) {
      previewUrl = v;
      return this;
    }

    /**
     * Adds an attribute (a blank value is skipped).
     *
     * @param key the key
     * @param value the value
     * @return adds an attribute (a blank value is skipped)
     */
    public Builder attribute(String key, String value) {
      Objects.requireNonNull(key, "key");
      String v = blankToNull(value);
      if (v != null) {
        attributes.put(key, v);
      }
      return this;
    }

    /**
     * The voice.
     *
     * @return the voice
     */
    public Voice build() {
      return new Voice(this);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s.strip();
    }
  }
}
