/**
 * Local provider internals (not exported): the synthesizer, the FreeTTS engine and its worker
 * thread, the session backend and the audio conversion. Nothing here is API.
 */
package dev.voicebridge.local.internal;
