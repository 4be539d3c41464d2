package org.appctools.aci;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.appctools.compress.Compression;

/**
 * Fixture factories for tests here and in other modules (through core's test-jar): minimal
 * layouts and hand-made, possibly hostile, archives written with commons-compress rather than
 * with the code under test.
 */
public final class TestAcis {
  private TestAcis() {}

  /** The image name used by {@link #manifestJson()}. */
  public static final String NAME = "example.com/test";

  /** A valid image manifest named {@code name}. */
  public static byte[] manifestJson(String name) {
    return ("{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"" + name + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] manifestJson() {
    return manifestJson(NAME);
  }

  /** Makes {@code dir} a layout with a valid manifest and an empty rootfs; returns it. */
  public static Path minimalLayout(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("rootfs"));
    Files.write(dir.resolve("manifest"), manifestJson());
    return dir;
  }

  /** Writes tar entries into an archive file. */
  @FunctionalInterface
  public interface Entries {
    void write(Tar tar) throws IOException;
  }

  /** Writes an archive compressed with {@code compression}, holding what {@code entries} adds. */
  public static Path archive(Path file, Compression compression, Entries entries)
      throws IOException {
    try (OutputStream out = compression.compress(Files.newOutputStream(file));
        TarArchiveOutputStream tos = new TarArchiveOutputStream(out)) {
      tos.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tos.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      entries.write(new Tar(tos));
      tos.finish();
    }
    return file;
  }

  /** A valid gzip ACI: manifest, rootfs/ and the given extra entries. */
  public static Path minimalAci(Path file, Entries extra) throws IOException {
    return archive(file, Compression.GZIP, tar -> {
      tar.file("manifest", manifestJson());
      tar.dir("rootfs/");
      extra.write(tar);
    });
  }

  public static Path minimalAci(Path file) throws IOException {
    return minimalAci(file, tar -> { });
  }

  /**
   * A hostile archive: a valid manifest and rootfs followed by {@code hostile} entries (names
   * are kept as given, absolute ones included).
   */
  public static Path hostileTar(Path file, Compression compression, Entries hostile)
      throws IOException {
    return archive(file, compression, tar -> {
      tar.file("manifest", manifestJson());
      tar.dir("rootfs/");
      hostile.write(tar);
    });
  }

  /** Adds entries with exactly the names given. */
  public static final class Tar {
    private final TarArchiveOutputStream out;

    Tar(TarArchiveOutputStream out) {
      this.out = out;
    }

    public Tar file(String name, byte[] content) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, true);
      e.setSize(content.length);
      e.setMode(0100644);
      e.setModTime(1_700_000_000_000L);
      out.putArchiveEntry(e);
      out.write(content);
      out.closeArchiveEntry();
      return this;
    }

    public Tar file(String name, String content) throws IOException {
      return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A regular file with the given mode (permission bits, setuid included), owner and PAX
     * headers (e.g. {@code SCHILY.xattr.user.note}).
     */
    public Tar file(String name, byte[] content, int mode, long uid, long gid,
        java.util.Map<String, String> pax) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, true);
      e.setSize(content.length);
      e.setMode(0100000 | mode);
      e.setUserId(uid);
      e.setGroupId(gid);
      e.setModTime(1_700_000_000_000L);
      pax.forEach(e::addPaxHeader);
      out.putArchiveEntry(e);
      out.write(content);
      out.closeArchiveEntry();
      return this;
    }

    /** A directory with the given permission bits. */
    public Tar dir(String name, int mode) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
      e.setMode(040000 | mode);
      e.setModTime(1_700_000_000_000L);
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
      return this;
    }

    /** A directory with the given permission bits and owner. */
    public Tar dir(String name, int mode, long uid, long gid) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
      e.setMode(040000 | mode);
      e.setUserId(uid);
      e.setGroupId(gid);
      e.setModTime(1_700_000_000_000L);
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
      return this;
    }

    public Tar fifo(String name) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_FIFO, true);
      e.setMode(010644);
      e.setModTime(1_700_000_000_000L);
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
      return this;
    }

    public Tar dir(String name) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true);
      e.setMode(040755);
      e.setModTime(1_700_000_000_000L);
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
      return this;
    }

    public Tar symlink(String name, String target) throws IOException {
      return link(name, target, TarArchiveEntry.LF_SYMLINK);
    }

    public Tar hardlink(String name, String target) throws IOException {
      return link(name, target, TarArchiveEntry.LF_LINK);
    }

    public Tar charDevice(String name, int major, int minor) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_CHR, true);
      e.setMode(020666);
      e.setDevMajor(major);
      e.setDevMinor(minor);
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
      return this;
    }

    private Tar link(String name, String target, byte type) throws IOException {
      TarArchiveEntry e = new TarArchiveEntry(name, type, true);
      e.setLinkName(target);
      e.setMode(0120777);
      out.putArchiveEntry(e);
      out.closeArchiveEntry();
      return this;
    }
  }
}
