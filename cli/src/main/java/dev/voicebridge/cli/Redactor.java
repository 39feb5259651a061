package dev.voicebridge.cli;

import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of everything the command line prints and writes. It knows which keys are
 * secret (those the providers declare with {@link ConfigKey#isSecret()}, in every spelling, and
 * keys whose name looks secret) and the secret values it has seen (on the command line, in the
 * resolved configuration). {@link #redact} masks {@code KEY=VALUE} for a secret key whatever the
 * value, and any known secret value wherever it appears.
 */
final class Redactor {
  /** What a secret is shown as. */
  static final String MASK = "****";

  /** Values this short are masked only where they follow their key, never as bare text. */
  private static final int MIN_BARE_VALUE = 4;

  private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Z}]");

  private final Set<String> secretKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> values = ConcurrentHashMap.newKeySet();
  private volatile Pattern keyValue;
  private volatile List<String> bareValues = List.of();

  private Redactor() {}

  /** A redactor that knows the secret keys of the providers on the class path. */
  static Redactor forProviders() {
    Redactor r = new Redactor();
    for (StreamingSynthesizerProvider p : StreamingSynthesizers.discover().providers().values()) {
      for (ConfigKey<?> k : p.configKeys()) {
        if (k.isSecret()) {
          String full = "voicebridge." + p.name() + "." + k.name();
          r.secretKeys.add(k.name());
          r.secretKeys.add(full);
          r.secretKeys.add(VoicebridgeConfig.environmentName(full));
          r.secretKeys.addAll(k.environmentFallbacks());
        }
      }
    }
    r.rebuild();
    return r;
  }

  /** Whether {@code key} (full, relative or environment spelling) names a secret. */
  boolean isSecretKey(String key) {
    String k = key.trim();
    return VoicebridgeConfig.looksSecret(k) || containsIgnoringCase(secretKeys, k);
  }

  private static boolean containsIgnoringCase(Set<String> set, String k) {
    for (String s : set) {
      if (s.equalsIgnoreCase(k)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Learns the secrets given on the command line: every {@code KEY=VALUE} with a secret key, in
   * {@code -D KEY=VALUE}, {@code -DKEY=VALUE}, {@code --set=KEY=VALUE} or a comma-separated list
   * such as {@code --contender a=fish,api-key=VALUE}.
   */
  void learnArguments(String[] args) {
    boolean changed = false;
    for (String arg : args) {
      for (String part : arg.split(",")) {
        String p = part;
        for (String prefix : new String[] {"--set=", "-D"}) {
          if (p.startsWith(prefix)) {
            p = p.substring(prefix.length());
          }
        }
        int eq = p.indexOf('=');
        if (eq > 0 && isSecretKey(p.substring(0, eq))) {
          changed |= secretKeys.add(p.substring(0, eq).trim());
          learnValue(p.substring(eq + 1));
        }
      }
    }
    if (changed) {
      rebuild();
    }
  }

  /** Learns the values of every secret key that {@code config} holds, fallbacks included. */
  void learnConfig(VoicebridgeConfig config) {
    for (StreamingSynthesizerProvider p : StreamingSynthesizers.discover().providers().values()) {
      for (ConfigKey<?> k : p.configKeys()) {
        if (k.isSecret()) {
          config.get("voicebridge." + p.name() + "." + k.name()).ifPresent(this::learnValue);
          k.environmentFallbacks()
              .forEach(v -> config.environmentVariable(v).ifPresent(this::learnValue));
        }
      }
    }
  }

  /** Learns one secret value, as given, trimmed, and without invisible characters. */
  void learnValue(String value) {
    boolean changed = false;
    for (String v : List.of(value, value.trim(), INVISIBLE.matcher(value).replaceAll(""))) {
      if (!v.isEmpty()) {
        changed |= values.add(v);
      }
    }
    if (changed) {
      rebuild();
    }
  }

  private synchronized void rebuild() {
    List<String> keys = new ArrayList<>(secretKeys);
    keys.sort(Comparator.comparingInt(String::length).reversed());
    StringBuilder alternatives = new StringBuilder();
    for (String k : keys) {
      alternatives.append(alternatives.length() == 0 ? "" : "|").append(Pattern.quote(k));
    }
    // KEY=VALUE or KEY: VALUE, the key not part of a longer name (but maybe right after -D),
    // the value up to a separator
    keyValue =
        Pattern.compile(
            "(?:(?<=-D)|(?<![\\w.-]))(" + alternatives + ")(\\s*[=:]\\s*)([^\\s,;'\"\\]\\[}{)(]+)",
            Pattern.CASE_INSENSITIVE);
    List<String> bare = new ArrayList<>();
    for (String v : new TreeSet<>(values)) {
      if (v.length() >= MIN_BARE_VALUE) {
        bare.add(v);
      }
    }
    bare.sort(Comparator.comparingInt(String::length).reversed());
    bareValues = List.copyOf(bare);
  }

  /** {@code text} with every secret masked. */
  String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String out = text;
    for (String v : bareValues) {
      out = out.replace(v, MASK);
    }
    Pattern p = keyValue;
    if (p != null) {
      Matcher m = p.matcher(out);
      out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + r.group(2) + MASK));
    }
    return out;
  }

  /** A writer that passes everything through {@link #redact}, line by line. */
  Writer writer(Writer target) {
    return new RedactingWriter(target, this);
  }

  private static final class RedactingWriter extends Writer {
    private final Writer target;
    private final Redactor redactor;
    private final StringBuilder pending = new StringBuilder();

    RedactingWriter(Writer target, Redactor redactor) {
      this.target = target;
      this.redactor = redactor;
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
      synchronized (lock) {
        pending.append(cbuf, off, len);
        int nl = pending.lastIndexOf("\n");
        if (nl >= 0) {
          target.write(redactor.redact(pending.substring(0, nl + 1)));
          pending.delete(0, nl + 1);
        }
      }
    }

    @Override
    public void flush() throws IOException {
      synchronized (lock) {
        if (pending.length() > 0) {
          target.write(redactor.redact(pending.toString()));
          pending.setLength(0);
        }
        target.flush();
      }
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  @Override
  public String toString() {
    return "Redactor[" + secretKeys.size() + " secret keys, " + values.size() + " values]";
  }
}
