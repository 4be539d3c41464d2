package org.appctools.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReproducibleTarWriterTest {
  private static final long T = 1_700_000_000L;

  private static List<TarItem> read(byte[] tar) throws IOException {
    List<TarItem> items = new ArrayList<>();
    try (SafeTarReader r = new SafeTarReader(new ByteArrayInputStream(tar))) {
      for (TarItem i = r.next(); i != null; i = r.next()) {
        items.add(i);
      }
    }
    return items;
  }

  private static byte[] sample() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (ReproducibleTarWriter w = new ReproducibleTarWriter(buf)) {
      TreeMap<String, byte[]> x = new TreeMap<>();
      x.put("security.capability", new byte[] {1, 0, 0, 2, (byte) 0x80, 0x20, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, 0, 0, 0, 0});
      x.put("user.note", "hello".getBytes(StandardCharsets.UTF_8));
      w.file("rootfs/bin/ping", new TarMeta(04755, 0, 0, T, x), "elf".getBytes());
      w.symlink("rootfs/bin/sh", TarMeta.of(0777, 0, 0, T), "/bin/busybox");
      w.hardlink("rootfs/bin/ping2", TarMeta.of(0755, 0, 0, T), "rootfs/bin/ping");
      w.directory("rootfs/" + "d".repeat(150), TarMeta.of(01777, 3_000_000, 4_000_000, -5));
      w.charDevice("rootfs/dev/null", TarMeta.of(0666, 0, 0, T), 1, 3);
      w.fifo("rootfs/run/fifo", TarMeta.of(0600, 0, 0, T));
      w.file("rootfs/\u00e9t\u00e9", TarMeta.of(0644, 1000, 1000, T), new byte[0]);
    }
    return buf.toByteArray();
  }

  @Test
  void write_sameEntries_identicalBytes() throws IOException {
    assertThat(sample()).isEqualTo(sample());
  }

  @Test
  void write_variousEntries_readBackExactly() throws IOException {
    List<TarItem> items = read(sample());
    assertThat(items).extracting(TarItem::name).containsExactly(
        "rootfs", "rootfs/bin", "rootfs/bin/ping", "rootfs/bin/sh", "rootfs/bin/ping2",
        "rootfs/" + "d".repeat(150), "rootfs/dev", "rootfs/dev/null", "rootfs/run",
        "rootfs/run/fifo", "rootfs/\u00e9t\u00e9");
    TarItem ping = items.get(2);
    assertThat(ping.mode()).isEqualTo(04755);
    assertThat(ping.xattrs().get("security.capability")).containsExactly(1, 0, 0, 2, 0x80, 0x20,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    assertThat(ping.xattrs().get("user.note")).isEqualTo("hello".getBytes());
    assertThat(items.get(3).type()).isEqualTo(TarEntryType.SYMLINK);
    assertThat(items.get(3).linkName()).isEqualTo("/bin/busybox");
    assertThat(items.get(4).type()).isEqualTo(TarEntryType.HARDLINK);
    assertThat(items.get(4).linkName()).isEqualTo("rootfs/bin/ping");
    TarItem big = items.get(5);
    assertThat(big.mode()).isEqualTo(01777);
    assertThat(big.uid()).isEqualTo(3_000_000);
    assertThat(big.gid()).isEqualTo(4_000_000);
    assertThat(big.mtime()).isEqualTo(-5);
    assertThat(items.get(7).type()).isEqualTo(TarEntryType.CHAR_DEVICE);
    assertThat(items.get(7).devMajor()).isEqualTo(1);
    assertThat(items.get(7).devMinor()).isEqualTo(3);
    assertThat(items.get(9).type()).isEqualTo(TarEntryType.FIFO);
    assertThat(items.get(10).uid()).isEqualTo(1000);
  }

  @Test
  void write_headers_numericOwnersAndNoTimesButMtime() throws IOException {
    String text = new String(sample(), StandardCharsets.ISO_8859_1);
    assertThat(text).doesNotContain("atime").doesNotContain("ctime");
    // user and group name fields of the first header are empty
    assertThat(sample()[265]).isZero();
    assertThat(sample()[297]).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rootfs/../x", "/etc/passwd", "../x"})
  void write_unsafeName_throws(String name) {
    ReproducibleTarWriter w = new ReproducibleTarWriter(new ByteArrayOutputStream());
    assertThatThrownBy(() -> w.file(name, TarMeta.of(0644, 0, 0, T), new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tar: entry \"" + name + "\": ");
  }

  @Test
  void write_duplicate_throws() throws IOException {
    ReproducibleTarWriter w = new ReproducibleTarWriter(new ByteArrayOutputStream());
    w.file("a", TarMeta.of(0644, 0, 0, T), new byte[0]);
    assertThatThrownBy(() -> w.file("./a", TarMeta.of(0644, 0, 0, T), new byte[0]))
        .hasMessage("tar: duplicate entry \"a\"");
  }

  @Test
  void write_fileShorterThanSize_throws() {
    ReproducibleTarWriter w = new ReproducibleTarWriter(new ByteArrayOutputStream());
    assertThatThrownBy(() -> w.file("a", TarMeta.of(0644, 0, 0, T), 10,
        new ByteArrayInputStream(new byte[4])))
        .hasMessage("tar: file \"a\" ended after 4 of 10 bytes (did it shrink while being "
            + "archived?)");
  }

  @Test
  void read_truncatedTar_reportsTruncation() throws IOException {
    byte[] tar = sample();
    byte[] cut = java.util.Arrays.copyOf(tar, 512 * 3 + 100);
    assertThatThrownBy(() -> read(cut))
        .isInstanceOf(TarFormatException.class)
        .hasMessageStartingWith("truncated archive");
  }

  @Test
  void read_strictAbsoluteName_throws() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (var tos = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(buf)) {
      var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("/etc/x", true);
      tos.putArchiveEntry(e);
      tos.closeArchiveEntry();
    }
    assertThatThrownBy(() -> read(buf.toByteArray()))
        .hasMessage("tar: entry \"/etc/x\": absolute path is not allowed");
  }
}
