package dev.voicebridge.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.spi.ConfigKey;
import dev.voicebridge.spi.StreamingSynthesizerProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The IDE completion metadata of the providers' keys ({@code
 * META-INF/additional-spring-configuration-metadata.json}, merged by Spring Boot's configuration
 * processor into the jar's metadata) is generated from their {@link ConfigKey}s, the one source of
 * truth. The file is committed (reviewable, no build-time code execution before compilation); this
 * test regenerates it and fails when the committed one is stale. To update it: {@code mvn -pl
 * spring-boot-autoconfigure verify -Dtest=ConfigurationMetadataTest
 * -Dvoicebridge.metadata.write=true}.
 */
class ConfigurationMetadataTest {
  static final Path FILE =
      Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");

  @Test
  void theCommittedMetadataIsGeneratedFromTheProvidersConfigKeys() throws Exception {
    Map<String, StreamingSynthesizerProvider> providers = StreamingSynthesizers.providers();
    assertThat(providers)
        .containsKeys("local", "fish", "elevenlabs", "smallest", "cartesia", "deepgram");
    String expected = generate(providers);
    if (Boolean.getBoolean("voicebridge.metadata.write")) {
      Files.writeString(FILE, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(FILE, StandardCharsets.UTF_8))
        .as(
            "%s is stale: regenerate it with -Dvoicebridge.metadata.write=true (see this test's"
                + " javadoc)",
            FILE)
        .isEqualTo(expected);
    // the configuration processor merged it into the jar's metadata, with the starter's own keys
    try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("\"voicebridge.fish.api-key\"")
          .contains("\"voicebridge.fallback.chain\"")
          .contains("\"voicebridge.cache.maximum-bytes\"");
    }
    assertThat(expected)
        .contains("\"name\": \"voicebridge.fish.api-key\"")
        .contains("\"description\": \"Fish Audio API key, sent as Authorization: Bearer");
  }

  static String generate(Map<String, StreamingSynthesizerProvider> providers) {
    Map<String, String> properties = new TreeMap<>();
    Map<String, String> hints = new TreeMap<>();
    for (Map.Entry<String, StreamingSynthesizerProvider> p : providers.entrySet()) {
      for (ConfigKey<?> k : p.getValue().configKeys()) {
        String name = "voicebridge." + p.getKey() + "." + k.name();
        StringBuilder b = new StringBuilder();
        b.append("    {\n");
        b.append("      \"name\": ").append(json(name)).append(",\n");
        b.append("      \"type\": ").append(json(javaType(k))).append(",\n");
        b.append("      \"description\": ").append(json(description(p.getKey(), k)));
        if (k.defaultValue() != null && !k.isSecret()) {
          b.append(",\n      \"defaultValue\": ").append(defaultValue(k.defaultValue()));
        }
        b.append(",\n      \"sourceType\": ")
            .append(json(p.getValue().getClass().getName()))
            .append("\n    }");
        properties.put(name, b.toString());
        if (k.typeName().startsWith("one of ")) {
          List<String> values = new ArrayList<>();
          for (String v : k.typeName().substring("one of ".length()).split("\\|")) {
            values.add("        {\n          \"value\": " + json(v.trim()) + "\n        }");
          }
          hints.put(
              name,
              "    {\n      \"name\": "
                  + json(name)
                  + ",\n      \"values\": [\n"
                  + String.join(",\n", values)
                  + "\n      ]\n    }");
        }
      }
    }
    return "{\n  \"properties\": [\n"
        + String.join(",\n", properties.values())
        + "\n  ],\n  \"hints\": [\n"
        + String.join(",\n", hints.values())
        + "\n  ]\n}\n";
  }

  private static String description(String provider, ConfigKey<?> k) {
    String d = k.description();
    d = Character.toUpperCase(d.charAt(0)) + d.substring(1);
    if (!d.endsWith(".")) {
      d += ".";
    }
    if (k.isRequired()) {
      d += " Required.";
    }
    if (k.isSecret()) {
      d += " Secret: masked in actuator endpoints.";
    }
    if (!k.environmentFallbacks().isEmpty()) {
      d +=
          " Falls back to the environment variable "
              + String.join(" or ", k.environmentFallbacks())
              + ".";
    }
    return d;
  }

  private static String javaType(ConfigKey<?> k) {
    String t = k.typeName();
    if (t.startsWith("integer")) {
      return "java.lang.Integer";
    } else if (t.startsWith("decimal")) {
      return "java.lang.Double";
    } else if (t.startsWith("boolean")) {
      return "java.lang.Boolean";
    } else if (t.startsWith("duration")) {
      return "java.time.Duration";
    } else if (t.startsWith("uri")) {
      return "java.net.URI";
    }
    return "java.lang.String";
  }

  private static String defaultValue(Object v) {
    if (v instanceof Duration d) {
      long ms = d.toMillis();
      return json(ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms");
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return json(v.toString());
  }

  static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
