package dev.voicebridge.text.shaping.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The property every transform keeps: its output, characters and their spans in the original text
 * alike, does not depend on where the input was split into tokens.
 */
final class Splits {
  private Splits() {}

  /** Runs a fresh pipeline over {@code tokens}, then a flush; everything it emitted. */
  static Annotated run(Supplier<Pipeline> pipeline, List<String> tokens) {
    Pipeline p = pipeline.get();
    Annotated out = new Annotated();
    for (String t : tokens) {
      out.append(p.push(t));
    }
    out.append(p.flush());
    return out;
  }

  /** The output for {@code input} given whole. */
  static Annotated whole(Supplier<Pipeline> pipeline, String input) {
    return run(pipeline, List.of(input));
  }

  /** The text output for {@code input} given whole. */
  static String speak(Supplier<Pipeline> pipeline, String input) {
    return whole(pipeline, input).text();
  }

  /**
   * Checks that {@code input} split at every position into two tokens, into single characters, and
   * at 50 random sets of positions, gives exactly what the whole input gives. Positions inside a
   * surrogate pair are skipped: the session never hands half a pair to a backend.
   */
  static Annotated assertSplitIndependent(Supplier<Pipeline> pipeline, String input) {
    Annotated expected = whole(pipeline, input);
    List<Integer> cuts = new ArrayList<>();
    for (int i = 1; i < input.length(); i++) {
      if (!Character.isLowSurrogate(input.charAt(i))) {
        cuts.add(i);
      }
    }
    for (int i : cuts) {
      check(pipeline, input, expected, List.of(input.substring(0, i), input.substring(i)));
    }
    check(pipeline, input, expected, split(input, cuts));
    Random random = new Random(input.hashCode());
    for (int round = 0; round < 50; round++) {
      List<Integer> some = new ArrayList<>();
      for (int c : cuts) {
        if (random.nextInt(4) == 0) {
          some.add(c);
        }
      }
      check(pipeline, input, expected, split(input, some));
    }
    return expected;
  }

  private static List<String> split(String input, List<Integer> cuts) {
    List<String> tokens = new ArrayList<>();
    int prev = 0;
    for (int c : cuts) {
      tokens.add(input.substring(prev, c));
      prev = c;
    }
    tokens.add(input.substring(prev));
    return tokens;
  }

  private static void check(
      Supplier<Pipeline> pipeline, String input, Annotated expected, List<String> tokens) {
    Annotated got = run(pipeline, tokens);
    if (!got.sameAs(expected)) {
      assertThat(got.describe())
          .as("tokens %s of %s", tokens, input)
          .isEqualTo(expected.describe());
    }
  }

  /**
   * Each word of the output (a run of letters and digits) with the original text it stands for:
   * {@code word=original}.
   */
  static List<String> words(Annotated out, String original) {
    List<String> result = new ArrayList<>();
    int i = 0;
    while (i < out.length()) {
      if (!Character.isLetterOrDigit(out.charAt(i))) {
        i++;
        continue;
      }
      int j = i;
      while (j < out.length() && Character.isLetterOrDigit(out.charAt(j))) {
        j++;
      }
      int[] span = out.span(i, j);
      result.add(
          out.text(i, j) + "=" + (span == null ? "?" : original.substring(span[0], span[1])));
      i = j;
    }
    return result;
  }
}
