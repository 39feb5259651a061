package dev.voicebridge.local.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisReport;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.VoicebridgeConfig;
import dev.voicebridge.kit.audio.Pcm;
import dev.voicebridge.local.LocalProvider;
import dev.voicebridge.spi.ProviderContext;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Test helpers: a synthesizer, whole-text synthesis, and simple audio measures. */
final class Tts {
  static final String HELLO = "Hello world. The weather is nice today.";

  private Tts() {}

  static LocalSynthesizer create() {
    return create(Map.of());
  }

  static LocalSynthesizer create(Map<String, String> config) {
    StreamingSynthesizer s =
        new LocalProvider().create(ProviderContext.of("local", VoicebridgeConfig.of(config)));
    return (LocalSynthesizer) s;
  }

  static SynthesisOptions format(AudioFormat f) {
    return SynthesisOptions.builder().format(f).build();
  }

  /** Synthesizes {@code text} and returns all its audio. */
  static byte[] speak(StreamingSynthesizer s, String text, SynthesisOptions options) {
    try (SynthesisStream stream = s.synthesize(text, options)) {
      return stream.readAllAudio();
    }
  }

  static byte[] speak(StreamingSynthesizer s, String text, AudioFormat f) {
    return speak(s, text, format(f));
  }

  static SynthesisReport report(StreamingSynthesizer s, String text, SynthesisOptions options) {
    try (SynthesisStream stream = s.synthesize(text, options)) {
      stream.readAllAudio();
      return stream.report();
    }
  }

  /** Root mean square of 16-bit little-endian PCM. */
  static double rms(byte[] pcm, int off) {
    short[] s = Pcm.toShorts(pcm, off, pcm.length - off);
    double sum = 0;
    for (short v : s) {
      sum += (double) v * v;
    }
    return s.length == 0 ? 0 : Math.sqrt(sum / s.length);
  }

  /** The names of the live threads of the synthesizer's worker and FreeTTS output thread. */
  static Set<String> threadsOf(LocalSynthesizer s) {
    String name = s.threadName();
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.equals(name) || n.equals(name + "-output"))
        .collect(Collectors.toSet());
  }

  /** The names of every live thread of any local synthesizer. */
  static Set<String> localThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("voicebridge-local"))
        .collect(Collectors.toSet());
  }
}
