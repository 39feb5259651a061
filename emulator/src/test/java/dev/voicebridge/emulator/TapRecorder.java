package dev.voicebridge.emulator;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;

/** An {@link AudioTap} for tests: keeps every tapped byte and the vendors that wrote them. */
public final class TapRecorder implements AudioTap {
  private final ByteArrayOutputStream audio = new ByteArrayOutputStream();
  private final Set<String> vendors = new LinkedHashSet<>();

  @Override
  public synchronized void writing(String vendor, byte[] bytes) {
    vendors.add(vendor);
    audio.writeBytes(bytes);
  }

  /** Forgets what was tapped so far. */
  public synchronized void clear() {
    audio.reset();
    vendors.clear();
  }

  /** The vendors that wrote audio since {@link #clear()}. */
  public synchronized Set<String> vendors() {
    return Set.copyOf(vendors);
  }

  /** The SHA-256 (hex) of all audio tapped since {@link #clear()}, in tap order. */
  public synchronized String sha256() {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(audio.toByteArray()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
