package dev.voicebridge.local.internal;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.audio.Wav;
import dev.voicebridge.kit.audio.G711;
import dev.voicebridge.kit.audio.Resampler;
import java.io.ByteArrayOutputStream;

/**
 * Converts FreeTTS's 16-bit little-endian mono PCM into the requested format: resampled with {@link
 * Resampler}, then as is (PCM), behind one streaming header (WAV) or G.711-encoded (mu-law, A-law).
 * One instance per session; each segment is resampled as a stream of its own and ended with {@link
 * #endSegment()}, so all of a segment's audio is out when the segment is done. Not thread-safe.
 */
final class AudioEncoder {
  private final AudioFormat target;
  private Resampler resampler;
  private boolean headerWritten;

  AudioEncoder(AudioFormat target) {
    this.target = target;
  }

  /** Encodes the next piece of the current segment; possibly empty. */
  byte[] encode(byte[] pcmLe, int off, int len, int sourceRate) {
    if (resampler == null || resampler.fromRate() != sourceRate) {
      resampler = Resampler.of(sourceRate, target.sampleRate());
    }
    return convert(resampler.process(pcmLe, off, len));
  }

  /** Ends the current segment: the audio the resampler held back; possibly empty. */
  byte[] endSegment() {
    return resampler == null ? new byte[0] : convert(resampler.finish());
  }

  /** The WAV header if the format is WAV and no audio was written yet, else an empty array. */
  byte[] headerIfNone() {
    return convert(new byte[0], true);
  }

  private byte[] convert(byte[] pcm) {
    return convert(pcm, false);
  }

  private byte[] convert(byte[] pcm, boolean evenIfEmpty) {
    if (pcm.length == 0 && !evenIfEmpty) {
      return pcm;
    }
    switch (target.encoding()) {
      case PCM_S16LE:
        return pcm;
      case WAV:
        if (headerWritten) {
          return pcm;
        }
        headerWritten = true;
        ByteArrayOutputStream out = new ByteArrayOutputStream(Wav.HEADER_BYTES + pcm.length);
        out.writeBytes(Wav.streamingHeader(target.sampleRate(), 1, 16));
        out.writeBytes(pcm);
        return out.toByteArray();
      case MULAW:
        return G711.encodeMuLaw(pcm, 0, pcm.length);
      case ALAW:
        return G711.encodeALaw(pcm, 0, pcm.length);
      default:
        throw new IllegalStateException("unsupported format " + target);
    }
  }
}
