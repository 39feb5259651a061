package dev.voicebridge.emulator.cartesia;

import java.time.Duration;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The models the emulator accepts (protocol note section 2.1) and their published model latency
 * (section 6): {@code sonic-3} 90 ms, {@code sonic-3.5} 85 ms ("sub-90ms"), {@code sonic-2} 90 ms,
 * {@code sonic-turbo} 40 ms. The sunset models of section 1.3 are refused.
 */
final class Models {
  private static final Pattern MODEL =
      Pattern.compile("sonic-(3\\.5|3|2|turbo|latest)(-\\d{4}-\\d{2}-\\d{2})?");

  private static final Set<String> SUNSET =
      Set.of(
          "sonic",
          "sonic-english",
          "sonic-multilingual",
          "sonic-2-2025-03-07",
          "sonic-turbo-2025-03-07");

  /** The model latency the realistic profile is calibrated on ({@code sonic-3}). */
  static final Duration REFERENCE = Duration.ofMillis(90);

  private Models() {}

  /** Checks a {@code model_id}. */
  static void check(String model) throws Rejected {
    if (SUNSET.contains(model)) {
      throw new Rejected(ApiError.modelSunsetted(model));
    }
    if (!MODEL.matcher(model).matches()) {
      throw new Rejected(ApiError.modelNotFound(model));
    }
  }

  /** The published model latency of a valid {@code model_id}. */
  static Duration latency(String model) {
    Matcher m = MODEL.matcher(model);
    if (!m.matches()) {
      return REFERENCE;
    }
    return switch (m.group(1)) {
      case "turbo" -> Duration.ofMillis(40);
      case "3.5", "latest" -> Duration.ofMillis(85);
      default -> REFERENCE;
    };
  }

  /**
   * The delay before a generation's first audio: the profile's first-audio delay (calibrated on
   * {@code sonic-3}) shifted by the model's published latency difference; zero when the profile has
   * none.
   */
  static Duration firstAudio(Duration profileFirstAudio, String model) {
    if (profileFirstAudio.isZero()) {
      return Duration.ZERO;
    }
    Duration d = profileFirstAudio.plus(latency(model)).minus(REFERENCE);
    return d.isNegative() ? Duration.ZERO : d;
  }
}
