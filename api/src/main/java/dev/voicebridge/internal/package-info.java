/**
 * Implementation details shared with Voicebridge's own modules only (exported to named friend
 * modules). Not an API: anything here may change in any release.
 */
package dev.voicebridge.internal;
