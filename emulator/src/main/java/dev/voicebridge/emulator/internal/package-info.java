/**
 * Machinery the vendor emulators share (the Jetty server with connection counting). Not exported:
 * subject to change without notice.
 */
package dev.voicebridge.emulator.internal;
