package dev.voicebridge.cli;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.emulator.Emulators;
import dev.voicebridge.latency.Comparison;
import dev.voicebridge.latency.ComparisonResult;
import dev.voicebridge.latency.Reports;
import dev.voicebridge.latency.RunResult;
import dev.voicebridge.latency.Script;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code voicebridge compare}: an A/B latency comparison. Without API keys it runs against the
 * embedded emulators with each vendor's published latency profile, and the report says so.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Compare providers' latency on the same script, interleaved, cold and warm.",
      "Without API keys the vendors are emulated locally with their published latency profiles."
    })
final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand Main main;

  @Mixin ConfigOptions configOptions;

  @Option(
      names = "--providers",
      split = ",",
      description = "Providers to compare, e.g. fish,elevenlabs,smallest.")
  List<String> providers = new ArrayList<>();

  @Option(
      names = "--contender",
      paramLabel = "LABEL=PROVIDER[,KEY=VALUE...]",
      description =
          "A contender with its own settings (keys relative to voicebridge.<provider>.), e.g."
              + " --contender s1=fish,model=s1 --contender s2=fish,model=s2-pro. Repeatable.")
  List<String> contenders = new ArrayList<>();

  @Option(
      names = "--script",
      description =
          "reply, paragraph, dialogue, or a file (JSON lines or plain text) (default: ${DEFAULT-VALUE}).")
  String script = "reply";

  @Option(
      names = "--tokens-per-second",
      description = "Rate for plain text script files (default: ${DEFAULT-VALUE}).")
  double tokensPerSecond = 30;

  @Option(names = "--rounds", description = "Rounds (default: ${DEFAULT-VALUE}).")
  int rounds = 20;

  @Option(
      names = "--seed",
      description = "Seed of the run order and bootstrap (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--format", description = "Audio format (default: ${DEFAULT-VALUE}).")
  String format = "pcm_24000";

  @Option(names = "--report", description = "HTML report file (default: ${DEFAULT-VALUE}).")
  Path report = Path.of("latency-report.html");

  @Option(names = "--json", description = "JSON file (default: next to the report, .json).")
  Path json;

  @Option(names = "--emulate", description = "Always use the embedded emulators, even with keys.")
  boolean emulate;

  @Option(
      names = "--voice",
      description = "Emulator voice: tone or local (default: ${DEFAULT-VALUE}).")
  String emulatorVoice = "tone";

  @Option(
      names = "--emulator-profile",
      description =
          "Emulator latency: realistic (each vendor's published figures) or zero (default: ${DEFAULT-VALUE}).")
  String emulatorProfile = "realistic";

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Map<String, String>> specs = contenderSpecs();
    if (specs.size() < 2) {
      throw new Errors.UsageException(
          "name at least two contenders: --providers fish,elevenlabs or --contender a=fish --contender b=fish,model=s1");
    }
    if (rounds < 1) {
      throw new Errors.UsageException("--rounds must be at least 1");
    }
    Path jsonFile =
        json != null
            ? json
            : report.resolveSibling(
                report.getFileName().toString().replaceFirst("\\.html?$", "") + ".json");
    for (Path p : List.of(report, jsonFile)) {
      Path dir = p.toAbsolutePath().getParent();
      if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
        throw new Errors.UsageException("cannot write " + p + ": no writable directory " + dir);
      }
    }
    Script s = loadScript();
    AudioFormat f;
    try {
      f = AudioFormat.parse(format);
    } catch (IllegalArgumentException e) {
      throw new Errors.UsageException(e.getMessage());
    }
    VoicebridgeConfig base = configOptions.config(main.redactor());
    boolean emulated = emulate || specs.values().stream().anyMatch(c -> !hasKey(base, c));
    EmulateCommand.Started emulators = null;
    try {
      Map<String, String> emulatorConfig = Map.of();
      String note = "";
      if (emulated) {
        emulators = EmulateCommand.start(0, "test-key", emulatorProfile, emulatorVoice);
        emulatorConfig = emulators.config("test-key");
        note =
            "Emulated: no API keys were configured (or --emulate was given), so every vendor ran"
                + " against Voicebridge's local emulator"
                + (emulatorProfile.equals("zero")
                    ? " answering as fast as it can (zero latency profile)."
                    : " with that vendor's published latency profile.")
                + " These figures show the adapters' behaviour, not the real services' latency.";
        err.println("voicebridge: " + note);
      }
      SynthesisOptions options = SynthesisOptions.builder().format(f).build();
      Comparison.Builder b =
          Comparison.builder()
              .script(s)
              .rounds(rounds)
              .seed(seed)
              .note(note)
              .progress(
                  line -> {
                    err.println(line);
                    err.flush();
                  });
      for (Map.Entry<String, Map<String, String>> e : specs.entrySet()) {
        Map<String, String> settings = e.getValue();
        String provider = settings.get("provider");
        Map<String, String> overrides = new LinkedHashMap<>();
        settings.forEach(
            (k, v) -> {
              if (!k.equals("provider")) {
                overrides.put("voicebridge." + provider + "." + k, v);
              }
            });
        // emulated, every contender talks to its emulator, whatever its own url and key say
        overrides.putAll(emulatorConfig);
        VoicebridgeConfig cc = base.withOverrides(overrides);
        StreamingSynthesizers.create(provider, cc).close(); // validate before the first round
        b.contender(
            new Comparison.Contender(
                e.getKey(), () -> StreamingSynthesizers.create(provider, cc), options, settings));
      }
      ComparisonResult r = b.build().run();
      // the contenders' settings are masked by the report itself; error texts pass here too
      Redactor redactor = main.redactor();
      AtomicFiles.writeString(report, redactor.redact(Reports.html(r)));
      AtomicFiles.writeString(jsonFile, redactor.redact(Reports.json(r)));
      printSummary(out, r);
      out.println("report: " + report.toAbsolutePath());
      out.println("json:   " + jsonFile.toAbsolutePath());
      out.flush();
      return 0;
    } finally {
      if (emulators != null) {
        emulators.close();
      }
    }
  }

  /**
   * Whether a contender has its provider's api-key: in its own settings, or configured through the
   * key or its vendor fallbacks.
   */
  private static boolean hasKey(VoicebridgeConfig c, Map<String, String> settings) {
    String provider = settings.get("provider");
    var p = StreamingSynthesizers.providers().get(provider);
    if (p == null) {
      return false;
    }
    return p.configKeys().stream()
        .filter(k -> k.isSecret() && k.name().equals("api-key"))
        .anyMatch(
            k ->
                settings.containsKey(k.name())
                    || c.get("voicebridge." + provider + "." + k.name()).isPresent()
                    || k.environmentFallbacks().stream()
                        .anyMatch(v -> c.environmentVariable(v).isPresent()));
  }

  private Map<String, Map<String, String>> contenderSpecs() {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    for (String p : providers) {
      String name = p.trim();
      if (!name.isEmpty()) {
        out.put(name, new LinkedHashMap<>(Map.of("provider", name)));
      }
    }
    for (String c : contenders) {
      int eq = c.indexOf('=');
      if (eq <= 0) {
        throw new Errors.UsageException(
            "--contender wants LABEL=PROVIDER[,KEY=VALUE...], got '" + c + "'");
      }
      String label = c.substring(0, eq).trim();
      String[] parts = c.substring(eq + 1).split(",");
      Map<String, String> settings = new LinkedHashMap<>();
      settings.put("provider", parts[0].trim());
      for (int i = 1; i < parts.length; i++) {
        int k = parts[i].indexOf('=');
        if (k <= 0) {
          throw new Errors.UsageException("bad setting '" + parts[i] + "' in --contender " + c);
        }
        settings.put(parts[i].substring(0, k).trim(), parts[i].substring(k + 1).trim());
      }
      if (out.put(label, settings) != null) {
        throw new Errors.UsageException("two contenders are labelled '" + label + "'");
      }
    }
    for (Map<String, String> s : out.values()) {
      String p = s.get("provider");
      if (!Emulators.VENDORS.contains(p) && !StreamingSynthesizers.providers().containsKey(p)) {
        throw new Errors.UsageException(
            "unknown provider '" + p + "'; known: " + StreamingSynthesizers.providers().keySet());
      }
    }
    return out;
  }

  private Script loadScript() throws java.io.IOException {
    Script builtIn = Script.builtIn().get(script);
    if (builtIn != null) {
      return builtIn;
    }
    Path file = Path.of(script);
    if (!Files.isReadable(file)) {
      throw new Errors.UsageException(
          "--script must be reply, paragraph, dialogue or a readable file, not '" + script + "'");
    }
    return Script.fromFile(file, tokensPerSecond);
  }

  private static void printSummary(PrintWriter out, ComparisonResult r) {
    out.printf(
        Locale.ROOT,
        "%-24s %5s %6s %9s %9s %9s%n",
        "series",
        "n",
        "failed",
        "p50 ms",
        "p95 ms",
        "p99 ms");
    for (String s : r.series()) {
      ComparisonResult.Summary sum = r.summary(s, RunResult::firstAudioMs);
      if (sum == null) {
        out.printf(Locale.ROOT, "%-24s %5d %6d %9s %9s %9s%n", s, 0, r.failures(s), "-", "-", "-");
      } else {
        out.printf(
            Locale.ROOT,
            "%-24s %5d %6d %9.1f %9.1f %9.1f%n",
            s,
            sum.n(),
            r.failures(s),
            sum.p50(),
            sum.p95(),
            sum.p99());
      }
    }
    for (ComparisonResult.Verdict v : r.verdicts()) {
      out.println(v.series() + ": " + v.verdict());
    }
  }
}
