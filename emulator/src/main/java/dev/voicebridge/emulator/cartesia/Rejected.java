package dev.voicebridge.emulator.cartesia;

/** A request the emulator refuses, with the vendor's error. Carries no stack trace. */
final class Rejected extends Exception {
  private static final long serialVersionUID = 1L;

  final transient ApiError error;

  Rejected(ApiError error) {
    super(error.message(), null, false, false);
    this.error = error;
  }

  static Rejected invalid(String message) {
    return new Rejected(ApiError.invalid(message));
  }
}
