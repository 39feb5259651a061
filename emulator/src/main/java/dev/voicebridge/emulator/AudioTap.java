package dev.voicebridge.emulator;

/**
 * Observes the audio an emulator writes, at the moment it writes it: called on the writing thread
 * after the frame has been encoded in the vendor's wire format and immediately before its bytes are
 * handed to the server for writing. An instrument for benchmarks (the added-latency benchmark takes
 * its write times from here) and for debugging; the default does nothing.
 *
 * <p>Only the audio of normal frames is reported, not the bytes of injected faults. Must be fast
 * and thread-safe (sessions write concurrently), must not modify the array and must not throw.
 */
@FunctionalInterface
public interface AudioTap {
  /** A tap that does nothing. */
  AudioTap NONE = (vendor, audio) -> {};

  /**
   * The audio of one frame is about to be written.
   *
   * @param vendor the emulator's vendor ({@code fish}, {@code elevenlabs}, {@code smallest})
   * @param audio the frame's decoded audio bytes, as the client should receive them
   */
  void writing(String vendor, byte[] audio);
}
