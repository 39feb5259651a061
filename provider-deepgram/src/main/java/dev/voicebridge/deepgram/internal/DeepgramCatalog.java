package dev.voicebridge.deepgram.internal;

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
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Deepgram catalog: the {@code tts} models of {@code GET /v1/models}. A Deepgram voice is a
 * model: its id is the {@code canonical_name} ({@code aura-2-thalia-en}), which {@code voice} or
 * {@code model} take; {@link Voice#models()} holds its architecture ({@code aura-2}). One answer
 * holds every model (no paging); every filter is applied here. Deepgram sends no word timings.
 */
final class DeepgramCatalog {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private DeepgramCatalog() {}

  static CompletableFuture<VoicePage> fetch(NetworkSettings network, VoiceQuery query) {
    HttpRequest request =
        network
            .request("/v1/models")
            .header("Authorization", "Token " + network.apiKey().reveal())
            .header("Accept", "application/json")
            .GET()
            .build();
    return Catalogs.get(
            network,
            request,
            (status, headers, body) -> DeepgramErrors.forStatus(status, headers, body, "models"))
        .thenApply(body -> parse(body, query));
  }

  /** Reads a {@code /v1/models} answer; anything else is a {@link ProtocolException}. */
  static VoicePage parse(byte[] body, VoiceQuery query) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ProtocolException(DeepgramCodec.PROVIDER, "the model list answer is not JSON");
    }
    if (root == null || !root.path("tts").isArray()) {
      throw new ProtocolException(DeepgramCodec.PROVIDER, "the model list has no 'tts' array");
    }
    List<Voice> voices = new ArrayList<>();
    for (JsonNode m : root.get("tts")) {
      String id = text(m, "canonical_name");
      if (id == null || id.isBlank()) {
        throw new ProtocolException(
            DeepgramCodec.PROVIDER, "a model of the list has no canonical_name");
      }
      JsonNode meta = m.path("metadata");
      String name = text(m, "name");
      Voice.Builder b =
          Voice.builder(id, name == null ? null : capitalized(name))
              .accent(text(meta, "accent"))
              .age(text(meta, "age"))
              .models(text(m, "architecture"))
              .wordTimings(false);
      for (JsonNode l : m.path("languages")) {
        String code = Catalogs.languageCode(l.asText(null));
        if (code != null) {
          b.languages(code);
        }
      }
      List<String> tags = new ArrayList<>();
      meta.path("tags").forEach(t -> tags.add(t.asText()));
      if (tags.contains("feminine")) {
        b.gender("female");
      } else if (tags.contains("masculine")) {
        b.gender("male");
      }
      String sample = text(meta, "sample");
      if (sample != null) {
        try {
          b.previewUrl(URI.create(sample));
        } catch (IllegalArgumentException e) {
          // not a URI: left out, as a field the vendor did not give
        }
      }
      b.attribute("tags", String.join(", ", tags));
      List<String> uses = new ArrayList<>();
      meta.path("use_cases").forEach(t -> uses.add(t.asText()));
      b.attribute("use_cases", String.join(", ", uses));
      b.attribute("version", text(m, "version"));
      voices.add(b.build());
    }
    return Catalogs.page(query, voices, null);
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String text(JsonNode node, String field) {
    JsonNode n = node.path(field);
    return n.isValueNode() && !n.isNull() ? n.asText() : null;
  }
}
