/**
 * The provider kit's settings and errors, for authors of network providers (Voicebridge's own and
 * third-party plugins): the configuration keys every network provider shares ({@link
 * dev.voicebridge.kit.NetworkKeys}) resolved at once into {@link
 * dev.voicebridge.kit.NetworkSettings} with the base-URL rules of {@link
 * dev.voicebridge.kit.Endpoints}; the mapping of HTTP statuses ({@link
 * dev.voicebridge.kit.HttpErrors}) and of the JDK's connection failures ({@link
 * dev.voicebridge.kit.Failures}) to the api's exception tree, with messages that name the host and
 * never a secret.
 *
 * <p>The transport itself is in {@code dev.voicebridge.kit.ws} (WebSockets) and {@code
 * dev.voicebridge.kit.http} (streaming HTTP, SSE, NDJSON). docs/plugins.md shows how an adapter is
 * built from them.
 */
package dev.voicebridge.kit;
