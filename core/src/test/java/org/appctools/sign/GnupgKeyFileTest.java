package org.appctools.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GnupgKeyFileTest {
  private static String canonical(String file) throws IOException {
    return new String(GnupgKeyFile.canonicalKey(file.getBytes(StandardCharsets.ISO_8859_1)),
        StandardCharsets.ISO_8859_1);
  }

  @Test
  void canonicalKey_quotedBinarySaltAsGnupgWritesIt_everyByteKept() throws Exception {
    // as GnuPG 2.2 wrote a protected Ed25519 key whose salt looked printable (Latin-1 bytes, an
    // escaped carriage return), hex wrapped onto the next line
    String file = "Created: 20261129T043059\n"
        + "Key: (protected-private-key (ecc (curve Ed25519)(flags eddsa)(q\n"
        + "  #4068E741#)\n"
        + " (protected openpgp-s2k3-ocb-aes ((sha1 \"6Vv5\\rf.\u00dd\u00fe\"\n"
        + "  \"323416064\")#0E64FF41#)#A0D5\n"
        + " 65D6#)(protected-at \"20261129T043059\")))\n";

    assertThat(canonical(file)).isEqualTo("(21:protected-private-key(3:ecc(5:curve7:Ed25519)(5:flags5:eddsa)"
        + "(1:q4:\u0040\u0068\u00e7\u0041)(9:protected20:openpgp-s2k3-ocb-aes((4:sha19:6Vv5\rf.\u00dd\u00fe"
        + "9:323416064)4:\u000e\u0064\u00ff\u0041)4:\u00a0\u00d5\u0065\u00d6)"
        + "(12:protected-at15:20261129T043059)))");
  }

  @Test
  void canonicalKey_everyEscapeAndEncoding() throws Exception {
    String file = "Key: (a \"\\b\\t\\v\\n\\f\\r\\\"\\'\\\\\\101\\x42\\\n C\" |QUJD\n REVG| 3:x y [hint]tok 4\"abcd\"\n"
        + " \"wrapped \n string\")\n"
        + "Label: ignored\n";

    assertThat(canonical(file)).isEqualTo("(1:a12:\b\t\u000b\n\f\r\"'\\ABC6:ABCDEF3:x y[4:hint]3:tok4:abcd14:wrapped string)");
  }

  @Test
  void canonicalKey_oldFormat_asItIs() throws Exception {
    String old = "(11:private-key(3:ecc(5:curve7:Ed25519)))";
    assertThat(canonical(old)).isEqualTo(old);
  }

  @Test
  void canonicalKey_damaged_failsNamingTheOffset() {
    assertThatThrownBy(() -> canonical("Created: 1\n")).hasMessage("key file: no Key: item");
    assertThatThrownBy(() -> canonical("Key: (a \"open\n")).hasMessage("key file: unterminated quoted string at offset 9 of the key");
    assertThatThrownBy(() -> canonical("Key: (a #ABC#)\n")).hasMessageStartingWith("key file: odd number of hex digits");
    assertThatThrownBy(() -> canonical("Key: (a \"\\q\")\n")).hasMessageStartingWith("key file: unknown escape \\q");
    assertThatThrownBy(() -> canonical("Key: (a 99:short)\n")).hasMessageStartingWith("key file: verbatim string longer than the file");
  }
}
