/** The {@code voicebridge} command line: speak, providers. Not an API. */
package dev.voicebridge.cli;
