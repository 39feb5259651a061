package dev.voicebridge.audio;

/**
 * What a RIFF/WAVE header says about the audio that follows it, as returned by {@link
 * Wav#read(byte[])}.
 *
 * @param formatCode the WAVE format code: {@link Wav#FORMAT_PCM}, {@link Wav#FORMAT_ALAW} or {@link
 *     Wav#FORMAT_MULAW} (for {@code WAVE_FORMAT_EXTENSIBLE} headers, the code of the sub-format)
 * @param sampleRate samples per second per channel, positive
 * @param channels number of interleaved channels, positive
 * @param bitsPerSample bits per sample of one channel: 8, 16, 24 or 32 for PCM, 8 for G.711
 * @param dataOffset offset of the first audio byte, counted from the start of the header
 * @param dataBytes number of audio bytes the header declares, or {@code -1} when it is unknown
 *     because the WAV is being streamed (placeholder sizes such as {@code 0xFFFFFFFF})
 */
public record WavInfo(
    int formatCode,
    int sampleRate,
    int channels,
    int bitsPerSample,
    int dataOffset,
    long dataBytes) {

  /**
   * Validates the components.
   *
   * @param formatCode the WAVE format code: 1, 6 or 7
   * @param sampleRate samples per second per channel, positive
   * @param channels number of channels, 1..65535
   * @param bitsPerSample 8, 16, 24 or 32
   * @param dataOffset offset of the first audio byte, not negative
   * @param dataBytes number of audio bytes, or -1 when unknown
   * @throws IllegalArgumentException if a component is out of range
   */
  public WavInfo {
    if (formatCode != Wav.FORMAT_PCM
        && formatCode != Wav.FORMAT_ALAW
        && formatCode != Wav.FORMAT_MULAW) {
      throw new IllegalArgumentException("unsupported WAVE format code " + formatCode);
    }
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive: " + sampleRate);
    }
    if (channels <= 0 || channels > 0xFFFF) {
      throw new IllegalArgumentException("channels must be in 1..65535: " + channels);
    }
    if (bitsPerSample <= 0 || bitsPerSample % 8 != 0 || bitsPerSample > 32) {
      throw new IllegalArgumentException("bitsPerSample must be 8, 16, 24 or 32: " + bitsPerSample);
    }
    if (dataOffset < 0) {
      throw new IllegalArgumentException("dataOffset must not be negative: " + dataOffset);
    }
    if (dataBytes < -1) {
      throw new IllegalArgumentException("dataBytes must be -1 (unknown) or >= 0: " + dataBytes);
    }
  }

  /**
   * Whether the length of the audio is unknown, as in a streamed WAV.
   *
   * @return {@code true} if {@link #dataBytes()} is {@code -1}
   */
  public boolean isStreaming() {
    return dataBytes < 0;
  }

  /**
   * The size of one frame (one sample of every channel) in bytes.
   *
   * @return {@code channels * bitsPerSample / 8}
   */
  public int blockAlign() {
    return channels * (bitsPerSample / 8);
  }

  /**
   * The number of audio bytes per second.
   *
   * @return {@code sampleRate * blockAlign()}
   */
  public long byteRate() {
    return (long) sampleRate * blockAlign();
  }
}
