package dev.voicebridge.kit.http;

import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import dev.voicebridge.kit.HttpErrorMapper;
import dev.voicebridge.kit.NetworkSettings;
import dev.voicebridge.spi.VoiceCatalogCache;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What a provider's voice catalog ({@link dev.voicebridge.StreamingSynthesizer#voices(VoiceQuery)})
 * is built from: the cache configured by the shared {@code voices-cache-ttl} key, a GET of the
 * vendor's JSON catalog through {@link HttpExchange} (errors mapped by the vendor's mapper, the
 * body capped), query strings, and the filters the vendor does not apply itself.
 */
public final class Catalogs {
  /** The largest catalog answer read: 16 MiB (a page of 100 ElevenLabs voices is about 1 MiB). */
  public static final int MAX_BYTES = 16 << 20;

  private static final java.util.Set<String> ISO3 = iso3();

  private Catalogs() {}

  private static java.util.Set<String> iso3() {
    java.util.Set<String> codes = new java.util.HashSet<>();
    for (String c : Locale.getISOLanguages()) {
      try {
        codes.add(new Locale(c).getISO3Language());
      } catch (java.util.MissingResourceException e) {
        // no three-letter code
      }
    }
    return java.util.Set.copyOf(codes);
  }

  /**
   * The cache of a synthesizer's catalog: {@code voices-cache-ttl} of {@code network}, its ticker,
   * and the redactor of its secrets.
   *
   * @param fetch the fetch
   * @param network the network
   * @return the cache of a synthesizer's catalog: {@code voices-cache-ttl} of {@code network}, its
   *     ticker, and the redactor of its secrets
   */
  public static VoiceCatalogCache cache(
      NetworkSettings network, Function<VoiceQuery, CompletionStage<VoicePage>> fetch) {
    return new VoiceCatalogCache(
        network.get(VoiceCatalogCache.TTL),
        network.sessions().ticker(),
        network.sessions().redactor(),
        fetch);
  }

  /**
   * Whether a {@code Content-Type} can be a JSON answer (JSON, or none said).
   *
   * @param contentType the content type
   * @return whether a {@code Content-Type} can be a JSON answer (JSON, or none said)
   */
  public static boolean isJson(String contentType) {
    String t = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).strip();
    return t.isEmpty() || t.contains("json");
  }

  /**
   * Sends {@code request} (a GET with the vendor's headers and a timeout) and reads its JSON answer
   * whole, at most {@link #MAX_BYTES}.
   *
   * @param errors the errors
   * @param network the network
   * @param request the request
   * @return the body; fails with the api's exceptions ({@code errors} reads an error status; an
   *     answer that is not JSON is a {@link dev.voicebridge.ProtocolException})
   */
  public static CompletableFuture<byte[]> get(
      NetworkSettings network, HttpRequest request, HttpErrorMapper errors) {
    return HttpExchange.fetch(network.httpOptions(errors, Catalogs::isJson), request, MAX_BYTES);
  }

  /**
   * A query string of {@code params} in their order, {@code ?} first, each value URL-encoded; null
   * values are left out; empty when none is left.
   *
   * @param params the params
   * @return a query string of {@code params} in their order, {@code ?} first, each value
   *     URL-encoded; null values are left out; empty when none is left
   */
  public static String query(Map<String, ?> params) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, ?> e : params.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      sb.append(sb.length() == 0 ? '?' : '&')
          .append(encode(e.getKey()))
          .append('=')
          .append(encode(String.valueOf(e.getValue())));
    }
    return sb.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * The page of {@code voices} that pass {@code query}'s filters ({@link VoiceQuery#matches}), for
   * filters the vendor does not apply on its server.
   *
   * @param nextPageToken the next page token
   * @param query the query
   * @param voices the voices
   * @return the page of {@code voices} that pass {@code query}'s filters ({@link
   *     VoiceQuery#matches}), for filters the vendor does not apply on its server
   */
  public static VoicePage page(VoiceQuery query, List<Voice> voices, String nextPageToken) {
    List<Voice> kept = new ArrayList<>(voices.size());
    for (Voice v : voices) {
      if (query.matches(v)) {
        kept.add(v);
      }
    }
    return VoicePage.of(kept, nextPageToken);
  }

  /**
   * {@code query} without its search, for the filters left to apply to a page whose vendor searched
   * already (it may match more than names: descriptions, tags).
   *
   * @param query the query
   * @return {@code query} without its search, for the filters left to apply to a page whose vendor
   *     searched already (it may match more than names: descriptions, tags)
   */
  public static VoiceQuery searchedByServer(VoiceQuery query) {
    return query.search().isPresent() ? query.toBuilder().search(null).build() : query;
  }

  /**
   * The ISO 639-1 code of a language the vendor names in English ({@code english}, {@code Hindi}),
   * a code it gives already ({@code en}, {@code en-US}) lower-cased, or null for a name no locale
   * has.
   *
   * @param nameOrCode the name or code
   * @return the ISO 639-1 code of a language the vendor names in English ({@code english}, {@code
   *     Hindi}), a code it gives already ({@code en}, {@code en-US}) lower-cased, or null for a
   *     name no locale has
   */
  public static String languageCode(String nameOrCode) {
    if (nameOrCode == null || nameOrCode.isBlank()) {
      return null;
    }
    String s = nameOrCode.strip();
    if (s.matches("[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*")) {
      String code = s.replace('_', '-').toLowerCase(Locale.ROOT);
      String primary = code.split("-", 2)[0];
      if (primary.length() == 2 || ISO3.contains(primary)) {
        return code;
      }
    }
    for (String code : Locale.getISOLanguages()) {
      if (new Locale(code).getDisplayLanguage(Locale.ENGLISH).equalsIgnoreCase(s)) {
        return code;
      }
    }
    return null;
  }
}
