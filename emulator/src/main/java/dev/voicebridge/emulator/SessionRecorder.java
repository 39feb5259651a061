package dev.voicebridge.emulator;

import dev.voicebridge.spi.conformance.ServerRecord;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an emulator saw and did in one session, recorded as it happens. Thread-safe; {@link
 * #snapshot()} gives the immutable {@link ServerRecord} that {@code ServerControl.sessions()}
 * returns.
 */
public final class SessionRecorder {
  private final int connection;
  private final Map<String, List<String>> headers;
  private final StringBuilder text = new StringBuilder();
  private final List<String> frames = new ArrayList<>();
  private final MessageDigest digest;
  private final List<String> prefixes = new ArrayList<>();
  private int textMessages;
  private int flushes;
  private boolean finished;
  private int audioFrames;
  private long audioBytes;
  private boolean completed;
  private final Map<String, String> notes = new LinkedHashMap<>();

  /**
   * A recorder for a session on connection {@code connection}.
   *
   * @param headers the request or handshake headers; names are lower-cased here
   * @param connection the id of the connection the session runs on
   */
  public SessionRecorder(int connection, Map<String, List<String>> headers) {
    this.connection = connection;
    Map<String, List<String>> h = new LinkedHashMap<>();
    if (headers != null) {
      headers.forEach(
          (k, v) ->
              h.computeIfAbsent(k.toLowerCase(Locale.ROOT), x -> new ArrayList<>())
                  .addAll(v == null ? List.of() : v));
    }
    h.replaceAll((k, v) -> List.copyOf(v));
    this.headers = Map.copyOf(h);
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    prefixes.add(currentSha());
  }

  /** {@return the connection id} */
  public int connection() {
    return connection;
  }

  /**
   * Appends text the client sent (empty text is recorded as a frame only, not as a message).
   *
   * @param t the text as the client sent it
   */
  public synchronized void text(String t) {
    if (t != null && !t.isEmpty()) {
      text.append(t);
      textMessages++;
    }
  }

  /** Records a flush. */
  public synchronized void flush() {
    flushes++;
  }

  /** Records that the client signalled the end of its input. */
  public synchronized void finished() {
    finished = true;
  }

  /**
   * Records a client frame, decoded to a readable string.
   *
   * @param decoded the frame as readable text
   */
  public synchronized void frame(String decoded) {
    frames.add(decoded);
  }

  /**
   * Records an audio frame sent: its decoded audio bytes (what the client should end up with).
   *
   * @param decodedBytes the audio bytes, decoded from the frame
   */
  public synchronized void audioSent(byte[] decodedBytes) {
    audioFrames++;
    audioBytes += decodedBytes.length;
    digest.update(decodedBytes);
    prefixes.add(currentSha());
  }

  private String currentSha() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Notes a vendor-specific fact about the session that {@link ServerRecord} has no field for (for
   * example the effective model); see {@link EmulatorControl#sessionNotes()}.
   *
   * @param key the fact's name
   * @param value its value
   */
  public synchronized void note(String key, String value) {
    notes.put(key, value);
  }

  /** {@return a copy of the notes} */
  public synchronized Map<String, String> notes() {
    return Map.copyOf(notes);
  }

  /** Records that the server sent its completion signal. */
  public synchronized void completed() {
    completed = true;
  }

  /** {@return whether {@link #completed()} was called} */
  public synchronized boolean isCompleted() {
    return completed;
  }

  /** {@return the number of audio frames sent so far} */
  public synchronized int audioFramesSent() {
    return audioFrames;
  }

  /** {@return an immutable copy of the record so far} */
  public synchronized ServerRecord snapshot() {
    return new ServerRecord(
        connection,
        text.toString(),
        textMessages,
        flushes,
        finished,
        audioFrames,
        audioBytes,
        prefixes.get(prefixes.size() - 1),
        prefixes,
        completed,
        headers,
        frames);
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }
}
