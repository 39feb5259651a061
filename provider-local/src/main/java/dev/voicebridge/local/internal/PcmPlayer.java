package dev.voicebridge.local.internal;

import com.sun.speech.freetts.audio.AudioPlayer;
import javax.sound.sampled.AudioFormat;

/**
 * The FreeTTS {@link AudioPlayer} that hands the samples FreeTTS produces to the session speaking
 * at the moment, as 16-bit little-endian PCM, instead of playing them.
 *
 * <p>FreeTTS calls it on its output thread while the worker waits in {@code Voice.speak}; the
 * worker sets the {@link Target} before each {@code speak} and clears it afterwards. Returning
 * false from {@code write} (the target was cancelled) makes FreeTTS abandon the rest of the
 * utterance.
 */
final class PcmPlayer implements AudioPlayer {

  /** Where the samples go. */
  interface Target {
    /**
     * Takes 16-bit little-endian mono PCM at {@code sampleRate}.
     *
     * @return false to make FreeTTS stop speaking
     */
    boolean accept(byte[] pcmLe, int off, int len, int sampleRate);

    /** Converting the samples failed; FreeTTS is told to stop (its output thread must survive). */
    void failed(RuntimeException error);
  }

  private volatile Target target;
  private volatile AudioFormat format = new AudioFormat(LocalEngine.SOURCE_RATE, 16, 1, true, true);
  private volatile float volume = 1.0f;
  private int carry = -1; // a dangling byte of a sample split across writes, FreeTTS's thread

  void target(Target t) {
    target = t;
  }

  @Override
  public void setAudioFormat(AudioFormat f) {
    format = f;
  }

  @Override
  public AudioFormat getAudioFormat() {
    return format;
  }

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public synchronized void reset() {
    carry = -1;
  }

  @Override
  public boolean drain() {
    return true;
  }

  @Override
  public synchronized void begin(int size) {
    carry = -1;
  }

  @Override
  public boolean end() {
    return true;
  }

  @Override
  public void cancel() {}

  @Override
  public void close() {}

  @Override
  public float getVolume() {
    return volume;
  }

  @Override
  public void setVolume(float v) {
    volume = v;
  }

  @Override
  public long getTime() {
    return 0;
  }

  @Override
  public void resetTime() {}

  @Override
  public void startFirstSampleTimer() {}

  @Override
  public void showMetrics() {}

  @Override
  public boolean write(byte[] audio) {
    return write(audio, 0, audio.length);
  }

  @Override
  public synchronized boolean write(byte[] audio, int off, int len) {
    Target t = target;
    if (t == null) {
      return true;
    }
    // Never throw here: an exception would end FreeTTS's output thread and hang every later speak.
    try {
      AudioFormat f = format;
      if (f.getSampleSizeInBits() != 16
          || f.getChannels() != 1
          || f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED) {
        throw new IllegalStateException("FreeTTS produced unexpected audio: " + f);
      }
      byte[] le = toLittleEndian(audio, off, len, f.isBigEndian());
      return t.accept(le, 0, le.length, Math.round(f.getSampleRate()));
    } catch (RuntimeException e) {
      t.failed(e);
      return false;
    }
  }

  /** Copies whole samples as little-endian, carrying a dangling byte to the next write. */
  private byte[] toLittleEndian(byte[] in, int off, int len, boolean bigEndian) {
    int total = len + (carry >= 0 ? 1 : 0);
    byte[] out = new byte[total & ~1];
    int i = off;
    int end = off + len;
    int o = 0;
    if (carry >= 0 && i < end) {
      byte first = (byte) carry;
      byte second = in[i++];
      out[o++] = bigEndian ? second : first;
      out[o++] = bigEndian ? first : second;
      carry = -1;
    }
    while (i + 1 < end) {
      out[o++] = bigEndian ? in[i + 1] : in[i];
      out[o++] = bigEndian ? in[i] : in[i + 1];
      i += 2;
    }
    if (i < end) {
      carry = in[i] & 0xFF;
    }
    return out;
  }
}
