/**
 * The Voicebridge API, for applications: {@link dev.voicebridge.StreamingSynthesizer}, its sessions
 * and events, formats, options, reports, configuration and the error tree. Start with {@link
 * dev.voicebridge.StreamingSynthesizers#fromConfig()}.
 */
package dev.voicebridge;
