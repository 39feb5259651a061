package dev.voicebridge;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a vendor's voice catalog: the voices, and the token of the next page when there is
 * one ({@link VoiceQuery#withPageToken(String)} asks for it). A vendor that does not page returns
 * its whole catalog in one page.
 *
 * <pre>{@code
 * VoiceQuery query = VoiceQuery.builder().language("en").build();
 * VoicePage page = tts.voices(query).toCompletableFuture().join();
 * while (page.nextPageToken().isPresent()) {
 *   page = tts.voices(query.withPageToken(page.nextPageToken().get())).toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>Immutable.
 */
public final class VoicePage {
  private final List<Voice> voices;
  private final String nextPageToken;

  private VoicePage(List<Voice> voices, String nextPageToken) {
    this.voices = List.copyOf(voices);
    this.nextPageToken = nextPageToken == null || nextPageToken.isBlank() ? null : nextPageToken;
  }

  /**
   * A page.
   *
   * @param voices the voices of the page, in the vendor's order
   * @param nextPageToken the token of the next page, or null on the last page
   * @return a page
   */
  public static VoicePage of(List<Voice> voices, String nextPageToken) {
    return new VoicePage(Objects.requireNonNull(voices, "voices"), nextPageToken);
  }

  /**
   * The last (or only) page, holding {@code voices}.
   *
   * @param voices the voices
   * @return the last (or only) page, holding {@code voices}
   */
  public static VoicePage last(List<Voice> voices) {
    return of(voices, null);
  }

  /**
   * The voices of this page, in the vendor's order (possibly none: see {@link VoiceQuery}).
   *
   * @return the voices of this page, in the vendor's order (possibly none: see {@link VoiceQuery})
   */
  public List<Voice> voices() {
    return voices;
  }

  /**
   * The token of the next page, or empty on the last page.
   *
   * @return the token of the next page, or empty on the last page
   */
  public Optional<String> nextPageToken() {
    return Optional.ofNullable(nextPageToken);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VoicePage p
        && voices.equals(p.voices)
        && Objects.equals(nextPageToken, p.nextPageToken);
  }

  @Override
  public int hashCode() {
    return Objects.hash(voices, nextPageToken);
  }

  @Override
  public String toString() {
    return "VoicePage["
        + voices.size()
        + " voice(s)"
        + (nextPageToken == null ? ", last" : ", next=" + nextPageToken)
        + "]";
  }
}
