package dev.voicebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The command line in a child JVM (its main class on this test's class path), for what only a
 * process shows: signals, exit statuses, what SLF4J prints on a fresh JVM's stderr.
 */
final class ChildCli implements AutoCloseable {
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  final Process process;
  private final Lines out;
  private final Lines err;

  private ChildCli(Process process) {
    this.process = process;
    this.out = new Lines(process.getInputStream(), "voicebridge-test-child-out");
    this.err = new Lines(process.getErrorStream(), "voicebridge-test-child-err");
  }

  /** Starts {@code Main} with {@code args} in {@code dir}; SIGINT reaches it when possible. */
  static ChildCli start(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (Signals.canRestoreSigint()) {
      cmd.addAll(List.of("env", "--default-signal=INT"));
    }
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ChildCli(new ProcessBuilder(cmd).directory(dir.toFile()).start());
  }

  OutputStream stdin() {
    return process.getOutputStream();
  }

  String awaitOut(Predicate<String> line) throws InterruptedException {
    return out.await(line, PATIENCE, this);
  }

  String awaitErr(Predicate<String> line) throws InterruptedException {
    return err.await(line, PATIENCE, this);
  }

  /** Waits for the exit and for both streams to be read to their end; returns the status. */
  int awaitExit() throws InterruptedException {
    assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .as("the child exited; stderr: %s", err.text())
        .isTrue();
    out.join();
    err.join();
    return process.exitValue();
  }

  String out() {
    return out.text();
  }

  String err() {
    return err.text();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
    out.join();
    err.join();
  }

  /** Every line of one stream, read by a named thread. */
  private static final class Lines {
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;
    private boolean ended;

    Lines(InputStream in, String name) {
      reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    add(line);
                  }
                } catch (IOException e) {
                  add("(read failed: " + e + ")");
                } finally {
                  end();
                }
              },
              name);
      reader.setDaemon(true);
      reader.start();
    }

    private synchronized void add(String line) {
      lines.add(line);
      notifyAll();
    }

    private synchronized void end() {
      ended = true;
      notifyAll();
    }

    synchronized String await(Predicate<String> match, Duration timeout, ChildCli child)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      int seen = 0;
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (match.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (ended || left <= 0) {
          throw new AssertionError(
              (ended ? "the stream ended" : "timed out")
                  + " before the expected line; stdout: "
                  + child.out()
                  + "\nstderr: "
                  + child.err());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    synchronized String text() {
      return String.join("\n", lines);
    }

    void join() throws InterruptedException {
      reader.join(PATIENCE.toMillis());
    }
  }

  /** What this machine lets a test do with SIGINT. */
  static final class Signals {
    private static Boolean restorable;

    private Signals() {}

    /**
     * Whether a child can be given the default SIGINT handling even when this process ignores
     * SIGINT (a background job of a non-interactive shell does): GNU env's {@code
     * --default-signal}.
     */
    static synchronized boolean canRestoreSigint() {
      if (restorable == null) {
        try {
          Process p =
              new ProcessBuilder("env", "--default-signal=INT", "true")
                  .redirectErrorStream(true)
                  .start();
          p.getInputStream().transferTo(OutputStream.nullOutputStream());
          restorable = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
          restorable = false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          restorable = false;
        }
      }
      return restorable;
    }

    /** Whether SIGINT sent to a child started by {@link ChildCli#start} reaches its JVM. */
    static boolean sigintReachesChild() throws IOException {
      return canRestoreSigint() || !ignoredHere(2);
    }

    private static boolean ignoredHere(int signal) throws IOException {
      Path status = Path.of("/proc/self/status");
      if (!Files.isReadable(status)) {
        return false;
      }
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("SigIgn:")) {
          long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          return (mask & (1L << (signal - 1))) != 0;
        }
      }
      return false;
    }

    /** Sends {@code kill -SIGNAL pid}. */
    static void send(Process p, String signal) throws IOException, InterruptedException {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
      assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(kill.exitValue()).as("kill -%s", signal).isZero();
    }
  }
}
