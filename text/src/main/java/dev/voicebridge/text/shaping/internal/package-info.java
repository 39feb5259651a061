/**
 * The streaming transforms and the word alignment behind {@link
 * dev.voicebridge.text.shaping.TextShaping}. Not exported and not an API: anything here may change
 * in any release.
 */
package dev.voicebridge.text.shaping.internal;
