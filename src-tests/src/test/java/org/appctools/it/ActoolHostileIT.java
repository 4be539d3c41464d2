package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hostile archives through `actool validate`, `cat-manifest` and `image-id`: exit 1, the bad entry named. */
class ActoolHostileIT {
  private static final byte[] MANIFEST =
      "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/x\"}".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  /** Entry specs: "f:NAME" file, "d:NAME" directory, "l:NAME>TARGET" symlink, "h:NAME>TARGET" hard link. */
  private Path aci(String... entries) throws IOException {
    Path file = tmp.resolve("hostile.aci");
    try (OutputStream raw = Files.newOutputStream(file);
        GZIPOutputStream gz = new GZIPOutputStream(raw);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      add(tar, "f:manifest");
      add(tar, "d:rootfs");
      for (String e : entries) {
        add(tar, e);
      }
    }
    return file;
  }

  private static void add(TarArchiveOutputStream tar, String spec) throws IOException {
    String name = spec.substring(2);
    TarArchiveEntry e;
    switch (spec.charAt(0)) {
      case 'd' -> e = new TarArchiveEntry(name + "/", true);
      case 'l', 'h' -> {
        String[] nt = name.split(">");
        e = new TarArchiveEntry(nt[0], spec.charAt(0) == 'l' ? TarArchiveEntry.LF_SYMLINK : TarArchiveEntry.LF_LINK);
        e.setLinkName(nt[1]);
      }
      default -> e = new TarArchiveEntry(name, true); // keep a leading "/"
    }
    byte[] data = name.equals("manifest") ? MANIFEST : spec.charAt(0) == 'f' ? "x".getBytes(StandardCharsets.UTF_8) : new byte[0];
    if (spec.charAt(0) == 'f') {
      e.setSize(data.length);
    }
    tar.putArchiveEntry(e);
    tar.write(data);
    tar.closeArchiveEntry();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "f:rootfs/../../escape | rootfs/../../escape",
      "f:/etc/evil | /etc/evil",
      "f:other/file | other/file",
      "f:rootfs-x/file | rootfs-x/file",
      "l:rootfs/link>/etc;f:rootfs/link/passwd | rootfs/link/passwd",
      "h:rootfs/hard>../../etc/passwd | rootfs/hard",
      "f:rootfs/dup;f:rootfs/dup | rootfs/dup",
  })
  void validate_hostileEntry_exits1NamingIt(String entries, String named) throws Exception {
    Path aci = aci(entries.split(";"));

    Tools.Result r = Tools.actool("validate", aci.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(named.trim());
    assertThat(r.out()).startsWith(aci + ": invalid app container image");
  }

  @ParameterizedTest
  @CsvSource({"validate", "image-id"})
  void truncatedGzip_exits1(String command) throws Exception {
    Path whole = aci("f:rootfs/a", "f:rootfs/b");
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = tmp.resolve("cut.aci");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));

    Tools.Result r = Tools.actool(command, cut.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isNotBlank();
  }

  /** 256 MiB of zeros gzip to about 250 KiB: a decompression bomb in miniature. */
  private Path bomb() throws IOException {
    Path file = tmp.resolve("bomb.aci");
    byte[] zeros = new byte[1 << 20];
    try (OutputStream raw = Files.newOutputStream(file);
        GZIPOutputStream gz = new GZIPOutputStream(raw);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      add(tar, "f:manifest");
      add(tar, "d:rootfs");
      TarArchiveEntry e = new TarArchiveEntry("rootfs/zeros");
      e.setSize(256L << 20);
      tar.putArchiveEntry(e);
      for (int i = 0; i < 256; i++) {
        tar.write(zeros);
      }
      tar.closeArchiveEntry();
    }
    return file;
  }

  @Test
  void validate_decompressionBomb_refusedByTheRatioGuard() throws Exception {
    Path bomb = bomb();
    Tools.Result r = Tools.actool("validate", bomb.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("expands more than 1000x").contains("max-expansion-ratio");
    Tools.actool("validate", "--max-expansion-ratio=2000", bomb.toString()).expectOk();
  }

  @Test
  void imageId_overTheSizeLimit_refusedNamingTheFlag() throws Exception {
    Path bomb = bomb();
    Tools.Result r = Tools.actool("image-id", "--max-uncompressed-size=10Mi", "--max-expansion-ratio=100000", bomb.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("exceeds the limit of 10485760 bytes").contains("max-uncompressed-size");
    assertThat(Tools.actool("image-id", "--max-uncompressed-size=lots", bomb.toString()).code()).isEqualTo(2);
  }
}
