package dev.voicebridge.emulator.cartesia;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.internal.CatalogVoices;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /voices}: Cartesia's voice list in the vendor's cursor shape ({@code data}, {@code
 * has_more}, {@code next_page}), paged by {@code limit} (1 to 100, default 10) and {@code
 * starting_after} (the id of the last voice of the page before), searched by {@code q} (name,
 * description or id, ignoring case). Each voice has {@code id}, {@code name}, {@code description},
 * {@code language} (one code), {@code gender} ({@code feminine}/{@code masculine}), {@code
 * is_public}, {@code is_owner}, {@code created_at} and {@code preview_file_url}. The credential and
 * {@code Cartesia-Version} are checked as on the TTS endpoints; a bad limit or an unknown cursor is
 * a 400 {@code invalid_request}.
 */
final class VoicesList {
  static final String PATH = "/voices";
  static final int DEFAULT_LIMIT = 10;
  static final int MAX_LIMIT = 100;

  private VoicesList() {}

  /** The answer: an {@link ApiError} or the JSON body. */
  static Object answer(CartesiaEmulator emu, Request rq) {
    ApiError auth = emu.authError(Credentials.of(rq, null), true);
    if (auth != null) {
      return auth;
    }
    Fields q = Request.extractQueryParameters(rq);
    int limit = DEFAULT_LIMIT;
    String l = q.getValue("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        return ApiError.invalid("limit must be an integer from 1 to " + MAX_LIMIT);
      }
    }
    String search = q.getValue("q");
    List<CatalogVoices> found = new ArrayList<>();
    for (CatalogVoices v : CatalogVoices.ALL) {
      if (search == null || matches(v, search.toLowerCase(Locale.ROOT))) {
        found.add(v);
      }
    }
    int from = 0;
    String after = q.getValue("starting_after");
    if (after != null && !after.isEmpty()) {
      from = -1;
      for (int i = 0; i < found.size(); i++) {
        if (id(found.get(i)).equals(after)) {
          from = i + 1;
        }
      }
      if (from < 0) {
        return ApiError.invalid("starting_after: no voice with id " + after);
      }
    }
    int to = Math.min(found.size(), from + limit);
    ObjectNode body = Json.object();
    ArrayNode data = body.putArray("data");
    for (CatalogVoices v : found.subList(from, to)) {
      data.add(voice(emu, v));
    }
    body.put("has_more", to < found.size());
    if (to < found.size()) {
      body.put("next_page", id(found.get(to - 1)));
    } else {
      body.putNull("next_page");
    }
    return Json.write(body);
  }

  /** The id of a catalog voice: a UUID, as Cartesia's are. */
  static String id(CatalogVoices v) {
    return v.uuid("cartesia").toString();
  }

  private static boolean matches(CatalogVoices v, String s) {
    return v.name().toLowerCase(Locale.ROOT).contains(s)
        || v.description().toLowerCase(Locale.ROOT).contains(s)
        || id(v).contains(s);
  }

  private static ObjectNode voice(CartesiaEmulator emu, CatalogVoices v) {
    ObjectNode o = Json.object();
    o.put("id", id(v));
    o.put("is_owner", false);
    o.put("is_public", true);
    o.put("name", v.name());
    o.put("description", v.description());
    o.put("created_at", "2026-01-01T00:00:00Z");
    o.put("language", v.language());
    o.put("gender", v.gender().equals("female") ? "feminine" : "masculine");
    o.put("preview_file_url", emu.baseUrl().resolve("/previews/" + id(v) + ".wav").toString());
    return o;
  }
}
