/**
 * The server-control contract of the conformance suite (faults and records), for emulators and for
 * third-party providers that bring their own test server. Plain Java, no test libraries.
 */
package dev.voicebridge.spi.conformance;
