package dev.voicebridge.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.VoicebridgeConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code voicebridge voices}: lists a provider's voices (every page, up to {@code --limit}), as a
 * table or as JSON.
 */
@Command(
    name = "voices",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "List a provider's voices (its catalog), filtered by language, name or model.")
final class VoicesCommand implements Callable<Integer> {
  /** How long one page may take. */
  private static final long PAGE_TIMEOUT_SECONDS = 120;

  @ParentCommand Main main;
  @Spec CommandSpec spec;
  @Mixin ConfigOptions configOptions;

  @Option(names = "--provider", description = "Provider name (default: configured, else local).")
  String provider;

  @Option(
      names = "--language",
      paramLabel = "CODE",
      description = "Only voices that speak this language (ISO 639, e.g. en or pt-BR).")
  String language;

  @Option(
      names = "--search",
      paramLabel = "TEXT",
      description = "Only voices whose name (or what the vendor searches) contains TEXT.")
  String search;

  @Option(names = "--model", description = "Only voices that work with this model.")
  String model;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "List at most N voices (default: ${DEFAULT-VALUE}).")
  int limit = 1000;

  @Option(names = "--json", description = "Print a JSON array instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    if (limit < 1) {
      throw new Errors.UsageException("--limit must be positive");
    }
    VoiceQuery query;
    try {
      query = VoiceQuery.builder().language(language).search(search).model(model).build();
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException("--language: " + e.getMessage());
    }
    VoicebridgeConfig config = configOptions.config(main.redactor());
    if (provider != null) {
      config = config.withOverrides(Map.of(StreamingSynthesizers.PROVIDER_KEY, provider));
    } else if (config.get(StreamingSynthesizers.PROVIDER_KEY).isEmpty()) {
      config = config.withOverrides(Map.of(StreamingSynthesizers.PROVIDER_KEY, "local"));
    }
    List<Voice> voices = new ArrayList<>();
    try (StreamingSynthesizer synth = StreamingSynthesizers.fromConfig(config)) {
      VoiceQuery q = query;
      while (voices.size() < limit) {
        VoicePage page = page(synth, q);
        for (Voice v : page.voices()) {
          if (voices.size() < limit) {
            voices.add(v);
          }
        }
        if (page.nextPageToken().isEmpty()) {
          break;
        }
        q = query.withPageToken(page.nextPageToken().get());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(json(voices));
    } else {
      table(out, voices);
    }
    out.flush();
    return 0;
  }

  private static VoicePage page(StreamingSynthesizer synth, VoiceQuery q) {
    try {
      return synth
          .voices(q)
          .toCompletableFuture()
          .orTimeout(PAGE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static void table(PrintWriter out, List<Voice> voices) {
    if (voices.isEmpty()) {
      out.println("no voices match");
      return;
    }
    int idWidth = "ID".length();
    int nameWidth = "NAME".length();
    for (Voice v : voices) {
      idWidth = Math.max(idWidth, v.id().length());
      nameWidth = Math.max(nameWidth, v.name().length());
    }
    String f = "%-" + idWidth + "s  %-" + nameWidth + "s  %-12s  %-8s  %-11s  %s%n";
    out.printf(f, "ID", "NAME", "LANGUAGES", "GENDER", "AGE", "ACCENT");
    for (Voice v : voices) {
      out.printf(
          f,
          v.id(),
          v.name(),
          String.join(",", v.languages()),
          v.gender().orElse("-"),
          v.age().orElse("-"),
          v.accent().orElse("-"));
    }
    out.println(voices.size() + " voice(s)");
  }

  private static String json(List<Voice> voices) throws Exception {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ArrayNode array = mapper.createArrayNode();
    for (Voice v : voices) {
      ObjectNode o = array.addObject();
      o.put("id", v.id());
      o.put("name", v.name());
      ArrayNode languages = o.putArray("languages");
      v.languages().forEach(languages::add);
      v.gender().ifPresent(g -> o.put("gender", g));
      v.age().ifPresent(a -> o.put("age", a));
      v.accent().ifPresent(a -> o.put("accent", a));
      v.description().ifPresent(d -> o.put("description", d));
      o.put("wordTimings", v.wordTimings());
      ArrayNode models = o.putArray("models");
      v.models().forEach(models::add);
      v.previewUrl().ifPresent(u -> o.put("previewUrl", u.toString()));
      ObjectNode attributes = o.putObject("attributes");
      v.attributes().forEach(attributes::put);
    }
    return mapper.writeValueAsString(array);
  }
}
