package dev.voicebridge.cli;

import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code voicebridge providers}: lists discovered providers with their configuration keys. */
@Command(
    name = "providers",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "List the providers on the class path and their keys.")
final class ProvidersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StreamingSynthesizers.Discovery d = StreamingSynthesizers.discover();
    for (StreamingSynthesizerProvider p : d.providers().values()) {
      out.println(p.name() + " - " + p.description());
      for (ConfigKey<?> k : p.configKeys()) {
        String full = "voicebridge." + p.name() + "." + k.name();
        StringBuilder line = new StringBuilder("  ").append(full).append(" (").append(k.typeName());
        if (k.isRequired()) {
          line.append(", required");
        }
        if (k.isSecret()) {
          line.append(", secret");
        }
        if (k.defaultValue() != null) {
          line.append(", default ").append(k.defaultValue());
        }
        line.append(")");
        out.println(line);
        out.println("      " + k.description());
        out.println(
            "      env: "
                + VoicebridgeConfig.environmentName(full)
                + (k.environmentFallbacks().isEmpty()
                    ? ""
                    : " or " + String.join(" or ", k.environmentFallbacks())));
      }
    }
    for (String problem : d.problems()) {
      out.println("problem: " + problem);
    }
    out.flush();
    return 0;
  }
}
