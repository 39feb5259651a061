/**
 * Failover for applications: {@link dev.voicebridge.fallback.FallbackSynthesizer} tries an ordered
 * chain of synthesizers and moves a session to the next one when a provider fails before (or, by
 * option, during) its audio. See docs/failover.md.
 */
package dev.voicebridge.fallback;
