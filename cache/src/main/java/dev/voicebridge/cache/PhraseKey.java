package dev.voicebridge.cache;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.SynthesisOption;
import dev.voicebridge.SynthesisOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * What identifies a phrase: provider, scope (when the synthesizer has one), format, voice, model,
 * speed, language, every vendor option (sorted by name) and the text, in one canonical string. Two
 * sessions share audio only when all of these are equal.
 */
final class PhraseKey {
  private PhraseKey() {}

  static String of(
      String provider, String scope, AudioFormat format, SynthesisOptions options, String text) {
    StringBuilder sb = new StringBuilder(text.length() + 128);
    sb.append("voicebridge-phrase/1\n");
    line(sb, "provider", provider);
    line(sb, "scope", scope); // none: the line is left out, so unscoped keys are unchanged
    line(sb, "format", format.toString());
    line(sb, "voice", options.voice().orElse(null));
    line(sb, "model", options.model().orElse(null));
    line(sb, "speed", options.speed().map(String::valueOf).orElse(null));
    line(sb, "language", options.language().orElse(null));
    Map<String, String> vendor = new TreeMap<>();
    for (Map.Entry<SynthesisOption<?>, Object> e : options.vendorOptions().entrySet()) {
      vendor.put(e.getKey().toString(), String.valueOf(e.getValue()));
    }
    vendor.forEach((k, v) -> line(sb, "option " + k, v));
    sb.append("text=").append(text);
    return sb.toString();
  }

  private static void line(StringBuilder sb, String name, String value) {
    if (value != null) {
      // a line break in a value is escaped, so a value cannot forge another field
      sb.append(name).append('=').append(value.replace("\\", "\\\\").replace("\n", "\\n"));
      sb.append('\n');
    }
  }

  /** The key's SHA-256 in hex: the name of its file on disk. */
  static String digest(String key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
