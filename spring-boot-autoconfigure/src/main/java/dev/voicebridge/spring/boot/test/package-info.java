/**
 * The emulator test slice, for an application's own tests: {@link
 * dev.voicebridge.spring.boot.test.AutoConfigureVoicebridgeEmulator} starts the vendors' emulators
 * on loopback, points the {@code voicebridge.*} properties at them and exposes their control
 * ({@link dev.voicebridge.spring.boot.test.VoicebridgeEmulators}) as a bean, so a
 * {@code @SpringBootTest} runs offline and can inject a vendor fault. Needs {@code
 * voicebridge-emulator} on the test class path.
 */
package dev.voicebridge.spring.boot.test;
