package dev.voicebridge.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process, with its own stdin, and keeps what it printed. */
final class Cli {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();
  final StopSignal stop = new StopSignal();
  private final InputStream in;

  Cli(InputStream in) {
    this.in = in;
  }

  Cli() {
    this(InputStream.nullInputStream());
  }

  static Cli withStdin(String text) {
    return new Cli(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  int run(String... args) {
    return Main.run(args, in, new PrintWriter(out, true), new PrintWriter(err, true), stop);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /** Everything printed, for assertions that something appears nowhere. */
  String all() {
    return out + "\n" + err;
  }
}
