package dev.voicebridge.emulator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The tone voice, recording the texts it is asked for and holding its second call until {@link
 * #open()} (at most 10 s): a test sees whether an emulator sent audio before it synthesized the
 * rest of a long text.
 */
public final class GatedVoice implements Voice {
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final CountDownLatch gate = new CountDownLatch(1);

  @Override
  public byte[] synthesize(String text, int sampleRate) {
    asked.add(text);
    if (asked.size() == 2) {
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Voice.tone().synthesize(text, sampleRate);
  }

  /** The texts asked for so far, in order. */
  public List<String> asked() {
    return List.copyOf(asked);
  }

  /** Lets the second call (and every later one) go on. */
  public void open() {
    gate.countDown();
  }
}
