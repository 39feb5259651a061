package dev.voicebridge.micrometer;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.Capabilities;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.spi.SessionBackend;
import dev.voicebridge.spi.SessionSettings;
import dev.voicebridge.spi.SynthesisSessions;
import dev.voicebridge.spi.SynthesisSink;
import dev.voicebridge.spi.Ticker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A synthesizer whose sessions the test plays through their sinks, on a fake clock. */
final class MemorySynthesizer implements StreamingSynthesizer {
  static final AudioFormat PCM = AudioFormat.pcm(16_000);
  private final Ticker ticker;
  final List<SynthesisSink> sinks = new CopyOnWriteArrayList<>();

  MemorySynthesizer(Ticker ticker) {
    this.ticker = ticker;
  }

  @Override
  public String provider() {
    return "memory";
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.builder().formats(PCM).defaultFormat(PCM).transports("memory").build();
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    return SynthesisSessions.open(
        "memory",
        PCM,
        SessionSettings.defaults().withTicker(ticker),
        new SessionBackend() {
          @Override
          public void start(SynthesisSink s) {
            sinks.add(s);
            s.attribute("transport", "in-memory");
            s.attribute("model", "m1");
          }

          @Override
          public void text(String text) {}

          @Override
          public void flush() {}

          @Override
          public void finish() {}

          @Override
          public void cancel() {}
        });
  }

  SynthesisSink last() {
    return sinks.get(sinks.size() - 1);
  }

  @Override
  public void close() {}
}
