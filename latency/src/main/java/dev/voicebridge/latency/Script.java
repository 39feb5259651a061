package dev.voicebridge.latency;

import dev.voicebridge.FlushEvent;
import dev.voicebridge.InputEvent;
import dev.voicebridge.TextEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text plus token timing: what an application (an LLM) hands to a session, and when. A comparison
 * plays the same script into every provider.
 *
 * @param name a short name for reports
 * @param steps the tokens and flushes, each after its delay
 */
public record Script(String name, List<Step> steps) {

  /**
   * One input event and the wait before it.
   *
   * @param delay how long after the previous step this one is handed over
   * @param event a text token or a flush
   */
  public record Step(Duration delay, InputEvent event) {
    /**
     * Compact constructor: validates.
     *
     * @param delay how long after the previous step this one is handed over
     * @param event a text token or a flush
     */
    public Step {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(event, "event");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("negative delay");
      }
    }
  }

  /**
   * Compact constructor: copies and validates.
   *
   * @param name a short name for reports
   * @param steps the tokens and flushes, each after its delay
   */
  public Script {
    Objects.requireNonNull(name, "name");
    steps = List.copyOf(steps);
    if (steps.stream().noneMatch(s -> s.event() instanceof TextEvent)) {
      throw new IllegalArgumentException("script '" + name + "' has no text");
    }
  }

  /** {@return a short reply, streamed at 30 tokens per second} */
  public static Script reply() {
    return fromText("reply", "Sure! Your table for two is booked for seven thirty tonight.", 30);
  }

  /** {@return a long paragraph, streamed at 40 tokens per second} */
  public static Script paragraph() {
    return fromText(
        "paragraph",
        "Streaming speech synthesis lets a voice agent start talking before the language model has"
            + " finished its answer. The first sentence matters most: the sooner its audio arrives,"
            + " the more natural the conversation feels. After that, audio only has to arrive faster"
            + " than it plays, so that the listener never hears a gap between two chunks.",
        40);
  }

  /**
   * {@return a dialogue of three turns, with a flush at the end of each turn and a pause between
   * turns}
   */
  public static Script dialogue() {
    List<Step> steps = new ArrayList<>();
    String[] turns = {
      "Hello! How can I help you today?",
      "Let me check that for you. Your order shipped yesterday and should arrive on Friday.",
      "Is there anything else I can do for you?"
    };
    for (int i = 0; i < turns.length; i++) {
      List<Step> t = fromText("turn", turns[i], 30).steps();
      for (int j = 0; j < t.size(); j++) {
        Duration delay = (j == 0 && i > 0) ? Duration.ofMillis(800) : t.get(j).delay();
        steps.add(new Step(delay, t.get(j).event()));
      }
      steps.add(new Step(Duration.ZERO, FlushEvent.INSTANCE));
    }
    return new Script("dialogue", steps);
  }

  /** {@return the built-in scripts by name} */
  public static Map<String, Script> builtIn() {
    return Map.of("reply", reply(), "paragraph", paragraph(), "dialogue", dialogue());
  }

  /**
   * {@return a text cut into word tokens (each with its leading space) streamed at {@code
   * tokensPerSecond}, the way an LLM streams; the first token comes at once}
   *
   * @param name the script's name
   * @param text the text
   * @param tokensPerSecond the pace of the tokens
   */
  public static Script fromText(String name, String text, double tokensPerSecond) {
    if (!(tokensPerSecond > 0)) {
      throw new IllegalArgumentException("tokens per second must be positive");
    }
    Duration gap = Duration.ofNanos(Math.round(1e9 / tokensPerSecond));
    List<Step> steps = new ArrayList<>();
    Matcher m = Pattern.compile("\\s*\\S+").matcher(text);
    boolean first = true;
    while (m.find()) {
      steps.add(new Step(first ? Duration.ZERO : gap, new TextEvent(m.group())));
      first = false;
    }
    return new Script(name, steps);
  }

  /**
   * Reads a script file: JSON lines of {@code {"token": "...", "delay_ms": 33}} and {@code
   * {"flush": true}} (optionally with {@code delay_ms}); blank lines and lines starting with {@code
   * #} are skipped. A file that is not JSON lines is read as plain text streamed at {@code
   * tokensPerSecond}.
   *
   * @param file the file to read
   * @param tokensPerSecond the pace of the tokens when the file is plain text
   * @return the script
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException for a malformed line, with its number
   */
  public static Script fromFile(Path file, double tokensPerSecond) throws IOException {
    String content = Files.readString(file, StandardCharsets.UTF_8);
    String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    String firstLine =
        content
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .findFirst()
            .orElse("");
    if (!firstLine.startsWith("{")) {
      return fromText(name, content, tokensPerSecond);
    }
    List<Step> steps = new ArrayList<>();
    int lineNo = 0;
    for (String line : content.split("\\R")) {
      lineNo++;
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      Map<String, Object> obj;
      try {
        obj = FlatJson.parseObject(l);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage());
      }
      Object d = obj.getOrDefault("delay_ms", 0.0);
      if (!(d instanceof Double dm) || dm < 0) {
        throw new IllegalArgumentException(
            file + ":" + lineNo + ": delay_ms must be a number >= 0");
      }
      Duration delay = Duration.ofNanos(Math.round(dm * 1e6));
      if (Boolean.TRUE.equals(obj.get("flush"))) {
        steps.add(new Step(delay, FlushEvent.INSTANCE));
      } else if (obj.get("token") instanceof String t) {
        steps.add(new Step(delay, new TextEvent(t)));
      } else {
        throw new IllegalArgumentException(
            file + ":" + lineNo + ": expected \"token\" (a string) or \"flush\": true");
      }
    }
    return new Script(name, steps);
  }

  /** {@return the whole text of the script} */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (Step s : steps) {
      if (s.event() instanceof TextEvent t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  /** {@return how long the script takes to hand over at its own pace} */
  public Duration duration() {
    return steps.stream().map(Step::delay).reduce(Duration.ZERO, Duration::plus);
  }

  /** {@return the number of flushes in the script} */
  public long flushes() {
    return steps.stream().filter(s -> s.event() instanceof FlushEvent).count();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "Script[%s, %d steps, %d chars, %.1f s]",
        name,
        steps.size(),
        text().length(),
        duration().toMillis() / 1000.0);
  }
}
