package dev.voicebridge.cache;

import dev.voicebridge.AudioFormat;
import dev.voicebridge.WordTiming;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Phrases in a directory, one file per phrase named by the SHA-256 of its key ({@code
 * <digest>.phrase}). A file is written to a temporary name in the same directory and moved into
 * place atomically, so a reader sees a whole file or none. A file that cannot be read back whole
 * (wrong magic or version, a CRC-32 that does not match, a different key, a truncated record) is
 * ignored: the phrase is synthesized again and the file replaced. The directory is bounded: past
 * its bound, the phrases used least recently are deleted.
 */
final class DiskStore {
  private static final System.Logger LOG = System.getLogger("dev.voicebridge.cache");
  private static final int MAGIC = 0x56425043; // "VBPC"
  private static final int VERSION = 2; // 2: word timings carry their text offsets
  static final String SUFFIX = ".phrase";

  /** A temporary file older than this is left over from a crash, and deleted by the trim. */
  private static final Duration STALE_TEMP = Duration.ofHours(1);

  private final Path directory;
  private final long maxFileBytes;
  private final long maxDirectoryBytes;
  private long total = -1; // writer thread: the bytes of the phrase files, -1 until first scanned
  private long sinceCount; // writer thread: bytes written since the directory was last counted

  DiskStore(Path directory, long maxFileBytes, long maxDirectoryBytes) {
    this.directory = directory;
    this.maxFileBytes = maxFileBytes;
    this.maxDirectoryBytes = maxDirectoryBytes;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the phrase cache directory " + directory, e);
    }
  }

  Path fileOf(String key) {
    return directory.resolve(PhraseKey.digest(key) + SUFFIX);
  }

  /** The phrase stored for {@code key}, or null when there is none or its file is unusable. */
  Entry read(String key) {
    Path file = fileOf(key);
    byte[] bytes;
    try {
      if (Files.size(file) > maxFileBytes) {
        LOG.log(
            System.Logger.Level.DEBUG, () -> "phrase cache: " + file + " is too large; ignored");
        return null;
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "phrase cache: cannot read " + file + ": " + e);
      return null;
    }
    try {
      Entry e = decode(bytes, key);
      touch(file);
      return e;
    } catch (IOException | RuntimeException e) {
      LOG.log(
          System.Logger.Level.DEBUG,
          () -> "phrase cache: ignoring the unusable file " + file + ": " + e);
      return null;
    }
  }

  /**
   * Marks a phrase as used now (its file's modification time), so the trim keeps it over phrases
   * not used since. Best effort.
   */
  /** {@link #touch(Path)} of {@code key}'s file, for a phrase used from memory. */
  void touch(String key) {
    touch(fileOf(key));
  }

  private static void touch(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    } catch (IOException | RuntimeException e) {
      // read-only directory or file gone meanwhile: the phrase just ages as if unread
    }
  }

  /**
   * Writes {@code entry} atomically, then trims the directory to its bound. Called on one thread
   * (the cache's writer). Failures are logged: the cache is only an optimization.
   */
  void write(Entry entry) {
    Path target = fileOf(entry.key);
    Path tmp = null;
    try {
      byte[] bytes = encode(entry);
      if (bytes.length > maxDirectoryBytes) {
        LOG.log(
            System.Logger.Level.DEBUG,
            () ->
                "phrase cache: a phrase of "
                    + bytes.length
                    + " bytes is larger than the directory");
        return;
      }
      if (total < 0) {
        trim(); // the first write counts what earlier runs left
      }
      long replaced = sizeOrZero(target);
      tmp = Files.createTempFile(directory, ".tmp-", SUFFIX);
      Files.write(tmp, bytes);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
      total += bytes.length - replaced;
      sinceCount += bytes.length;
      // past the bound, or after a tenth of it written: counted again, so processes sharing the
      // directory see each other's files
      if (total > maxDirectoryBytes || sinceCount > maxDirectoryBytes / 10) {
        trim();
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "phrase cache: cannot write " + target + ": " + e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // left for the next cleaner; it is not read, having no .phrase name of a digest
        }
      }
    }
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** A phrase file and what the trim needs of it. */
  private record Stored(Path file, long bytes, FileTime used) {}

  /**
   * Counts the phrase files, deletes temporary files left by a crash, and, past the bound, deletes
   * the phrases used least recently (oldest modification time: written or read) until the directory
   * holds at most 90% of its bound, so that the next writes do not trim again at once. A phrase
   * larger than the bound is never written. Another process sharing the directory is counted at
   * each trim, and a trim runs at least after every tenth of the bound written.
   */
  private void trim() {
    List<Stored> files = new ArrayList<>();
    Instant staleBefore = Instant.now().minus(STALE_TEMP);
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        try {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          if (!a.isRegularFile()) {
            continue;
          }
          if (name.startsWith(".tmp-")) {
            if (a.lastModifiedTime().toInstant().isBefore(staleBefore)) {
              Files.deleteIfExists(p);
            }
          } else if (name.endsWith(SUFFIX)) {
            files.add(new Stored(p, a.size(), a.lastModifiedTime()));
          }
        } catch (IOException e) {
          // gone meanwhile (another process trims too): not counted
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "phrase cache: cannot list " + directory + ": " + e);
      total = 0;
      return;
    }
    long sum = 0;
    for (Stored f : files) {
      sum += f.bytes();
    }
    if (sum > maxDirectoryBytes) {
      files.sort(
          Comparator.comparing(Stored::used).thenComparing(f -> f.file().getFileName().toString()));
      long target = maxDirectoryBytes - maxDirectoryBytes / 10;
      int deleted = 0;
      for (Stored f : files) {
        if (sum <= target) {
          break;
        }
        try {
          Files.deleteIfExists(f.file());
          sum -= f.bytes();
          deleted++;
        } catch (IOException e) {
          LOG.log(
              System.Logger.Level.DEBUG,
              () -> "phrase cache: cannot delete " + f.file() + ": " + e);
        }
      }
      int n = deleted;
      long left = sum;
      LOG.log(
          System.Logger.Level.DEBUG,
          () ->
              "phrase cache: deleted "
                  + n
                  + " least recently used phrases; "
                  + left
                  + " bytes left in "
                  + directory);
    }
    total = sum;
    sinceCount = 0;
  }

  static byte[] encode(Entry e) throws IOException {
    ByteArrayOutputStream buf =
        new ByteArrayOutputStream((int) Math.min(e.audioBytes + 1024, 1 << 30));
    DataOutputStream out = new DataOutputStream(buf);
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    string(out, e.key);
    string(out, e.format.encoding().name());
    out.writeInt(e.format.sampleRate());
    out.writeInt(e.format.channels());
    out.writeInt(e.events.size());
    for (Entry.Event ev : e.events) {
      if (ev.audio() != null) {
        out.writeByte('A');
        out.writeInt(ev.audio().length);
        out.write(ev.audio());
      } else {
        WordTiming t = ev.timing();
        out.writeByte('W');
        string(out, t.word());
        out.writeLong(t.start().toNanos());
        out.writeLong(t.end().toNanos());
        out.writeBoolean(t.normalized());
        out.writeBoolean(t.estimated());
        out.writeInt(t.textStart());
        out.writeInt(t.textEnd());
      }
    }
    out.writeInt(e.warnings.size());
    for (String w : e.warnings) {
      string(out, w);
    }
    out.writeInt(e.attributes.size());
    for (Map.Entry<String, String> a : e.attributes.entrySet()) {
      string(out, a.getKey());
      string(out, a.getValue());
    }
    out.flush();
    CRC32 crc = new CRC32();
    crc.update(buf.toByteArray());
    out.writeLong(crc.getValue());
    out.flush();
    return buf.toByteArray();
  }

  static Entry decode(byte[] bytes, String expectedKey) throws IOException {
    if (bytes.length < 16) {
      throw new IOException("truncated (" + bytes.length + " bytes)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    long stored = 0;
    for (int i = bytes.length - 8; i < bytes.length; i++) {
      stored = (stored << 8) | (bytes[i] & 0xff);
    }
    if (crc.getValue() != stored) {
      throw new IOException("CRC-32 mismatch");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8));
    if (in.readInt() != MAGIC) {
      throw new IOException("not a phrase file");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("unknown version " + version);
    }
    String key = string(in);
    if (expectedKey != null && !key.equals(expectedKey)) {
      throw new IOException("the file holds another phrase");
    }
    AudioFormat format =
        new AudioFormat(AudioFormat.Encoding.valueOf(string(in)), in.readInt(), in.readInt());
    int n = count(in);
    List<Entry.Event> events = new ArrayList<>(Math.min(n, 4096));
    for (int i = 0; i < n; i++) {
      int type = in.readByte();
      if (type == 'A') {
        byte[] audio = new byte[count(in)];
        in.readFully(audio);
        events.add(Entry.Event.audio(audio));
      } else if (type == 'W') {
        String word = string(in);
        Duration start = Duration.ofNanos(in.readLong());
        Duration end = Duration.ofNanos(in.readLong());
        boolean normalized = in.readBoolean();
        boolean estimated = in.readBoolean();
        int textStart = in.readInt();
        int textEnd = in.readInt();
        events.add(
            Entry.Event.timing(
                new WordTiming(word, start, end, normalized, estimated, textStart, textEnd)));
      } else {
        throw new IOException("unknown event type " + type);
      }
    }
    int w = count(in);
    List<String> warnings = new ArrayList<>();
    for (int i = 0; i < w; i++) {
      warnings.add(string(in));
    }
    int a = count(in);
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 0; i < a; i++) {
      attributes.put(string(in), string(in));
    }
    if (in.available() != 0) {
      throw new IOException("trailing bytes");
    }
    return new Entry(key, format, events, warnings, attributes);
  }

  private static void string(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String string(DataInputStream in) throws IOException {
    byte[] b = new byte[count(in)];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static int count(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > in.available()) {
      throw new IOException("bad length " + n);
    }
    return n;
  }
}
