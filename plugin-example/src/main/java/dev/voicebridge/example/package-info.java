/**
 * The "example" provider, a small but complete plugin written the way a third party writes one:
 * {@link dev.voicebridge.example.ExampleProvider} (the ServiceLoader factory), a synthesizer that
 * turns each character into a short tone burst, and its session backend. Not exported: only {@code
 * provides} in module-info and {@code META-INF/services} make it visible. See docs/plugins.md.
 */
package dev.voicebridge.example;
