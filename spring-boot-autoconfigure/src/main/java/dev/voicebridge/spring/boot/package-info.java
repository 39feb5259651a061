/**
 * Spring Boot auto-configuration of Voicebridge: {@code voicebridge.*} properties, the {@link
 * dev.voicebridge.StreamingSynthesizer} beans (one selected by {@code voicebridge.provider}, named
 * ones and a fallback chain), the Micrometer instrumentation when Micrometer is present, a health
 * indicator per synthesizer and the sanitizing of secrets in actuator endpoints. See
 * docs/spring-boot.md.
 */
package dev.voicebridge.spring.boot;
