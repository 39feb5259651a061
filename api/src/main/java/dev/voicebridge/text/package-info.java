/**
 * Text utilities for feeding speech synthesis from a language model's token stream.
 *
 * <p>Who it is for: provider adapters whose transport has no server-side text buffering (they cut
 * the token stream into sentences with {@link dev.voicebridge.text.SentenceSegmenter} and send one
 * request per segment), and applications that want to do the same before handing text to any
 * synthesizer.
 */
package dev.voicebridge.text;
