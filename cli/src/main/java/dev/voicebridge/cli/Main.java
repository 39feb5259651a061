package dev.voicebridge.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code voicebridge} command. */
@Command(
    name = "voicebridge",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Provider-neutral streaming text-to-speech.",
    subcommands = {
      SpeakCommand.class,
      ProvidersCommand.class,
      VoicesCommand.class,
      EmulateCommand.class,
      CompareCommand.class,
      CheckCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Callable<Integer> {

  /** Exit code for a failed synthesis. */
  static final int FAILED = 1;

  /** Exit code for bad input or configuration. */
  static final int USAGE = 2;

  /** Exit code after Ctrl-C (128 + SIGINT), as a shell reports it. */
  static final int INTERRUPTED = 130;

  /** How long Ctrl-C waits for a running command to finish its output. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  @Spec CommandSpec spec;

  private final InputStream in;
  private final PrintWriter rawOut;
  private final StopSignal stop;
  private final Redactor redactor;

  private Main(InputStream in, PrintWriter rawOut, StopSignal stop, Redactor redactor) {
    this.in = in;
    this.rawOut = rawOut;
    this.stop = stop;
    this.redactor = redactor;
  }

  /**
   * Runs the command line and exits with its code. Ctrl-C (or SIGTERM) stops a running command
   * through a shutdown hook, which waits until the command has finished its output.
   *
   * @param args the args
   */
  public static void main(String[] args) {
    StopSignal stop = new StopSignal();
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> stop.trigger(STOP_GRACE), "voicebridge-stop"));
    int code =
        run(
            args,
            System.in,
            new PrintWriter(System.out, true),
            new PrintWriter(System.err, true),
            stop);
    System.out.flush();
    System.err.flush();
    System.exit(code);
  }

  /**
   * Runs the command line with the given streams and standard input; returns the exit code.
   *
   * @param args the args
   * @param out where to write
   * @param err the err
   * @return the exit code: 0 on success, 1 for a failed synthesis, 2 for usage and configuration
   *     errors
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, System.in, out, err, new StopSignal());
  }

  /**
   * Runs the command line: {@code in} is its standard input, {@code stop} stands for Ctrl-C.
   * Everything it prints passes a {@link Redactor} that masks secret values.
   */
  static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err, StopSignal stop) {
    Logging.configure(java.util.Arrays.asList(args).contains("--verbose"));
    Redactor redactor = Redactor.forProviders();
    redactor.learnArguments(args);
    PrintWriter safeOut = new PrintWriter(redactor.writer(out), true);
    PrintWriter safeErr = new PrintWriter(redactor.writer(err), true);
    CommandLine cl = new CommandLine(new Main(in, out, stop, redactor));
    cl.setOut(safeOut);
    cl.setErr(safeErr);
    cl.setParameterExceptionHandler(Main::usageError);
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean verbose =
              commandLine.getParseResult() != null
                  && commandLine.getParseResult().hasMatchedOption("--verbose");
          commandLine.getErr().println("voicebridge: " + Errors.describe(ex));
          if (verbose) {
            ex.printStackTrace(commandLine.getErr());
          }
          commandLine.getErr().flush();
          return Errors.exitCode(ex);
        });
    try {
      return cl.execute(args);
    } finally {
      safeOut.flush();
      safeErr.flush();
    }
  }

  /** A command line picocli cannot parse: one line, and where to find help. */
  private static int usageError(CommandLine.ParameterException ex, String[] args) {
    CommandLine c = ex.getCommandLine();
    StringBuilder line = new StringBuilder("voicebridge: ").append(ex.getMessage().strip());
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        line.append(" (did you mean ").append(String.join(" or ", suggestions)).append("?)");
      }
    }
    line.append("; see '").append(c.getCommandSpec().qualifiedName()).append(" --help'");
    c.getErr().println(line.toString().replaceAll("\\s*\\R\\s*", " "));
    c.getErr().flush();
    return USAGE;
  }

  /** {@code voicebridge} alone: the usage, as an error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return USAGE;
  }

  /** Standard input. */
  InputStream in() {
    return in;
  }

  /** Standard output without redaction, for what is meant to be copied (the emulators' key). */
  PrintWriter rawOut() {
    return rawOut;
  }

  /** Stands for Ctrl-C. */
  StopSignal stop() {
    return stop;
  }

  /** Masks secrets in what the command line prints and writes. */
  Redactor redactor() {
    return redactor;
  }
}
