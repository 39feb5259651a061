package dev.voicebridge.cartesia.internal;

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
 * The Cartesia catalog: {@code GET /voices} with {@code limit} (at most 100), {@code
 * starting_after} (the page token: the cursor the vendor gives in {@code next_page}, or the last id
 * of the page) and {@code q} (the search) passed on; language and model applied to each page. A
 * Cartesia voice speaks one language, works with every Sonic model and gets word timestamps on the
 * WebSocket and SSE.
 */
final class CartesiaCatalog {
  static final int MAX_PAGE_SIZE = 100;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CartesiaCatalog() {}

  static CompletableFuture<VoicePage> fetch(
      NetworkSettings network, String version, VoiceQuery query) {
    Map<String, Object> params = new LinkedHashMap<>();
    query.pageSize().ifPresent(n -> params.put("limit", Math.min(n, MAX_PAGE_SIZE)));
    params.put("starting_after", query.pageToken().orElse(null));
    params.put("q", query.search().orElse(null));
    HttpRequest request =
        network
            .request("/voices" + Catalogs.query(params))
            .header("Authorization", "Bearer " + network.apiKey().reveal())
            .header("Cartesia-Version", version)
            .header("Accept", "application/json")
            .GET()
            .build();
    return Catalogs.get(network, request, CartesiaErrors::forHttp)
        .thenApply(body -> parse(body, query));
  }

  /** Reads a {@code /voices} answer; anything else is a {@link ProtocolException}. */
  static VoicePage parse(byte[] body, VoiceQuery query) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ProtocolException(CartesiaSynthesizer.NAME, "the voice catalog answer is not JSON");
    }
    // versions before 2025 answered a bare array of every voice
    JsonNode data = root != null && root.isArray() ? root : root == null ? null : root.get("data");
    if (data == null || !data.isArray()) {
      throw new ProtocolException(
          CartesiaSynthesizer.NAME, "the voice catalog has no 'data' array");
    }
    List<Voice> voices = new ArrayList<>();
    String lastId = null;
    for (JsonNode v : data) {
      String id = text(v, "id");
      if (id == null || id.isBlank()) {
        throw new ProtocolException(CartesiaSynthesizer.NAME, "a voice of the catalog has no id");
      }
      lastId = id;
      Voice.Builder b =
          Voice.builder(id, text(v, "name"))
              .description(text(v, "description"))
              .gender(gender(text(v, "gender")))
              .wordTimings(true);
      String code = Catalogs.languageCode(text(v, "language"));
      if (code != null) {
        b.languages(code);
      }
      String preview = text(v, "preview_file_url");
      if (preview != null) {
        try {
          b.previewUrl(URI.create(preview));
        } catch (IllegalArgumentException e) {
          // not a URI: left out, as a field the vendor did not give
        }
      }
      b.attribute("is_public", text(v, "is_public"));
      b.attribute("is_owner", text(v, "is_owner"));
      voices.add(b.build());
    }
    String next = null;
    if (root.path("has_more").asBoolean(false)) {
      next = text(root, "next_page");
      if (next == null) {
        next = lastId;
      }
    }
    return Catalogs.page(Catalogs.searchedByServer(query), voices, next);
  }

  /** Cartesia's {@code feminine}/{@code masculine}/{@code gender_neutral} in common words. */
  private static String gender(String g) {
    if (g == null) {
      return null;
    }
    return switch (g) {
      case "feminine" -> "female";
      case "masculine" -> "male";
      case "gender_neutral" -> "neutral";
      default -> g;
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode n = node.path(field);
    return n.isValueNode() && !n.isNull() ? n.asText() : null;
  }
}
