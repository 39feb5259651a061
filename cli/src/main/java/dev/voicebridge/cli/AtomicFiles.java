package dev.voicebridge.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Files that appear whole or not at all: written to a hidden temporary file beside the target, then
 * moved into place, replacing an existing file at once.
 */
final class AtomicFiles {
  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /** A fresh temporary name beside {@code target}: {@code .NAME.RANDOM.part}. */
  static Path temporaryFor(Path target) {
    Path abs = target.toAbsolutePath();
    return abs.resolveSibling(
        "." + abs.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".part");
  }

  /** Moves a completed temporary file into place. */
  static void moveIntoPlace(Path temporary, Path target) throws IOException {
    try {
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Writes {@code text} (UTF-8) to {@code target}, whole or not at all. */
  static void writeString(Path target, String text) throws IOException {
    Path tmp = temporaryFor(target);
    try {
      Files.writeString(
          tmp,
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      moveIntoPlace(tmp, target.toAbsolutePath());
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
