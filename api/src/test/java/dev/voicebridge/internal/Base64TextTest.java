package dev.voicebridge.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-place base64 decoder agrees with the JDK's, and refuses what it does not handle. */
class Base64TextTest {

  @Test
  void decodesEveryLengthPaddedAndUnpaddedAsTheJdkDoes() {
    Random r = new Random(7);
    for (int n = 0; n < 200; n++) {
      byte[] audio = new byte[n];
      r.nextBytes(audio);
      for (String b64 :
          new String[] {
            Base64.getEncoder().encodeToString(audio),
            Base64.getEncoder().withoutPadding().encodeToString(audio)
          }) {
        String framed = "xx" + b64 + "yy";
        char[] chars = framed.toCharArray();
        byte[] bytes = framed.getBytes(StandardCharsets.US_ASCII);
        assertThat(Base64Text.decode(chars, 2, b64.length())).as(b64).isEqualTo(audio);
        assertThat(Base64Text.decode(bytes, 2, b64.length())).as(b64).isEqualTo(audio);
        assertThat(Base64Text.decode(framed, 2, b64.length())).as(b64).isEqualTo(audio);
      }
    }
  }

  @Test
  void refusesWhatIsNotPlainBase64() {
    for (String bad :
        new String[] {
          "A", "QUJD\nREVG", "QU=", "QUJ=D", "====", "QUJD-_", "QUJD\u00e9ABC", "QUJ\u0141", "Q===",
        }) {
      assertThat(Base64Text.decode(bad.toCharArray(), 0, bad.length())).as(bad).isNull();
      byte[] utf8 = bad.getBytes(StandardCharsets.UTF_8);
      assertThat(Base64Text.decode(utf8, 0, utf8.length)).as(bad).isNull();
      assertThat(Base64Text.decode(bad, 0, bad.length())).as(bad).isNull();
    }
  }

  @Test
  void findsTheFirstQuoteOrBackslashAtAnyPosition() {
    for (int len = 0; len < 40; len++) {
      for (int at = 0; at < len; at++) {
        for (byte mark : new byte[] {'"', '\\'}) {
          byte[] a = new byte[len + 3];
          java.util.Arrays.fill(a, (byte) 'A');
          a[3 + at] = mark;
          if (at + 2 < len) {
            a[3 + at + 2] = '"';
          }
          assertThat(Base64Text.quoteOrBackslash(a, 3, a.length)).isEqualTo(3 + at);
        }
      }
      byte[] none = new byte[len];
      java.util.Arrays.fill(none, (byte) 0xA2); // high bytes that are neither
      assertThat(Base64Text.quoteOrBackslash(none, 0, len)).isEqualTo(-1);
    }
  }
}
