package dev.voicebridge.fish.internal;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Fish catalog: {@code GET /model} (voice models, what {@code reference_id} names), paged by
 * {@code page_size} and {@code page_number} (the page token is the next page's number), with {@code
 * title} (the search) and {@code language} passed on. Fish reports no word timings, and a voice
 * model works with every TTS model, so {@link Voice#models()} is empty.
 */
final class FishCatalog {
  /** The vendor's default page size. */
  static final int DEFAULT_PAGE_SIZE = 10;

  /** The largest page asked for (Fish documents no cap; 100 keeps answers small). */
  static final int MAX_PAGE_SIZE = 100;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FishCatalog() {}

  /**
   * Fetches a page.
   *
   * @throws IllegalArgumentException for a page token this catalog did not give
   */
  static CompletableFuture<VoicePage> fetch(NetworkSettings network, VoiceQuery query) {
    int size = Math.min(query.pageSize().orElse(DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
    int page = pageNumber(query.pageToken().orElse(null));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("page_size", size);
    params.put("page_number", page);
    params.put("title", query.search().orElse(null));
    params.put("language", query.language().map(FishCatalog::primary).orElse(null));
    HttpRequest request =
        network
            .request("/model" + Catalogs.query(params))
            .header("Authorization", "Bearer " + network.apiKey().reveal())
            .header("Accept", "application/json")
            .GET()
            .build();
    return Catalogs.get(
            network,
            request,
            (status, headers, body) -> FishErrors.forStatus(status, headers, body, "voice catalog"))
        .thenApply(body -> parse(body, query, page, size));
  }

  private static String primary(String language) {
    int cut = language.indexOf('-') > 0 ? language.indexOf('-') : language.indexOf('_');
    return (cut > 0 ? language.substring(0, cut) : language).toLowerCase(java.util.Locale.ROOT);
  }

  static int pageNumber(String token) {
    if (token == null) {
      return 1;
    }
    try {
      int n = Integer.parseInt(token);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("not a page token of the Fish catalog: '" + token + "'");
  }

  /** Reads a {@code /model} answer; anything else is a {@link ProtocolException}. */
  static VoicePage parse(byte[] body, VoiceQuery query, int page, int size) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ProtocolException(FishCodec.PROVIDER, "the voice catalog answer is not JSON");
    }
    if (root == null || !root.path("items").isArray()) {
      throw new ProtocolException(FishCodec.PROVIDER, "the voice catalog has no 'items' array");
    }
    List<Voice> voices = new ArrayList<>();
    for (JsonNode m : root.get("items")) {
      String id = text(m, "_id");
      if (id == null || id.isBlank()) {
        throw new ProtocolException(FishCodec.PROVIDER, "a model of the catalog has no _id");
      }
      Voice.Builder b =
          Voice.builder(id, text(m, "title"))
              .description(text(m, "description"))
              .wordTimings(false);
      for (JsonNode l : m.path("languages")) {
        String code = Catalogs.languageCode(l.asText(null));
        if (code != null) {
          b.languages(code);
        }
      }
      String audio = text(m.path("samples").path(0), "audio");
      if (audio != null) {
        try {
          b.previewUrl(URI.create(audio));
        } catch (IllegalArgumentException e) {
          // not a URI: left out, as a field the vendor did not give
        }
      }
      List<String> tags = new ArrayList<>();
      m.path("tags").forEach(t -> tags.add(t.asText()));
      b.attribute("tags", String.join(", ", tags));
      b.attribute("author", text(m.path("author"), "nickname"));
      b.attribute("visibility", text(m, "visibility"));
      voices.add(b.build());
    }
    long total = root.path("total").asLong(0);
    String next = (long) page * size < total ? String.valueOf(page + 1) : null;
    return Catalogs.page(Catalogs.searchedByServer(query), voices, next);
  }

  private static String text(JsonNode node, String field) {
    JsonNode n = node.path(field);
    return n.isValueNode() && !n.isNull() ? n.asText() : null;
  }
}
