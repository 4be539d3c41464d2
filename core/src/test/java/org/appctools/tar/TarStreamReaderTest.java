package org.appctools.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TarStreamReaderTest {
  /** A binary security.capability value (cap_net_bind_service+ep), not valid UTF-8. */
  private static final byte[] CAPABILITY = {1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  @Test
  void next_rawSchilyXattr_keepsBinaryValueExactly() throws IOException {
    byte[] tar = paxTar("cap-file", "SCHILY.xattr.security.capability", CAPABILITY);
    TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(tar));
    TarItem item = r.next();
    assertThat(item.name()).isEqualTo("cap-file");
    assertThat(item.xattrs().get("security.capability")).isEqualTo(CAPABILITY);
    assertThat(new String(r.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("#!\n");
    assertThat(r.next()).isNull();
  }

  @Test
  void next_entriesOfTheProjectsWriter_readBack() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ReproducibleTarWriter w = new ReproducibleTarWriter(out)) {
      TreeMap<String, byte[]> x = new TreeMap<>();
      x.put("user.note", "hello".getBytes(StandardCharsets.UTF_8));
      w.directory("d", TarMeta.of(0700, 1000, 1000, 1_700_000_000L));
      w.file("d/" + "long".repeat(40), new TarMeta(04755, 0, 0, 1_700_000_000L, x), new byte[] {1, 2, 3});
      w.symlink("d/s", TarMeta.of(0777, 0, 0, 0), "/target");
      w.hardlink("d/h", TarMeta.of(0644, 0, 0, 0), "d/" + "long".repeat(40));
      w.charDevice("d/null", TarMeta.of(0666, 0, 0, 0), 1, 3);
      w.fifo("d/p", TarMeta.of(0640, 0, 0, 0));
    }
    TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(out.toByteArray()));
    TarItem d = r.next();
    assertThat(d.type()).isEqualTo(TarEntryType.DIRECTORY);
    assertThat(d.name()).isEqualTo("d");
    assertThat(d.mode()).isEqualTo(0700);
    assertThat(d.uid()).isEqualTo(1000);
    TarItem f = r.next();
    assertThat(f.name()).isEqualTo("d/" + "long".repeat(40));
    assertThat(f.mode()).isEqualTo(04755);
    assertThat(f.size()).isEqualTo(3);
    assertThat(f.xattrs().get("user.note")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(r.content().readAllBytes()).containsExactly(1, 2, 3);
    assertThat(r.next().linkName()).isEqualTo("/target");
    TarItem h = r.next();
    assertThat(h.type()).isEqualTo(TarEntryType.HARDLINK);
    assertThat(h.linkName()).isEqualTo("d/" + "long".repeat(40));
    TarItem c = r.next();
    assertThat(c.type()).isEqualTo(TarEntryType.CHAR_DEVICE);
    assertThat(c.devMajor()).isEqualTo(1);
    assertThat(c.devMinor()).isEqualTo(3);
    assertThat(r.next().type()).isEqualTo(TarEntryType.FIFO);
    assertThat(r.next()).isNull();
  }

  @Test
  void next_emptyStream_isAnEmptyArchive() throws IOException {
    assertThat(new TarStreamReader(new ByteArrayInputStream(new byte[0])).next()).isNull();
  }

  @Test
  void next_absoluteName_refused() {
    byte[] tar = paxTar("/etc/passwd", "comment", new byte[] {'x'});
    assertThatThrownBy(() -> new TarStreamReader(new ByteArrayInputStream(tar)).next())
        .isInstanceOf(TarFormatException.class)
        .hasMessage("tar: entry \"/etc/passwd\": absolute path is not allowed");
  }

  @Test
  void next_lenientAbsoluteName_itemCarriesTheProblemAndTheRawName() throws IOException {
    byte[] tar = paxTar("/etc/passwd", "comment", new byte[] {'x'});
    TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(tar), true);
    TarItem item = r.next();
    assertThat(item.nameProblem()).isEqualTo(TarNames.Problem.ABSOLUTE);
    assertThat(item.name()).isEqualTo("/etc/passwd");
    assertThat(new String(r.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("#!\n");
    assertThat(r.next()).isNull();
  }

  @Test
  void next_unreadContent_skippedWithoutReading() throws IOException {
    byte[] tar = paxTar("f", "comment", new byte[] {'x'});
    int[] bytesRead = new int[1];
    ByteArrayInputStream in = new ByteArrayInputStream(tar) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        int n = super.read(b, off, len);
        bytesRead[0] += Math.max(n, 0);
        return n;
      }
    };
    TarStreamReader r = new TarStreamReader(in);
    assertThat(r.next().name()).isEqualTo("f");
    assertThat(r.next()).isNull();
    // the PAX header, its 13 bytes of records, the file's header and the end block are read;
    // the records' padding and the content are skipped
    assertThat(bytesRead[0]).isEqualTo(512 * 3 + 13);
    assertThat(r.offset()).isEqualTo(512 * 5);
  }

  @Test
  void next_badChecksum_refused() {
    byte[] tar = paxTar("f", "comment", new byte[] {'x'});
    tar[1024 + 10] ^= 1; // in the name field of the file header (after the PAX header and its data)
    assertThatThrownBy(() -> {
      TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(tar));
      r.next();
    }).isInstanceOf(TarFormatException.class).hasMessageStartingWith("corrupt archive: header checksum mismatch");
  }

  @Test
  void content_truncatedEntry_refused() throws IOException {
    byte[] tar = paxTar("f", "comment", new byte[] {'x'});
    byte[] cut = Arrays.copyOf(tar, 512 * 3 + 1);
    TarStreamReader r = new TarStreamReader(new ByteArrayInputStream(cut));
    r.next();
    assertThatThrownBy(() -> r.content().readAllBytes()).isInstanceOf(TarFormatException.class)
        .hasMessage("truncated archive: unexpected end of data in an entry");
  }

  /** A tar with one PAX record {@code key=value} (raw bytes) and a 3-byte file {@code name}. */
  private static byte[] paxTar(String name, String key, byte[] value) {
    ByteArrayOutputStream records = new ByteArrayOutputStream();
    byte[] k = key.getBytes(StandardCharsets.US_ASCII);
    int body = 1 + k.length + 1 + value.length + 1;
    int len = body + Integer.toString(body).length();
    if (Integer.toString(len).length() != Integer.toString(body).length()) {
      len++;
    }
    records.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
    records.writeBytes(k);
    records.write('=');
    records.writeBytes(value);
    records.write('\n');
    byte[] pax = records.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header("PaxHeaders/x", 'x', pax.length));
    out.writeBytes(padded(pax));
    out.writeBytes(header(name, '0', 3));
    out.writeBytes(padded("#!\n".getBytes(StandardCharsets.US_ASCII)));
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static byte[] padded(byte[] b) {
    return Arrays.copyOf(b, (b.length + 511) / 512 * 512);
  }

  private static byte[] header(String name, char type, long size) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, n.length);
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, 1_700_000_000L);
    Arrays.fill(h, 148, 156, (byte) ' ');
    h[156] = (byte) type;
    System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
    h[263] = '0';
    h[264] = '0';
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    return h;
  }

  private static void octal(byte[] h, int off, int width, long v) {
    String s = String.format("%0" + (width - 1) + "o", v);
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, width - 1);
  }
}
