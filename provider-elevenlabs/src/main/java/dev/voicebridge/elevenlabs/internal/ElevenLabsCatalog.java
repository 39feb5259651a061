package dev.voicebridge.elevenlabs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.http.Catalogs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The ElevenLabs catalog: {@code GET /v2/voices} with {@code page_size} (at most 100), {@code
 * next_page_token} and {@code search} passed on; the language and model filters applied to each
 * page. Every ElevenLabs voice reports word timings (on the transports that carry them).
 */
final class ElevenLabsCatalog {
  /** The vendor's largest page. */
  static final int MAX_PAGE_SIZE = 100;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ElevenLabsCatalog() {}

  static CompletableFuture<VoicePage> fetch(NetworkSettings network, VoiceQuery query) {
    Map<String, Object> params = new LinkedHashMap<>();
    query.pageSize().ifPresent(n -> params.put("page_size", Math.min(n, MAX_PAGE_SIZE)));
    params.put("next_page_token", query.pageToken().orElse(null));
    params.put("search", query.search().orElse(null));
    HttpRequest request =
        network
            .request("/v2/voices" + Catalogs.query(params))
            .header("xi-api-key", network.apiKey().reveal())
            .header("Accept", "application/json")
            .GET()
            .build();
    return Catalogs.get(
            network,
            request,
            (status, headers, body) ->
                ElevenLabsErrors.fromHttp(
                    status, headers, new String(body, StandardCharsets.UTF_8)))
        .thenApply(body -> parse(body, query));
  }

  /** Reads a {@code /v2/voices} answer; anything else is a {@link ProtocolException}. */
  static VoicePage parse(byte[] body, VoiceQuery query) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ProtocolException(
          ElevenLabsSynthesizer.NAME, "the voice catalog answer is not JSON");
    }
    if (root == null || !root.path("voices").isArray()) {
      throw new ProtocolException(
          ElevenLabsSynthesizer.NAME, "the voice catalog has no 'voices' array");
    }
    List<Voice> voices = new ArrayList<>();
    for (JsonNode v : root.get("voices")) {
      String id = v.path("voice_id").asText("");
      if (id.isBlank()) {
        throw new ProtocolException(
            ElevenLabsSynthesizer.NAME, "a voice of the catalog has no voice_id");
      }
      JsonNode labels = v.path("labels");
      Voice.Builder b =
          Voice.builder(id, v.path("name").asText(null))
              .gender(text(labels, "gender"))
              .age(text(labels, "age"))
              .accent(text(labels, "accent"))
              .description(text(v, "description"))
              .wordTimings(true);
      for (JsonNode l : v.path("verified_languages")) {
        addLanguage(b, text(l, "language"));
      }
      addLanguage(b, text(labels, "language"));
      for (JsonNode m : v.path("high_quality_base_model_ids")) {
        b.models(m.asText(""));
      }
      String preview = text(v, "preview_url");
      if (preview != null) {
        try {
          b.previewUrl(URI.create(preview));
        } catch (IllegalArgumentException e) {
          // a preview that is not a URI is left out, as a field the vendor did not give
        }
      }
      b.attribute("category", text(v, "category"));
      b.attribute("use_case", text(labels, "use_case"));
      b.attribute("descriptive", text(labels, "descriptive"));
      voices.add(b.build());
    }
    String next = root.path("has_more").asBoolean(false) ? text(root, "next_page_token") : null;
    return Catalogs.page(Catalogs.searchedByServer(query), voices, next);
  }

  private static void addLanguage(Voice.Builder b, String language) {
    String code = Catalogs.languageCode(language);
    if (code != null) {
      b.languages(code);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode n = node.path(field);
    return n.isValueNode() && !n.isNull() ? n.asText() : null;
  }
}
