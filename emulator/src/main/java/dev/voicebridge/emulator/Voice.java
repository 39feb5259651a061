package dev.voicebridge.emulator;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.StreamingSynthesizer;
import dev.voicebridge.SynthesisOptions;
import dev.voicebridge.SynthesisSession;
import dev.voicebridge.SynthesisStream;
import dev.voicebridge.UnsupportedCapabilityException;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.audio.WavInfo;
import dev.voicebridge.kit.audio.G711;
import dev.voicebridge.kit.audio.Resampler;
import java.util.Arrays;
import java.util.Objects;

/**
 * What an emulator speaks with: turns a piece of text into 16-bit little-endian mono PCM at a given
 * sample rate. Implementations must be thread-safe (sessions synthesize concurrently).
 */
@FunctionalInterface
public interface Voice {

  /** Milliseconds of audio {@link #tone()} produces per character of text. */
  int TONE_MILLIS_PER_CHAR = 60;

  /**
   * Synthesizes {@code text}.
   *
   * @param text the text, never null (may be blank)
   * @param sampleRate the sample rate of the PCM to return, positive
   * @return PCM16LE mono samples (an even number of bytes; may be empty for empty text)
   */
  byte[] synthesize(String text, int sampleRate);

  /**
   * A deterministic, fast voice for tests: {@value #TONE_MILLIS_PER_CHAR} ms of a sine tone per
   * character (the pitch depends on the character; whitespace is silence), so the same text at the
   * same rate always gives the same bytes and the audio length is proportional to the text length.
   */
  static Voice tone() {
    return ToneVoice.INSTANCE;
  }

  /**
   * A voice backed by a {@link StreamingSynthesizer}, for example the local FreeTTS provider: each
   * text is synthesized as one session, converted to PCM16LE and resampled to the requested rate.
   * The synthesizer is not closed by the voice.
   */
  static Voice of(StreamingSynthesizer synthesizer) {
    Objects.requireNonNull(synthesizer, "synthesizer");
    return (text, sampleRate) -> SynthesizerVoice.synthesize(synthesizer, text, sampleRate);
  }
}

/** The tone voice. */
final class ToneVoice implements Voice {
  static final ToneVoice INSTANCE = new ToneVoice();

  /** The most audio one call returns (an array's limit, with room to spare). */
  static final long MAX_BYTES = Integer.MAX_VALUE - 1024;

  private ToneVoice() {}

  @Override
  public byte[] synthesize(String text, int sampleRate) {
    Objects.requireNonNull(text, "text");
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
    }
    int perChar = (int) ((long) sampleRate * TONE_MILLIS_PER_CHAR / 1000);
    int chars = text.codePointCount(0, text.length());
    long bytes = (long) chars * perChar * 2; // in long: an int overflowed for long texts
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "text too long for the tone voice: "
              + chars
              + " characters at "
              + sampleRate
              + " Hz make "
              + bytes
              + " bytes of audio, more than "
              + MAX_BYTES);
    }
    byte[] out = new byte[(int) bytes];
    int[] cps = text.codePoints().toArray();
    int pos = 0;
    for (int cp : cps) {
      if (Character.isWhitespace(cp)) {
        pos += perChar * 2;
        continue;
      }
      double freq = 220 + (cp % 48) * 15;
      for (int i = 0; i < perChar; i++) {
        double env = Math.min(1.0, Math.min(i, perChar - 1 - i) / (perChar * 0.1 + 1));
        short s = (short) Math.round(Math.sin(2 * Math.PI * freq * i / sampleRate) * 8000 * env);
        out[pos++] = (byte) s;
        out[pos++] = (byte) (s >> 8);
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "Voice.tone()";
  }
}

/** Conversion of a synthesizer's output to PCM16LE at a rate. */
final class SynthesizerVoice {
  private SynthesizerVoice() {}

  static byte[] synthesize(StreamingSynthesizer synthesizer, String text, int sampleRate) {
    if (text.isBlank()) {
      return new byte[0];
    }
    SynthesisSession session;
    try {
      session =
          synthesizer.open(SynthesisOptions.builder().format(AudioFormat.pcm(sampleRate)).build());
    } catch (UnsupportedCapabilityException e) {
      session = synthesizer.open(SynthesisOptions.defaults());
    }
    AudioFormat format = session.format();
    byte[] bytes;
    try (SynthesisStream stream = session.stream()) {
      session.sendText(text);
      session.finish();
      bytes = stream.readAllAudio();
    }
    byte[] pcm =
        switch (format.encoding()) {
          case PCM_S16LE -> bytes;
          case WAV -> stripWav(bytes);
          case MULAW -> G711.decodeMuLaw(bytes, 0, bytes.length);
          case ALAW -> G711.decodeALaw(bytes, 0, bytes.length);
          default ->
              throw new IllegalStateException(
                  "the synthesizer answered " + format + ", which a Voice cannot turn into PCM");
        };
    if (format.channels() != 1) {
      throw new IllegalStateException("the synthesizer answered " + format + " (not mono)");
    }
    if ((pcm.length & 1) != 0) {
      pcm = Arrays.copyOf(pcm, pcm.length - 1);
    }
    return format.sampleRate() == sampleRate
        ? pcm
        : Resampler.resample(pcm, format.sampleRate(), sampleRate);
  }

  private static byte[] stripWav(byte[] bytes) {
    if (bytes.length < Wav.HEADER_BYTES) {
      return new byte[0];
    }
    WavInfo info = Wav.read(bytes);
    int off = Math.min(bytes.length, info.dataOffset());
    return Arrays.copyOfRange(bytes, off, bytes.length);
  }
}
