package dev.voicebridge;

/** What a session delivers to the application, in order: audio and, where known, word timings. */
public sealed interface SynthesisEvent permits AudioChunk, WordTiming {}
