package dev.voicebridge.emulator.smallest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.internal.CatalogVoices;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /waves/v1/{model}/get_voices}: the catalog of a model, every voice in one answer
 * ({@code {"voices":[{"voiceId","displayName","tags":{"language":[...],"accent","gender","age",
 * "usecases","emotions"}}]}}). The model is spelled with hyphens in this path ({@code
 * lightning-v3.1}); the underscore form of the request body is a 404, as the vendor's is. The key
 * is checked before (401). The field names of a voice are inferred from the vendor's SDK.
 */
final class VoicesRoute {
  static final Pattern PATH = Pattern.compile("^/waves/v1/([^/]+)/get_voices/?$");
  static final List<String> MODELS = List.of("lightning-v3.1", "lightning-v3.1-pro");

  private VoicesRoute() {}

  /** The id of a catalog voice: its name in lower case, as Smallest's ids are. */
  static String id(CatalogVoices v) {
    return v.name().toLowerCase(Locale.ROOT);
  }

  /** The answer's status and body for {@code path}, or null when the path is not the catalog's. */
  static Object[] answer(String path) {
    Matcher m = PATH.matcher(path);
    if (!m.matches()) {
      return null;
    }
    String model = m.group(1);
    if (!MODELS.contains(model)) {
      return new Object[] {
        404,
        Wire.httpError(
            "NotFound",
            "Model "
                + model
                + " not found; the catalog path spells the model with hyphens ("
                + String.join(", ", MODELS)
                + ")")
      };
    }
    ObjectNode body = Wire.JSON.createObjectNode();
    ArrayNode voices = body.putArray("voices");
    for (CatalogVoices v : CatalogVoices.ALL) {
      ObjectNode o = voices.addObject();
      o.put("voiceId", id(v));
      o.put("displayName", v.name());
      ObjectNode tags = o.putObject("tags");
      ArrayNode languages = tags.putArray("language");
      v.languages().forEach(l -> languages.add(CatalogVoices.languageName(l)));
      tags.put("accent", v.accent());
      tags.put("gender", v.gender());
      tags.put("age", v.age());
      tags.putArray("usecases").add("conversational");
      tags.putArray("emotions");
    }
    return new Object[] {200, body.toString()};
  }
}
