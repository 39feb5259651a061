package dev.voicebridge.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.ConfigurationException;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeException;
import dev.voicebridge.spi.ConfigKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rule [SEC4]: hostile voice and model values never change what a request looks like on the wire.
 * The provider is pointed at a {@link LoopbackStub} that records every request head and refuses it;
 * a session with the fixture's options gives the baseline head, and each hostile value, given as an
 * option or in the provider's {@code voice} / {@code model} configuration key, must either be
 * refused before any request (without quoting a line break of it or the key) or give heads with the
 * baseline's path segments (one may differ only by holding the whole value, encoded), no dot
 * segment and no encoded slash, the baseline's query parameter names, no header the baseline did
 * not have, and no part of the value cut off at one of its special characters.
 */
final class HostileRequests {
  /** The values tried: path separators, dot segments, query and fragment marks, line breaks. */
  static final List<String> VALUES =
      List.of(
          "../../admin",
          "a/b",
          "v?x=1#frag",
          "m&voice_id=evil",
          "%2e%2e%2f",
          "a\r\nX-Injected: yes",
          "s1\tx");

  private static final String SPECIALS = "/?#&\r\n%";

  private final StreamingSynthesizerContract suite;
  private final String key;
  private final List<String> failures = new ArrayList<>();

  private HostileRequests(StreamingSynthesizerContract suite) {
    this.suite = suite;
    this.key = suite.fixture().apiKey().orElse(null);
  }

  static void check(StreamingSynthesizerContract suite) throws Exception {
    new HostileRequests(suite).run();
  }

  private void run() throws Exception {
    try (LoopbackStub stub =
        new LoopbackStub(
            "hostile",
            (head, out, st) ->
                LoopbackStub.respond(
                    out,
                    404,
                    "",
                    "{\"message\":\"no such route\",\"detail\":\"no such route\"}"))) {
      String baseline;
      try (StreamingSynthesizer s = suite.pointedAt(stub)) {
        suite.runOn(s, "Where does this go?");
      }
      List<String> heads = stub.heads();
      assertThat(heads).as("the fixture's options reach the server").isNotEmpty();
      baseline = heads.get(0);
      Set<String> configNames = new HashSet<>();
      ConformanceFixture.Reconfigure r = suite.reconfigure();
      for (ConfigKey<?> k : r.provider().configKeys()) {
        configNames.add(k.name());
      }
      for (String field : List.of("voice", "model")) {
        for (String v : VALUES) {
          SynthesisOptions.Builder b = suite.options().toBuilder();
          if (field.equals("voice")) {
            b.voice(v);
          } else {
            b.model(v);
          }
          tryOption(stub, baseline, field, v, b.build());
          boolean optionSetsIt =
              field.equals("voice")
                  ? suite.options().voice().isPresent()
                  : suite.options().model().isPresent();
          if (configNames.contains(field) && !optionSetsIt) {
            tryConfig(stub, baseline, field, v);
          }
        }
      }
    }
    assertThat(failures).as("hostile values that reached the request line or headers").isEmpty();
  }

  private void tryOption(
      LoopbackStub stub, String baseline, String field, String v, SynthesisOptions o)
      throws Exception {
    String what = "option " + field + "=" + printable(v);
    int before = stub.heads().size();
    try (StreamingSynthesizer s = suite.pointedAt(stub)) {
      RecordingSubscriber rec;
      try {
        rec = suite.runOn(s, o, "Where does this go?");
      } catch (VoicebridgeException refused) {
        checkRefusal(what, refused);
        if (stub.heads().size() != before) {
          failures.add(what + ": refused, but after a request reached the server");
        }
        return;
      }
      if (rec.error() != null) {
        checkRefusal(what, rec.error());
      }
    }
    checkHeads(what, baseline, stub.heads().subList(before, stub.heads().size()), v);
  }

  private void tryConfig(LoopbackStub stub, String baseline, String field, String v)
      throws Exception {
    String what = "configuration " + field + "=" + printable(v);
    int before = stub.heads().size();
    StreamingSynthesizer s;
    try {
      s =
          suite.reconfigured(
              Map.of(
                  suite.configKey("base-url"),
                  stub.baseUrl().toString(),
                  suite.configKey(field),
                  v));
    } catch (RuntimeException refused) {
      if (!(refused instanceof ConfigurationException)) {
        failures.add(what + ": refused with " + refused.getClass().getName());
      } else if (!refused.getMessage().contains(suite.configKey(field))) {
        failures.add(what + ": the refusal does not name " + suite.configKey(field));
      }
      checkRefusal(what, refused);
      return;
    }
    try (s) {
      RecordingSubscriber rec;
      try {
        rec = suite.runOn(s, "Where does this go?");
      } catch (VoicebridgeException refused) {
        checkRefusal(what, refused);
        return;
      }
      if (rec.error() != null) {
        checkRefusal(what, rec.error());
      }
    }
    checkHeads(what, baseline, stub.heads().subList(before, stub.heads().size()), v);
  }

