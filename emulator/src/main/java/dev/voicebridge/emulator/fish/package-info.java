/** The fish emulator. */
package dev.voicebridge.emulator.fish;
