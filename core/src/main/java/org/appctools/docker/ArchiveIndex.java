package org.appctools.docker;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import org.appctools.AppcException;
import org.appctools.compress.Compression;
import org.appctools.tar.TarEntryType;
import org.appctools.tar.TarFormatException;
import org.appctools.tar.TarItem;
import org.appctools.tar.TarNames;
import org.appctools.tar.TarStreamReader;

/**
 * A {@code docker save} archive or an OCI archive (a tar of an image layout), indexed in one scan
 * of its headers and then read in place: opening a file seeks to its bytes, so layers are never
 * copied out. Symlinks and hard links between the archive's files are followed inside it (skopeo
 * stores {@code ID/layer.tar} as a symlink to {@code ../DIFFID.tar}). A compressed archive
 * ({@code docker save | gzip}) is first decompressed into a temporary file in {@code tmpDir},
 * deleted on {@link #close()}.
 */
final class ArchiveIndex implements ImageFiles, Closeable {
  private record Entry(TarEntryType type, long offset, long size, String link) {}

  private static final int MAX_LINK_HOPS = 40;

  private final Path archive;
  private final Path file;
  private final boolean temporary;
  private final Map<String, Entry> entries = new HashMap<>();

  private ArchiveIndex(Path archive, Path file, boolean temporary) {
    this.archive = archive;
    this.file = file;
    this.temporary = temporary;
  }

  /** Indexes {@code archive}; an error if it is not a tar (or a compressed tar). */
  static ArchiveIndex open(Path archive, Path tmpDir) throws AppcException {
    Compression c = detect(archive);
    Path file = archive;
    boolean temporary = false;
    if (c != Compression.NONE) {
      try {
        file = Files.createTempFile(tmpDir, ".docker2aci-archive.", ".tar");
        temporary = true;
        try (InputStream in = c.decompress(Files.newInputStream(archive));
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
          in.transferTo(out);
        }
      } catch (IOException e) {
        deleteQuietly(file, temporary);
        throw new AppcException(archive + ": decompressing (" + c + "): "
            + TarFormatException.of(e).getMessage(), e);
      }
    }
    ArchiveIndex index = new ArchiveIndex(archive, file, temporary);
    try {
      index.scan();
      return index;
    } catch (IOException e) {
      index.close();
      throw new AppcException(archive + ": not a readable archive: " + e.getMessage(), e);
    }
  }

  private static Compression detect(Path archive) throws AppcException {
    byte[] head = new byte[Compression.DETECT_BYTES];
    int n = 0;
    try (InputStream in = Files.newInputStream(archive)) {
      for (int r = 0; n < head.length && r >= 0; n += Math.max(r, 0)) {
        r = in.read(head, n, head.length - n);
      }
    } catch (NoSuchFileException e) {
      throw new AppcException(archive + ": no such file or directory");
    } catch (IOException e) {
      throw new AppcException(archive + ": " + e.getMessage(), e);
    }
    Compression c = Compression.detect(java.util.Arrays.copyOf(head, n));
    if (c == null) {
      throw new AppcException(archive + ": not a docker save archive, an OCI archive or an "
          + "OCI layout directory (no tar or compression signature)");
    }
    return c;
  }

  private void scan() throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      TarStreamReader reader = new TarStreamReader(in);
      for (TarItem item = reader.next(); item != null; item = reader.next()) {
        if (item.name().equals(".")) {
          continue;
        }
        entries.put(item.name(), new Entry(item.type(), reader.offset(), item.size(),
            item.linkName()));
      }
    }
  }

  @Override
  public boolean exists(String path) {
    try {
      return resolve(path).type() == TarEntryType.FILE;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public InputStream open(String path) throws IOException {
    Entry e = resolve(path);
    if (e.type() != TarEntryType.FILE) {
      throw new NoSuchFileException(path, null, "not a regular file in the archive");
    }
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    ch.position(e.offset());
    return new BufferedInputStream(new BoundedInputStream(Channels.newInputStream(ch), e.size()),
        64 * 1024);
  }

  /** The entry of a path, links followed. */
  private Entry resolve(String path) throws NoSuchFileException {
    String name = TarNames.clean(path);
    for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      Entry e = entries.get(name);
      if (e == null) {
        throw new NoSuchFileException(path);
      }
      switch (e.type()) {
        case SYMLINK -> {
          String parent = TarNames.parent(name);
          String target = e.link().startsWith("/") ? e.link().substring(1)
              : (parent == null ? "" : parent + "/") + e.link();
          name = TarNames.clean(target);
        }
        case HARDLINK -> name = TarNames.clean(e.link());
        default -> {
          return e;
        }
      }
      if (name.equals("..") || name.startsWith("../")) {
        throw new NoSuchFileException(path, null, "link leads out of the archive");
      }
    }
    throw new NoSuchFileException(path, null, "too many levels of links");
  }

  @Override
  public String describe() {
    return archive.toString();
  }

  @Override
  public void close() {
    deleteQuietly(file, temporary);
  }

  private static void deleteQuietly(Path p, boolean temporary) {
    if (temporary) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a leftover temporary file is not worth failing for
      }
    }
  }

  /** Reads at most {@code limit} bytes, then reports the end; closes the channel stream. */
  static final class BoundedInputStream extends FilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long limit) {
      super(in);
      this.left = limit;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new TarFormatException("truncated archive: a file ends early");
      }
      left -= n;
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = in.skip(Math.min(n, left));
      left -= s;
      return s;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), left);
    }
  }
}
