package dev.voicebridge.emulator.deepgram;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.internal.CatalogVoices;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * {@code GET /v1/models}: Deepgram's model list, {@code {"stt":[...],"tts":[...]}}, each TTS model
 * (a voice) with {@code name}, {@code canonical_name} (what {@code model} takes: {@code
 * aura-2-ava-en}), {@code architecture}, {@code languages}, {@code version}, {@code uuid} and
 * {@code metadata} ({@code accent}, {@code age}, {@code color}, {@code image}, {@code sample},
 * {@code tags}, {@code use_cases}). No paging. The key is checked as on {@code /v1/speak}.
 */
final class ModelsRoute {
  static final String PATH = "/v1/models";

  private ModelsRoute() {}

  /** The model name of a catalog voice: {@code aura-2-<name>-<language>}. */
  static String canonicalName(CatalogVoices v) {
    return "aura-2-" + v.name().toLowerCase(Locale.ROOT) + "-" + v.language();
  }

  static byte[] body(URI base) {
    ObjectNode root = Wire.JSON.createObjectNode();
    ArrayNode stt = root.putArray("stt");
    ObjectNode nova = stt.addObject();
    nova.put("name", "nova-3");
    nova.put("canonical_name", "nova-3");
    nova.put("architecture", "nova-3");
    nova.putArray("languages").add("en");
    nova.put("version", "2025-01-01.0");
    nova.put("uuid", "00000000-0000-0000-0000-000000000003");
    nova.put("batch", true);
    nova.put("streaming", true);
    ArrayNode tts = root.putArray("tts");
    for (CatalogVoices v : CatalogVoices.ALL) {
      ObjectNode m = tts.addObject();
      String canonical = canonicalName(v);
      m.put("name", v.name().toLowerCase(Locale.ROOT));
      m.put("canonical_name", canonical);
      m.put("architecture", "aura-2");
      ArrayNode languages = m.putArray("languages");
      languages.add(v.language()).add(v.locale());
      v.languages().stream().skip(1).forEach(languages::add);
      m.put("version", "2025-04-07.0");
      m.put("uuid", v.uuid("deepgram").toString());
      ObjectNode meta = m.putObject("metadata");
      meta.put("accent", v.accent());
      meta.put("age", v.age());
      meta.put("color", "#5CB3FF");
      meta.put("image", base.resolve("/images/" + canonical + ".png").toString());
      meta.put("sample", base.resolve("/samples/" + canonical + ".wav").toString());
      meta.putArray("tags").add(v.gender().equals("female") ? "feminine" : "masculine");
      meta.putArray("use_cases").add("customer service").add("casual chat");
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
