package dev.voicebridge.check.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.voicebridge.check.CheckPlan;
import dev.voicebridge.check.CheckResult;
import dev.voicebridge.check.RuleResult;
import dev.voicebridge.check.SessionSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON document of a {@link CheckResult} (its shape is documented in docs/check.md). */
public final class JsonReport {
  /** The version of the document's shape; raised when a field changes meaning or goes away. */
  public static final int SCHEMA = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /** {@code result} as JSON. */
  public static String write(CheckResult result) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("schema", SCHEMA);
    root.put("tool", "voicebridge check");
    root.put("libraryVersion", result.libraryVersion());
    root.put("java", System.getProperty("java.version"));
    root.put("provider", result.provider());
    root.put("baseUrl", result.baseUrl());
    root.put("format", result.format());
    root.put("startedAt", result.startedAt().toString());
    root.put("elapsedMs", millis(result.elapsed()));
    root.put("passed", result.passed());
    root.put("interrupted", result.interrupted());
    Map<String, Object> budget = new LinkedHashMap<>();
    budget.put("budgetChars", result.plan().budgetChars());
    budget.put("plannedChars", result.plan().totalChars());
    budget.put("spentChars", result.spentChars());
    root.put("characters", budget);
    root.put("transports", result.plan().transports());
    List<Object> rules = new ArrayList<>();
    for (RuleResult r : result.results()) {
      rules.add(rule(r));
    }
    root.put("rules", rules);
    List<Object> planned = new ArrayList<>();
    for (CheckPlan.Step s : result.plan().steps()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("transport", s.transport());
      m.put("id", s.rule().id());
      m.put("chars", s.chars());
      planned.add(m);
    }
    root.put("plan", planned);
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the check's JSON", e);
    }
  }

  private static Map<String, Object> rule(RuleResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("transport", r.transport());
    m.put("id", r.rule().id());
    m.put("title", r.rule().title());
    m.put("status", r.status().name());
    m.put("detail", r.detail());
    m.put("plannedChars", r.plannedChars());
    m.put("spentChars", r.spentChars());
    m.put("elapsedMs", millis(r.elapsed()));
    List<Object> sessions = new ArrayList<>();
    for (SessionSummary s : r.sessions()) {
      sessions.add(session(s));
    }
    m.put("sessions", sessions);
    return m;
  }

  private static Map<String, Object> session(SessionSummary s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("label", s.label());
    m.put("outcome", s.outcome());
    m.put("error", s.error());
    m.put("connectionSetupMs", millis(s.connectionSetup()));
    m.put("timeToFirstAudioMs", millis(s.timeToFirstAudio()));
    m.put("timeToLastAudioMs", millis(s.timeToLastAudio()));
    m.put("audioSeconds", s.audio() == null ? null : s.audio().toNanos() / 1e9);
    m.put("chunks", s.chunks());
    m.put("bytes", s.bytes());
    m.put("wordTimings", s.wordTimings());
    m.put("charactersSent", s.charactersSent());
    m.put("responseIds", new TreeMap<>(s.responseIds()));
    m.put("attributes", new TreeMap<>(s.attributes()));
    m.put("warnings", s.warnings());
    return m;
  }

  private static Double millis(Duration d) {
    return d == null ? null : Math.round(d.toNanos() / 1e4) / 100.0;
  }
}
