package dev.voicebridge.text.shaping.internal;

import dev.voicebridge.text.shaping.Lexicon;
import java.util.Optional;

/**
 * The words of a {@link Lexicon} replaced by how to say them. Within a run of characters between
 * white space, a match starts and ends where the neighbouring characters are not letters or digits,
 * and the longest match at the leftmost place wins. Words are held until the white space after
 * them; runs longer than 128 characters pass unchanged.
 */
public final class LexiconStage extends WordStage {
  private final Lexicon lexicon;
  private final String language;

  /** Applies {@code lexicon}'s entries for {@code language} (or null). */
  public LexiconStage(Lexicon lexicon, String language) {
    super(128);
    this.lexicon = lexicon;
    this.language = language;
  }

  @Override
  protected void word(int n) {
    String w = text(0, n);
    int done = 0;
    int i = 0;
    while (i < n) {
      if (i > 0 && Character.isLetterOrDigit(w.charAt(i - 1))) {
        i++;
        continue;
      }
      int matched = -1;
      String spoken = null;
      for (int j = n; j > i; j--) {
        if (j < n && Character.isLetterOrDigit(w.charAt(j))) {
          continue;
        }
        Optional<String> hit = lexicon.lookup(w.substring(i, j), language);
        if (hit.isPresent()) {
          matched = j;
          spoken = hit.get();
          break;
        }
      }
      if (matched < 0) {
        i++;
        continue;
      }
      copy(i - done);
      replace(matched - i, spoken);
      done = matched;
      i = matched;
    }
    copy(n - done);
  }
}
