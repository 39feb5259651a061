package dev.voicebridge.observe;

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

/** A synthesizer whose sessions the test plays through their sinks (transport "memory"). */
final class MemorySynthesizer implements StreamingSynthesizer {
  static final AudioFormat PCM = AudioFormat.pcm(16_000);

  private final String name;
  private final Ticker ticker;
  private final List<SynthesisSink> sinks = new CopyOnWriteArrayList<>();

  MemorySynthesizer(String name, Ticker ticker) {
    this.name = name;
    this.ticker = ticker;
  }

  MemorySynthesizer(String name) {
    this(name, Ticker.system());
  }

  /** The sink of the latest session. */
  SynthesisSink sink() {
    return sinks.get(sinks.size() - 1);
  }

  @Override
  public String provider() {
    return name;
  }

  @Override
  public Capabilities capabilities() {
    return Capabilities.builder()
        .streamingInput(true)
        .formats(PCM)
        .defaultFormat(PCM)
        .transports("memory")
        .build();
  }

  @Override
  public SynthesisSession open(SynthesisOptions options) {
    return SynthesisSessions.open(
        name,
        PCM,
        SessionSettings.defaults().withTicker(ticker),
        new SessionBackend() {
          @Override
          public void start(SynthesisSink s) {
            sinks.add(s);
            s.attribute("transport", "memory");
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

  @Override
  public void close() {}
}
