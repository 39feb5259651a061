package dev.voicebridge.smallest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.voicebridge.ProtocolException;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.kit.http.Catalogs;
import dev.voicebridge.smallest.SmallestOptions;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The Smallest catalog: {@code GET /waves/v1/{model}/get_voices}, the model spelled with hyphens in
 * the path ({@code lightning-v3.1}) while requests name it with underscores. One answer holds every
 * voice of the model (no paging); every filter is applied here. A voice reports word timings when
 * it is among those known to send them on the WebSocket.
 */
final class SmallestCatalog {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SmallestCatalog() {}

  /** The path segment of {@code model}: {@code lightning_v3.1} is {@code lightning-v3.1}. */
  static String pathModel(String model) {
    return model.replace('_', '-');
  }

  static CompletableFuture<VoicePage> fetch(
      NetworkSettings network, String model, VoiceQuery query) {
    HttpRequest request =
        network
            .request("/waves/v1/" + pathModel(model) + "/get_voices")
            .header("Authorization", "Bearer " + network.apiKey().reveal())
            .header("Accept", "application/json")
            .GET()
            .build();
    return Catalogs.get(
            network,
            request,
            (status, headers, body) ->
                SmallestErrors.forHttp(
                    status,
                    new String(body, StandardCharsets.UTF_8),
                    headers.firstValue("retry-after").orElse(null)))
        .thenApply(body -> parse(body, model, query));
  }

  /** Reads a {@code get_voices} answer; anything else is a {@link ProtocolException}. */
  static VoicePage parse(byte[] body, String model, VoiceQuery query) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ProtocolException(SmallestCodec.PROVIDER, "the voice catalog answer is not JSON");
    }
    if (root == null || !root.path("voices").isArray()) {
      throw new ProtocolException(
          SmallestCodec.PROVIDER, "the voice catalog has no 'voices' array");
    }
    List<Voice> voices = new ArrayList<>();
    for (JsonNode v : root.get("voices")) {
      String id = text(v, "voiceId");
      if (id == null || id.isBlank()) {
        throw new ProtocolException(
            SmallestCodec.PROVIDER, "a voice of the catalog has no voiceId");
      }
      JsonNode tags = v.path("tags");
      Voice.Builder b =
          Voice.builder(id, text(v, "displayName"))
              .gender(text(tags, "gender"))
              .age(text(tags, "age"))
              .accent(text(tags, "accent"))
              .models(model)
              .wordTimings(
                  SmallestOptions.WORD_TIMESTAMP_VOICES.contains(id.toLowerCase(Locale.ROOT)));
      JsonNode languages = tags.path("language");
      if (languages.isTextual()) {
        addLanguage(b, languages.asText());
      }
      for (JsonNode l : languages) {
        addLanguage(b, l.asText(null));
      }
      List<String> uses = new ArrayList<>();
      tags.path("usecases").forEach(u -> uses.add(u.asText()));
      b.attribute("usecases", String.join(", ", uses));
      List<String> emotions = new ArrayList<>();
      tags.path("emotions").forEach(u -> emotions.add(u.asText()));
      b.attribute("emotions", String.join(", ", emotions));
      voices.add(b.build());
    }
    return Catalogs.page(query, voices, null);
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
