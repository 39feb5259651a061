package dev.voicebridge.emulator.fish;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.emulator.internal.CatalogVoices;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /model}: Fish's voice models in the vendor's shape ({@code total}, {@code items} with
 * {@code _id}, {@code title}, {@code languages}, {@code tags}, {@code samples}, {@code author}...),
 * paged by {@code page_size} (default 10) and {@code page_number} (from 1), filtered by {@code
 * title} (contains, ignoring case) and {@code language}. The key is checked as on {@code /v1/tts}
 * (401 {@code {status, message}}); a page size or number out of range is a 422 with the validation
 * array. The largest page size (100) is inferred.
 */
final class FishModels {
  static final String PATH = "/model";
  static final int DEFAULT_PAGE_SIZE = 10;
  static final int MAX_PAGE_SIZE = 100;

  private FishModels() {}

  /** The id of a catalog voice: 32 hex digits, as Fish's model ids are. */
  static String id(CatalogVoices v) {
    return v.hex("fish");
  }

  static void answer(FishEmulator emulator, Request rq, Response rs, Callback cb) throws Exception {
    Object[] auth = emulator.authProblem(rq.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (auth != null) {
      json(rs, cb, (Integer) auth[0], FishEmulator.errorBody((Integer) auth[0], (String) auth[1]));
      return;
    }
    Fields q = Request.extractQueryParameters(rq);
    ArrayNode problems = FishEmulator.JSON.createArrayNode();
    int size =
        number(q.getValue("page_size"), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, "page_size", problems);
    int page = number(q.getValue("page_number"), 1, Integer.MAX_VALUE, "page_number", problems);
    if (!problems.isEmpty()) {
      json(rs, cb, 422, FishEmulator.JSON.writeValueAsBytes(problems));
      return;
    }
    String title = q.getValue("title");
    String language = q.getValue("language");
    List<CatalogVoices> found = new ArrayList<>();
    for (CatalogVoices v : CatalogVoices.ALL) {
      boolean t =
          title == null
              || v.name().toLowerCase(Locale.ROOT).contains(title.toLowerCase(Locale.ROOT));
      boolean l = language == null || v.languages().contains(language.toLowerCase(Locale.ROOT));
      if (t && l) {
        found.add(v);
      }
    }
    ObjectNode body = FishEmulator.JSON.createObjectNode();
    body.put("total", found.size());
    ArrayNode items = body.putArray("items");
    long from = (long) (page - 1) * size;
    for (long i = from; i < Math.min(found.size(), from + size); i++) {
      items.add(item(emulator, found.get((int) i)));
    }
    json(rs, cb, 200, FishEmulator.JSON.writeValueAsBytes(body));
  }

  private static int number(String text, int dflt, int max, String name, ArrayNode problems) {
    if (text == null) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      problem(problems, "int_parsing", name, "Input should be a valid integer", text);
      return dflt;
    }
    if (n < 1) {
      problem(
          problems, "greater_than_equal", name, "Input should be greater than or equal to 1", text);
    } else if (n > max) {
      problem(
          problems, "less_than_equal", name, "Input should be less than or equal to " + max, text);
    }
    return n;
  }

  private static void problem(ArrayNode problems, String type, String name, String msg, String in) {
    ObjectNode p = problems.addObject();
    p.put("type", type);
    p.putArray("loc").add("query").add(name);
    p.put("msg", msg);
    p.put("input", in);
  }

  private static ObjectNode item(FishEmulator emulator, CatalogVoices v) {
    String id = id(v);
    ObjectNode o = FishEmulator.JSON.createObjectNode();
    o.put("_id", id);
    o.put("type", "tts");
    o.put("title", v.name());
    o.put("description", v.description());
    o.put("cover_image", "coverimage/" + id);
    o.put("train_mode", "fast");
    o.put("state", "trained");
    ArrayNode tags = o.putArray("tags");
    tags.add(v.gender()).add(v.age()).add(v.accent());
    ArrayNode samples = o.putArray("samples");
    ObjectNode s = samples.addObject();
    s.put("title", "Default Sample");
    s.put("text", "Hello, I am " + v.name() + ".");
    s.put("task_id", id.substring(0, 16));
    s.put("audio", emulator.baseUrl().resolve("/samples/" + id + ".mp3").toString());
    ArrayNode languages = o.putArray("languages");
    v.languages().forEach(languages::add);
    o.put("visibility", "public");
    o.put("lock_visibility", false);
    o.put("like_count", 0);
    o.put("mark_count", 0);
    o.put("shared_count", 0);
    o.put("task_count", 0);
    o.put("liked", false);
    o.put("marked", false);
    ObjectNode author = o.putObject("author");
    author.put("_id", "emulator");
    author.put("nickname", "Voicebridge emulator");
    author.put("avatar", "");
    o.put("created_at", "2026-01-01T00:00:00Z");
    o.put("updated_at", "2026-01-01T00:00:00Z");
    return o;
  }

  private static void json(Response rs, Callback cb, int status, byte[] body) {
    rs.setStatus(status);
    rs.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    rs.write(true, ByteBuffer.wrap(body), cb);
  }
}
