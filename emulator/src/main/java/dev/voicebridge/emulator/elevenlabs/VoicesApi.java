package dev.voicebridge.emulator.elevenlabs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.internal.CatalogVoices;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /v2/voices}: the voice catalog in ElevenLabs' shape ({@code voices}, {@code has_more},
 * {@code total_count}, {@code next_page_token}), paged by {@code page_size} (1 to 100, default 10)
 * and an opaque {@code next_page_token}, filtered by {@code search} (name, ignoring case). A
 * missing or wrong {@code xi-api-key} is a 401 as on the text-to-speech endpoints; a page size out
 * of range a 422 validation error; a token this emulator did not issue a 400 (inferred).
 */
final class VoicesApi {
  static final String PATH = "/v2/voices";
  static final int DEFAULT_PAGE_SIZE = 10;
  static final int MAX_PAGE_SIZE = 100;
  static final List<String> MODELS =
      List.of("eleven_flash_v2_5", "eleven_turbo_v2_5", "eleven_multilingual_v2", "eleven_v3");

  private VoicesApi() {}

  /** The id of a catalog voice: 20 characters, as ElevenLabs' ids are. */
  static String id(CatalogVoices v) {
    return v.hex("elevenlabs").substring(0, 20);
  }

  static void answer(ElevenLabsEmulator emu, Request rq, Response rs, Callback cb) {
    String key = rq.getHeaders().get("xi-api-key");
    if (key == null) {
      HttpApi.respond(
          rs,
          cb,
          401,
          Json.detail(
              "needs_authorization",
              "Neither authorization header nor xi-api-key received, please provide one."),
          null);
      return;
    }
    if (!key.equals(emu.config.apiKey())) {
      HttpApi.respond(rs, cb, 401, Json.detail("invalid_api_key", "Invalid API key"), null);
      return;
    }
    Fields q = Request.extractQueryParameters(rq);
    int size = DEFAULT_PAGE_SIZE;
    String sizeText = q.getValue("page_size");
    if (sizeText != null) {
      try {
        size = Integer.parseInt(sizeText);
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 1 || size > MAX_PAGE_SIZE) {
        HttpApi.respond(
            rs,
            cb,
            422,
            Json.validationBody(
                List.of(
                    Json.validation(
                        size == -1 ? "int_parsing" : "less_than_equal",
                        List.of("query", "page_size"),
                        size == -1
                            ? "Input should be a valid integer, unable to parse string as an"
                                + " integer"
                            : "Input should be less than or equal to 100",
                        Json.MAPPER.getNodeFactory().textNode(sizeText)))),
            null);
        return;
      }
    }
    String search = q.getValue("search");
    List<CatalogVoices> found = new ArrayList<>();
    for (CatalogVoices v : CatalogVoices.ALL) {
      if (search == null
          || v.name().toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT))) {
        found.add(v);
      }
    }
    int from = 0;
    String token = q.getValue("next_page_token");
    if (token != null && !token.isEmpty()) {
      from = offset(token);
      if (from < 0 || from > found.size()) {
        HttpApi.respond(
            rs,
            cb,
            400,
            Json.detail("invalid_page_token", "The next_page_token is not valid."),
            null);
        return;
      }
    }
    int to = Math.min(found.size(), from + size);
    ObjectNode body = Json.MAPPER.createObjectNode();
    ArrayNode voices = body.putArray("voices");
    for (CatalogVoices v : found.subList(from, to)) {
      voices.add(voice(emu, v));
    }
    body.put("has_more", to < found.size());
    body.put("total_count", found.size());
    if (to < found.size()) {
      body.put("next_page_token", token(to));
    } else {
      body.putNull("next_page_token");
    }
    HttpApi.respond(rs, cb, 200, Json.bytes(body), null);
  }

  private static ObjectNode voice(ElevenLabsEmulator emu, CatalogVoices v) {
    String id = id(v);
    String preview = emu.baseUrl().resolve("/previews/" + id + ".mp3").toString();
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("voice_id", id);
    o.put("name", v.name());
    o.put("category", "premade");
    ObjectNode labels = o.putObject("labels");
    labels.put("accent", v.accent());
    labels.put("descriptive", v.description().toLowerCase(Locale.ROOT));
    labels.put("age", v.age());
    labels.put("gender", v.gender());
    labels.put("language", v.language());
    labels.put("use_case", "conversational");
    o.put("description", v.description());
    o.put("preview_url", preview);
    ArrayNode models = o.putArray("high_quality_base_model_ids");
    MODELS.forEach(models::add);
    ArrayNode verified = o.putArray("verified_languages");
    for (String l : v.languages()) {
      ObjectNode vl = verified.addObject();
      vl.put("language", l);
      vl.put("model_id", "eleven_multilingual_v2");
      vl.put("accent", v.accent());
      vl.put("locale", l.equals(v.language()) ? v.locale() : l);
      vl.put("preview_url", preview);
    }
    o.putObject("fine_tuning").put("is_allowed_to_fine_tune", false);
    o.putArray("available_for_tiers");
    o.putNull("sharing");
    o.put("is_owner", false);
    return o;
  }

  private static String token(int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int offset(String token) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      return s.startsWith("offset:") ? Integer.parseInt(s.substring(7)) : -1;
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }
}
