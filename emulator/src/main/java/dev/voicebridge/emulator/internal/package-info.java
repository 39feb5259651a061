/**
 * Machinery the vendor emulators share: the Jetty server with connection counting ({@link
 * dev.voicebridge.emulator.internal.EmulatorServer}), the error close ({@link
 * dev.voicebridge.emulator.internal.ErrorClose}), and the fault engine: {@link
 * dev.voicebridge.emulator.internal.FaultPlan} decides when an injected fault fires, each vendor
 * supplies its frames ({@link dev.voicebridge.emulator.internal.FaultFrames}) and its refusal
 * ({@link dev.voicebridge.emulator.internal.Refusal}), and {@link
 * dev.voicebridge.emulator.internal.WireFaults} holds the mechanics every vendor shares. Not
 * exported: subject to change without notice.
 */
package dev.voicebridge.emulator.internal;
