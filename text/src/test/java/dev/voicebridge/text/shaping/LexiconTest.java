package dev.voicebridge.text.shaping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LexiconTest {
  static final String FILE =
      String.join(
          "\n",
          "\uFEFF# Voicebridge lexicon",
          "nginx = engine x",
          "  SQL   =   sequel  ",
          "",
          "C++ = see plus plus",
          "[en-GB]",
          "route = root",
          "[en]",
          "route = rout",
          "tomato = tomayto",
          "[*]",
          "Voicebridge = voice bridge");

  @Test
  void aLowerCaseEntryMatchesAnyCaseAndACapitalisedOneOnlyItself() {
    Lexicon l = Lexicon.parse(FILE, "test.lex");
    assertThat(l.size()).isEqualTo(7);
    assertThat(l.lookup("nginx", null)).contains("engine x");
    assertThat(l.lookup("NGINX", null)).contains("engine x");
    assertThat(l.lookup("Nginx", null)).contains("engine x");
    assertThat(l.lookup("SQL", null)).contains("sequel");
    assertThat(l.lookup("sql", null)).isEmpty();
    assertThat(l.lookup("Sql", null)).isEmpty();
    assertThat(l.lookup("C++", null)).contains("see plus plus");
    assertThat(l.lookup("Voicebridge", "de")).contains("voice bridge");
  }

  @Test
  void theMostSpecificLanguageWins() {
    Lexicon l = Lexicon.parse(FILE, "test.lex");
    assertThat(l.lookup("route", null)).isEmpty();
    assertThat(l.lookup("route", "en")).contains("rout");
    assertThat(l.lookup("route", "en-US")).contains("rout");
    assertThat(l.lookup("route", "en_us")).contains("rout");
    assertThat(l.lookup("route", "en-GB")).contains("root");
    assertThat(l.lookup("tomato", "en-GB")).contains("tomayto");
    assertThat(l.lookup("route", "english")).isEmpty();
    assertThat(l.lookup("nginx", "fr")).contains("engine x");
  }

  @Test
  void anExactEntryBeatsALowerCaseOneInItsSection() {
    Lexicon l = Lexicon.builder().add("it", "eet").add("IT", "I T").build();
    assertThat(l.lookup("IT", null)).contains("I T");
    assertThat(l.lookup("It", null)).contains("eet");
  }

  @Test
  void problemsNameTheLine() {
    assertThatThrownBy(() -> Lexicon.parse("ok = fine\nno equals here", "my.lex"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("my.lex line 2: ")
        .hasMessageContaining("no '='");
    assertThatThrownBy(() -> Lexicon.parse("New York = NYC", "my.lex"))
        .hasMessageStartingWith("my.lex line 1: ")
        .hasMessageContaining("white space");
    assertThatThrownBy(() -> Lexicon.parse("a = b\n\n[en]\na = c\na = d", "my.lex"))
        .hasMessageStartingWith("my.lex line 5: ")
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> Lexicon.parse("= nothing", "my.lex")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Lexicon.parse("word =", "my.lex")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Lexicon.parse("[english language]", "my.lex"))
        .hasMessageContaining("not a language tag");
    assertThatThrownBy(() -> Lexicon.parse("[en", "my.lex")).hasMessageContaining("[language]");
  }

  @Test
  void loadsAFile(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("lexicon.txt");
    Files.writeString(f, FILE, StandardCharsets.UTF_8);
    assertThat(Lexicon.load(f).lookup("nginx", null)).contains("engine x");
    assertThatThrownBy(() -> Lexicon.load(dir.resolve("missing.txt")))
        .isInstanceOf(IOException.class);
  }
}
