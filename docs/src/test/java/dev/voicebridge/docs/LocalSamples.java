package dev.voicebridge.docs;

import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.StreamingSynthesizers;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample of docs/providers/local.md. */
final class LocalSamples {
  private LocalSamples() {}

  static void hello(Path dir) throws IOException {
    // tag::hello[]
    try (StreamingSynthesizer tts =
            StreamingSynthesizers.create("local", VoicebridgeConfig.empty());
        SynthesisStream stream = tts.synthesize("Hello world. The weather is nice today.")) {
      byte[] pcm16k = stream.readAllAudio(); // 16-bit mono PCM at 16 kHz
      Files.write(dir.resolve("hello.pcm"), pcm16k);
    }
    // end::hello[]
  }
}
