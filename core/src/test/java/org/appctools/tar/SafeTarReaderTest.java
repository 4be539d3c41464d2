package org.appctools.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class SafeTarReaderTest {
  /** cap_setuid+ep: a 0x80 byte, not UTF-8. */
  private static final byte[] CAPABILITY = {1, 0, 0, 2, (byte) 0x80, 0, 0, 0, (byte) 0x80, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0};

  @Test
  void next_binaryXattr_readExactly() throws IOException {
    TreeMap<String, byte[]> x = new TreeMap<>();
    x.put("security.capability", CAPABILITY);
    byte[] tar = tar(w -> w.file("ping", new TarMeta(0755, 0, 0, 0, x), new byte[] {1}));
    try (SafeTarReader r = new SafeTarReader(new ByteArrayInputStream(tar))) {
      assertThat(r.next().xattrs().get("security.capability")).isEqualTo(CAPABILITY);
      assertThat(r.next()).isNull();
    }
  }

  @Test
  void next_truncatedGzipUnder_classifiedAsTruncated() throws IOException {
    byte[] content = new byte[300_000];
    new java.util.Random(3).nextBytes(content);
    byte[] tar = tar(w -> w.file("big", TarMeta.of(0644, 0, 0, 0), content));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write(tar);
    }
    byte[] cut = Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
    try (SafeTarReader r = new SafeTarReader(new GZIPInputStream(new ByteArrayInputStream(cut)))) {
      assertThat(r.next().name()).isEqualTo("big");
      InputStream c = r.content();
      assertThatThrownBy(c::readAllBytes).isInstanceOf(TarFormatException.class)
          .hasMessage("truncated archive: unexpected end of data (Unexpected end of ZLIB input "
              + "stream)");
    }
  }

  @Test
  void next_strictDotDotName_refused() throws IOException {
    byte[] tar = tar(w -> w.file("a", TarMeta.of(0644, 0, 0, 0), new byte[0]));
    byte[] renamed = rename(tar, "../a");
    try (SafeTarReader r = new SafeTarReader(new ByteArrayInputStream(renamed))) {
      assertThatThrownBy(r::next).isInstanceOf(TarFormatException.class)
          .hasMessage("tar: entry \"../a\": path escapes the rootfs");
    }
  }

  @Test
  void next_lenientDotDotName_itemCarriesTheProblem() throws IOException {
    byte[] tar = tar(w -> w.file("a", TarMeta.of(0644, 0, 0, 0), new byte[0]));
    try (SafeTarReader r = new SafeTarReader(new ByteArrayInputStream(rename(tar, "../a")), false)) {
      TarItem item = r.next();
      assertThat(item.nameProblem()).isEqualTo(TarNames.Problem.DOT_DOT);
      assertThat(item.rawName()).isEqualTo("../a");
      assertThat(r.next()).isNull();
    }
  }

  interface Entries {
    void write(ReproducibleTarWriter w) throws IOException;
  }

  private static byte[] tar(Entries entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ReproducibleTarWriter w = new ReproducibleTarWriter(out)) {
      entries.write(w);
    }
    return out.toByteArray();
  }

  /** The tar with the first header's name replaced (and its checksum made right again). */
  private static byte[] rename(byte[] tar, String name) {
    byte[] t = tar.clone();
    Arrays.fill(t, 0, 100, (byte) 0);
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, t, 0, n.length);
    Arrays.fill(t, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += t[i] & 0xff;
    }
    byte[] octal = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(octal, 0, t, 148, 8);
    return t;
  }
}