  /** A refusal quotes neither the key nor a line break of the value (log injection). */
  private void checkRefusal(String what, Throwable t) {
    String trace = OutputCapture.stackTrace(t);
    if (key != null && trace.contains(key)) {
      failures.add(what + ": the refusal shows the API key");
    }
    if (trace.contains("\nX-Injected")) {
      failures.add(what + ": the refusal quotes the value's line break");
    }
  }

  private void checkHeads(String what, String baseline, List<String> heads, String v) {
    List<String> basePath = segments(baseline);
    Set<String> baseQuery = new HashSet<>(queryNames(baseline));
    Set<String> baseHeaders = new HashSet<>(LoopbackStub.headerNames(baseline));
    for (String head : heads) {
      List<String> path = segments(head);
      if (path.size() != basePath.size()) {
        failures.add(what + ": path " + rawPath(head) + " instead of " + rawPath(baseline));
      }
      for (int i = 0; i < path.size(); i++) {
        String seg = path.get(i);
        String d = decode(seg);
        if (i < basePath.size() && !seg.equals(basePath.get(i)) && !d.equals(v)) {
          failures.add(
              what + ": path " + rawPath(head) + " differs from " + rawPath(baseline) + " by more");
        }
        if (d.equals("..") || d.equals(".") || d.contains("/") || d.contains("\\")) {
          failures.add(what + ": path segment '" + seg + "' of " + rawPath(head));
        }
        if (isCut(d, v)) {
          failures.add(what + ": path segment '" + seg + "' is the value cut short");
        }
      }
      Set<String> q = new HashSet<>(queryNames(head));
      if (!q.equals(baseQuery)) {
        failures.add(what + ": query parameters " + q + " instead of " + baseQuery);
      }
      for (String value : queryValues(head)) {
        if (isCut(decode(value), v)) {
          failures.add(what + ": a query parameter is the value cut short: '" + value + "'");
        }
      }
      for (String h : LoopbackStub.headerNames(head)) {
        if (h.equals("x-injected") || !baseHeaders.contains(h)) {
          failures.add(what + ": header '" + h + "' the normal request does not have");
        }
      }
    }
  }

  /**
   * Whether {@code got} is {@code v} cut right before one of its special characters (the rest went
   * somewhere else: a fragment, another parameter, another header).
   */
  private static boolean isCut(String got, String v) {
    if (got.isEmpty() || got.length() >= v.length() || !v.startsWith(got)) {
      return false;
    }
    return SPECIALS.indexOf(v.charAt(got.length())) >= 0;
  }

  private static String rawPath(String head) {
    String t = LoopbackStub.target(head);
    int q = t.indexOf('?');
    return q < 0 ? t : t.substring(0, q);
  }

  private static List<String> segments(String head) {
    String p = rawPath(head);
    List<String> out = new ArrayList<>();
    for (String s : p.split("/", -1)) {
      out.add(s);
    }
    return out;
  }

  private static String rawQuery(String head) {
    String t = LoopbackStub.target(head);
    int q = t.indexOf('?');
    return q < 0 ? "" : t.substring(q + 1);
  }

  private static List<String> queryNames(String head) {
    List<String> out = new ArrayList<>();
    String q = rawQuery(head);
    if (!q.isEmpty()) {
      for (String kv : q.split("&")) {
        out.add(decode(kv.split("=", 2)[0]));
      }
    }
    return out;
  }

  private static List<String> queryValues(String head) {
    List<String> out = new ArrayList<>();
    String q = rawQuery(head);
    if (!q.isEmpty()) {
      for (String kv : q.split("&")) {
        String[] p = kv.split("=", 2);
        out.add(p.length > 1 ? p[1] : "");
      }
    }
    return out;
  }

  /** Percent-decoding (one level; '+' is a space only in a query, which does not matter here). */
  private static String decode(String s) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length()) {
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          b.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      if (c == '+') {
        b.write(' ');
      } else {
        b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private static String printable(String v) {
    return v.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
  }
}
