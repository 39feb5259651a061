package dev.voicebridge.spring.boot.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@code @SpringBootTest} class: starts the embedded emulators of Fish Audio, ElevenLabs and
 * Smallest AI on loopback ports the OS chooses, sets {@code voicebridge.<vendor>.base-url} and
 * {@code voicebridge.<vendor>.api-key} to them (ahead of every other property source), and
 * registers {@link VoicebridgeEmulators} as a bean to inject faults and read what the servers
 * received. The emulators live as long as the (cached) application context.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureVoicebridgeEmulator(provider = "fish")
 * class SpeechTest {
 *   @Autowired StreamingSynthesizer tts;
 *   @Autowired VoicebridgeEmulators emulators;
 *
 *   @Test
 *   void aVendorOutageIsAnError() {
 *     emulators.inject("fish", new Fault.HandshakeStatus(503, null));
 *     assertThatThrownBy(() -> tts.synthesize("Hi.").readAllAudio())
 *         .isInstanceOf(ProviderUnavailableException.class);
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface AutoConfigureVoicebridgeEmulator {

  /**
   * {@return the provider of the default synthesizer ({@code voicebridge.provider}) during the
   * test; empty keeps the application's}
   */
  String provider() default "";

  /**
   * Milliseconds of audio per emulated frame (10..2000).
   *
   * @return the milliseconds per frame
   */
  int frameMillis() default 100;
}
