package dev.voicebridge.cli;

/** Stands in for the command line in {@link LauncherTest}'s fake build. */
final class LauncherProbe {
  private LauncherProbe() {}

  /** Says it ran, with its arguments. */
  public static void main(String[] args) {
    System.out.println("probe ran " + String.join(" ", args));
  }
}
