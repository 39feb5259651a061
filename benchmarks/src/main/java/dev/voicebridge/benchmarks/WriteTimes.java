package dev.voicebridge.benchmarks;

import dev.voicebridge.emulator.AudioTap;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The emulators' {@link AudioTap}: notes the {@link System#nanoTime()} at which each audio frame is
 * handed to the server for writing (after the emulator encoded it), so the added-latency benchmark
 * measures from the write, as its definition says, rather than from synthesis. The tap itself only
 * queues the array and the time; {@link #drain()} finds the stamps later, off the write path.
 */
final class WriteTimes implements AudioTap {
  private record Written(byte[] audio, long nanos) {}

  private final ConcurrentLinkedQueue<Written> queue = new ConcurrentLinkedQueue<>();

  @Override
  public void writing(String vendor, byte[] audio) {
    queue.add(new Written(audio, System.nanoTime()));
  }

  /**
   * Takes every frame written since the last call (the benchmark runs one session at a time, so
   * they form one audio stream) and gives, for each {@link StampVoice} stamp in it, the write time
   * of the frame that held the stamp's last byte.
   */
  Map<StampVoice.Key, Long> drain() {
    List<Written> frames = new ArrayList<>();
    for (Written w; (w = queue.poll()) != null; ) {
      frames.add(w);
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    long[] ends = new long[frames.size()];
    for (int i = 0; i < frames.size(); i++) {
      all.writeBytes(frames.get(i).audio());
      ends[i] = all.size();
    }
    Map<StampVoice.Key, Long> times = new HashMap<>();
    int[] frame = {0};
    StampVoice.scan(
        all.toByteArray(),
        (key, lastByte) -> {
          while (ends[frame[0]] <= lastByte) {
            frame[0]++;
          }
          times.putIfAbsent(key, frames.get(frame[0]).nanos());
        });
    return times;
  }
}
