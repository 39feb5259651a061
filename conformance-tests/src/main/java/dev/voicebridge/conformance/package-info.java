/**
 * The conformance suite: {@link dev.voicebridge.conformance.StreamingSynthesizerContract}, its
 * fixture and helpers. Shipped as a normal jar for providers' tests (Voicebridge's own and
 * third-party plugins).
 */
package dev.voicebridge.conformance;
