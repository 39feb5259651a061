/**
 * How the live check runs its rules, decodes audio, keeps to its budget and writes its JSON. Not
 * exported: applications use {@link dev.voicebridge.check.LiveCheck}.
 */
package dev.voicebridge.check.internal;
