/**
 * A Spring Boot web application that streams synthesized speech to the browser as chunked {@code
 * audio/wav} (docs/spring-boot.md). Not published.
 */
package dev.voicebridge.examples.spring;
