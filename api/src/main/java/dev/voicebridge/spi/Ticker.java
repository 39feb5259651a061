package dev.voicebridge.spi;

/** A source of {@code System.nanoTime}-like readings; tests inject a fake one. */
@FunctionalInterface
public interface Ticker {
  /** {@return the nanoseconds from an arbitrary origin, monotonic} */
  long nanoTime();

  /** {@return the system ticker} */
  static Ticker system() {
    return System::nanoTime;
  }
}
