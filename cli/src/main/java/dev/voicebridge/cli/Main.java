package dev.voicebridge.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code voicebridge} command. */
@Command(
    name = "voicebridge",
    mixinStandardHelpOptions = true,
    version = "voicebridge 0.1.0-SNAPSHOT",
    description = "Provider-neutral streaming text-to-speech.",
    subcommands = {
      SpeakCommand.class,
      ProvidersCommand.class,
      EmulateCommand.class,
      CompareCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  /** Exit code for a failed synthesis. */
  static final int FAILED = 1;

  /** Exit code for bad input or configuration. */
  static final int USAGE = 2;

  private Main() {}

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /**
   * Runs the command line with the given streams; returns the exit code (for tests).
   *
   * @param args the command line
   * @param out where results go (standard output)
   * @param err where errors and progress go (standard error)
   * @return the exit code: 0 on success, 1 for a failed synthesis, 2 for usage and configuration
   *     errors
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
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
    return cl.execute(args);
  }
}
