package dev.voicebridge.kit.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.voicebridge.Voice;
import dev.voicebridge.VoicePage;
import dev.voicebridge.VoiceQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatalogsTest {
  @Test
  void languageNamesAndCodesBecomeLowerCaseCodes() {
    assertThat(Catalogs.languageCode("english")).isEqualTo("en");
    assertThat(Catalogs.languageCode("Hindi")).isEqualTo("hi");
    assertThat(Catalogs.languageCode("en-US")).isEqualTo("en-us");
    assertThat(Catalogs.languageCode("pt_BR")).isEqualTo("pt-br");
    assertThat(Catalogs.languageCode("deu")).isEqualTo("deu");
    assertThat(Catalogs.languageCode("Klingonese")).isNull();
    assertThat(Catalogs.languageCode(" ")).isNull();
  }

  @Test
  void queryStringsEncodeValuesAndSkipNulls() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("page_size", 10);
    p.put("token", null);
    p.put("search", "a b&c");
    assertThat(Catalogs.query(p)).isEqualTo("?page_size=10&search=a%20b%26c");
    assertThat(Catalogs.query(Map.of())).isEmpty();
  }

  @Test
  void aPageKeepsWhatPassesTheFiltersLeftToApply() {
    List<Voice> voices =
        List.of(
            Voice.builder("1", "Ava").languages("en").build(),
            Voice.builder("2", "Louis").languages("fr").description("bright").build());
    VoiceQuery q = VoiceQuery.builder().language("fr").search("bright").build();
    assertThat(Catalogs.page(q, voices, "n").voices()).as("search by name only").isEmpty();
    VoicePage p = Catalogs.page(Catalogs.searchedByServer(q), voices, "n");
    assertThat(p.voices()).extracting(Voice::id).containsExactly("2");
    assertThat(p.nextPageToken()).contains("n");
  }
}
