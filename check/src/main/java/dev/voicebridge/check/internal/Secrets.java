package dev.voicebridge.check.internal;

import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.Redactor;
import dev.voicebridge.spi.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secret keys of a provider as a check needs them: their values (to redact everything the check
 * reports), and a deliberately altered copy of each (for the wrong-key rule). The values never
 * leave this class except into the altered configuration and the redactor.
 */
public final class Secrets {
  private final boolean declared;
  private final Map<String, String> altered;
  private final Redactor redactor;

  private Secrets(boolean declared, Map<String, String> altered, Redactor redactor) {
    this.declared = declared;
    this.altered = altered;
    this.redactor = redactor;
  }

  /**
   * The secrets of provider {@code provider} with keys {@code keys}, as {@code config} sets them
   * (the property, else the key's environment fallbacks).
   */
  public static Secrets of(String provider, List<ConfigKey<?>> keys, VoicebridgeConfig config) {
    boolean declared = false;
    Map<String, String> altered = new LinkedHashMap<>();
    List<Secret> values = new ArrayList<>();
    for (ConfigKey<?> k : keys) {
      if (!k.isSecret()) {
        continue;
      }
      declared = true;
      String full = "voicebridge." + provider + "." + k.name();
      Optional<String> v = config.get(full);
      for (String env : k.environmentFallbacks()) {
        if (v.isPresent()) {
          break;
        }
        v = config.environmentVariable(env);
      }
      if (v.isPresent()) {
        String wrong = alter(v.get());
        altered.put(full, wrong);
        values.add(Secret.of(v.get()));
        values.add(Secret.of(wrong));
      }
    }
    return new Secrets(declared, Map.copyOf(altered), Redactor.of(values));
  }

  /** Whether the provider declares a secret key at all. */
  public boolean declared() {
    return declared;
  }

  /** Whether a value is configured for a secret key. */
  public boolean configured() {
    return !altered.isEmpty();
  }

  /** Configuration overrides that replace every configured secret with its altered copy. */
  public Map<String, String> alteredOverrides() {
    return altered;
  }

  /** Masks every secret and every altered copy (and their encodings and cut-off prefixes). */
  public Redactor redactor() {
    return redactor;
  }

  /**
   * A copy of {@code key} with its last four characters (all of a shorter key) changed: a digit by
   * five, a letter by thirteen in its case, anything else to {@code x}. Visible ASCII stays visible
   * ASCII, so the configuration still accepts it; the start of the key, which some vendors use to
   * find the account, is kept, so the vendor must check the rest.
   */
  static String alter(String key) {
    char[] c = key.toCharArray();
    for (int i = c.length - 1; i >= 0 && i >= c.length - 4; i--) {
      char ch = c[i];
      if (ch >= '0' && ch <= '9') {
        c[i] = (char) ('0' + (ch - '0' + 5) % 10);
      } else if (ch >= 'a' && ch <= 'z') {
        c[i] = (char) ('a' + (ch - 'a' + 13) % 26);
      } else if (ch >= 'A' && ch <= 'Z') {
        c[i] = (char) ('A' + (ch - 'A' + 13) % 26);
      } else {
        c[i] = 'x';
      }
    }
    return new String(c);
  }
}
