/**
 * A phrase cache for any synthesizer: {@link dev.voicebridge.cache.CachingSynthesizer} keeps the
 * audio and word timings of whole phrases in a {@link dev.voicebridge.cache.PhraseCache} (memory
 * bounded in bytes, optionally a directory) and replays them at once; concurrent requests for the
 * same phrase synthesize once; {@link dev.voicebridge.cache.PhraseCache#replayer} speaks only what
 * the cache holds, as the last tier of a {@link dev.voicebridge.fallback.FallbackSynthesizer}.
 */
package dev.voicebridge.cache;
