package dev.voicebridge.conformance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures everything the library could print while it is open: {@code System.out}, {@code
 * System.err} (still written through) and every {@code java.util.logging} record at level ALL (its
 * message, parameters and stack trace), for the rule that looks for the API key in them.
 */
final class OutputCapture implements AutoCloseable {
  private final PrintStream oldOut = System.out;
  private final PrintStream oldErr = System.err;
  private final ByteArrayOutputStream streams = new ByteArrayOutputStream();
  private final List<String> logged = new ArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Level oldLevel = root.getLevel();
  private final Handler handler;

  OutputCapture() {
    System.setOut(new PrintStream(new Tee(oldOut, streams), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(oldErr, streams), true, StandardCharsets.UTF_8));
    handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            StringBuilder b = new StringBuilder().append(r.getLoggerName()).append(": ");
            b.append(r.getMessage());
            if (r.getParameters() != null) {
              for (Object p : r.getParameters()) {
                b.append(" | ").append(p);
              }
            }
            if (r.getThrown() != null) {
              b.append(" | ").append(stackTrace(r.getThrown()));
            }
            synchronized (logged) {
              logged.add(b.toString());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    handler.setLevel(Level.ALL);
    root.setLevel(Level.ALL);
    root.addHandler(handler);
  }

  /**
   * What was captured so far: the standard streams and the log records. Checks first that the
   * capture works (a FINE record of some logger reaches it), so an empty capture cannot pass.
   */
  List<String> texts() {
    Logger.getLogger("dev.voicebridge.conformance.capture").fine("capture-check");
    System.out.flush();
    System.err.flush();
    List<String> out = new ArrayList<>();
    synchronized (logged) {
      out.addAll(logged);
    }
    if (out.stream().noneMatch(s -> s.contains("capture-check"))) {
      throw new AssertionError("the log capture does not work: a FINE record did not reach it");
    }
    synchronized (streams) {
      out.add(streams.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  /** A throwable as {@code printStackTrace} prints it (with causes and suppressed ones). */
  static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  @Override
  public void close() {
    root.removeHandler(handler);
    root.setLevel(oldLevel);
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  /** Writes to the original stream and to the capture buffer. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final ByteArrayOutputStream b;

    Tee(OutputStream a, ByteArrayOutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
      a.write(x);
      synchronized (b) {
        b.write(x);
      }
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      synchronized (b) {
        b.write(buf, off, len);
      }
    }
  }
}
