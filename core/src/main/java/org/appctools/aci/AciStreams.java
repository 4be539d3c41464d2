package org.appctools.aci;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.appctools.AppcException;
import org.appctools.ProgressListener;
import org.appctools.compress.Compression;
import org.appctools.hash.Hashes;
import org.appctools.tar.TarFormatException;

/** Opening an ACI file as a limited, decompressed stream; shared by every reader. */
final class AciStreams {
  private AciStreams() {}

  /**
   * An opened archive: its compression, the decompressed tar stream, and the raw file stream
   * under it (read it to its end to copy trailing bytes the decompressor left).
   */
  record Opened(Compression compression, InputStream tar, InputStream raw) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      tar.close();
    }
  }

  static Compression detect(Path file) throws IOException {
    byte[] head = new byte[Compression.DETECT_BYTES];
    int n = 0;
    try (InputStream in = Files.newInputStream(file)) {
      while (n < head.length) {
        int r = in.read(head, n, head.length - n);
        if (r < 0) {
          break;
        }
        n += r;
      }
    }
    return Compression.detect(java.util.Arrays.copyOf(head, n));
  }

  static Opened open(String op, Path aci, ReadLimits limits) throws AppcException {
    return open(op, aci, limits, null);
  }

  /** Opens {@code aci}; every raw byte read is also written to {@code copy} when it is not null. */
  static Opened open(String op, Path aci, ReadLimits limits, OutputStream copy)
      throws AppcException {
    try {
      Compression c = detect(aci);
      if (c == null) {
        throw new AppcException(op + ": " + aci
            + ": not an ACI (no gzip, bzip2, xz, zstd or tar signature)");
      }
      InputStream file = Files.newInputStream(aci);
      CountingInputStream raw = new CountingInputStream(copy == null ? file
          : new TeeInputStream(file, copy));
      InputStream decompressed;
      try {
        decompressed = c.decompress(raw);
      } catch (IOException e) {
        raw.close();
        throw TarFormatException.of(e);
      }
      InputStream limited = new LimitedInputStream(decompressed, raw, limits);
      return new Opened(c, c == Compression.NONE ? new java.io.BufferedInputStream(limited,
          256 * 1024) : new ReadAheadInputStream(limited), raw);
    } catch (NoSuchFileException e) {
      throw new AppcException(op + ": " + aci + ": no such file");
    } catch (IOException e) {
      throw wrap(op, aci, e);
    }
  }

  /**
   * A new temporary file next to {@code target}, to be renamed over it when complete: named
   * {@code .NAME.PID.*.tmp}, so that the temporary files a killed process left for the same name
   * are removed first, and created with mode 0644 (less the umask) like the Go tools' outputs.
   */
  static Path outputTemp(Path target) throws IOException {
    Path dir = target.getParent();
    String name = target.getFileName().toString();
    removeDeadTemps(dir, name);
    String prefix = "." + name + "." + ProcessHandle.current().pid() + ".";
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return Files.createTempFile(dir, prefix, ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    }
    return Files.createTempFile(dir, prefix, ".tmp");
  }

  private static void removeDeadTemps(Path dir, String name) {
    String prefix = "." + name + ".";
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (!n.startsWith(prefix) || !n.endsWith(".tmp")) {
          continue;
        }
        String rest = n.substring(prefix.length());
        int dot = rest.indexOf('.');
        String pid = dot < 0 ? "" : rest.substring(0, dot);
        if (pid.matches("[0-9]{1,18}") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()
            && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.deleteIfExists(p);
        }
      }
    } catch (IOException ignored) {
      // best effort: a directory that cannot be listed still gets the new file
    }
  }

  static AppcException wrap(String op, Path aci, IOException e) {
    return new AppcException(op + ": " + aci + ": " + e.getMessage(), e);
  }

  static String imageId(MessageDigest digest) {
    return "sha512-" + HexFormat.of().formatHex(digest.digest());
  }

  /** Counts the bytes written to it and tells {@code progress}; keeps none of them. */
  static final class ProgressOutputStream extends OutputStream {
    private final ProgressListener progress;
    private final long total;
    private long count;

    ProgressOutputStream(ProgressListener progress, long total) {
      this.progress = progress;
      this.total = total;
    }

    @Override
    public void write(int b) {
      count++;
      progress.progress(count, total);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
      progress.progress(count, total);
    }
  }

  /** Writes every byte read from {@code in} to {@code copy}; skipping reads through. */
  static final class TeeInputStream extends FilterInputStream {
    private final OutputStream copy;
    private byte[] skipBuffer;

    TeeInputStream(InputStream in, OutputStream copy) {
      super(in);
      this.copy = copy;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        copy.write(b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        copy.write(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      if (skipBuffer == null) {
        skipBuffer = new byte[SKIP_BUFFER];
      }
      return skipByReading(this, n, skipBuffer);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /**
   * Hashes (SHA-512) every byte read; skipping reads through, so the digest covers the whole
   * stream however the reader above moves through it.
   */
  static final class HashingInputStream extends FilterInputStream {
    final MessageDigest digest = Hashes.sha512();
    private byte[] skipBuffer;

    HashingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        digest.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        digest.update(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      if (skipBuffer == null) {
        skipBuffer = new byte[SKIP_BUFFER];
      }
      return skipByReading(this, n, skipBuffer);
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /** The buffer a stream that skips by reading reads into: one per stream, made on first use. */
  private static final int SKIP_BUFFER = 64 * 1024;

  /** Skips by reading into {@code buf}, so every skipped byte passes the stream's checks. */
  private static long skipByReading(InputStream in, long n, byte[] buf) throws IOException {
    long done = 0;
    while (done < n) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /** Enforces maxUncompressedBytes and the expansion ratio on the decompressed stream. */
  static final class LimitedInputStream extends FilterInputStream {
    private final CountingInputStream raw;
    private final ReadLimits limits;
    private long count;
    private byte[] skipBuffer;

    LimitedInputStream(InputStream in, CountingInputStream raw, ReadLimits limits) {
      super(in);
      this.raw = raw;
      this.limits = limits;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count += n;
        check();
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      if (skipBuffer == null) {
        skipBuffer = new byte[SKIP_BUFFER];
      }
      return skipByReading(this, n, skipBuffer);
    }

    private void check() throws ReadLimitException {
      if (count > limits.maxUncompressedBytes()) {
        throw new ReadLimitException("uncompressed size exceeds the limit of "
            + limits.maxUncompressedBytes()
            + " bytes (limit max-uncompressed-size; raise it to read a larger image)");
      }
      if (count > limits.ratioGraceBytes()
          && count > limits.maxExpansionRatio() * Math.max(1, raw.count)) {
        throw new ReadLimitException("decompressed data expands more than "
            + limits.maxExpansionRatio() + "x (" + raw.count + " compressed bytes gave " + count
            + "; limit max-expansion-ratio guards against decompression bombs; raise it "
            + "if the image is genuine)");
      }
    }
  }

  /**
   * Counts what passes through it to {@code out} and takes its SHA-512 on another thread, so that
   * hashing the tar (about half a second for the Debian tree) overlaps reading the files and
   * compressing instead of adding to them. The bytes are copied into chunks of {@link #CHUNK}
   * and hashed in order on a shared pool of daemon threads, one task after the other per
   * stream; at most {@link #AHEAD} chunks wait, then the writer waits for the hasher. {@link
   * #finishedDigest()} waits for the last chunk. A stream abandoned after a failure leaves nothing
   * running: its queued tasks finish on their own and the pool's threads end when idle.
   */
  static final class HashingOutputStream extends OutputStream {
    static final int CHUNK = 256 * 1024;
    static final int AHEAD = 8;
    private static final ExecutorService HASHERS = hashers();

    private final OutputStream out;
    private final MessageDigest digest = Hashes.sha512();
    private final ArrayDeque<CompletableFuture<byte[]>> pending = new ArrayDeque<>();
    private final ArrayDeque<byte[]> spare = new ArrayDeque<>();
    private CompletableFuture<byte[]> last = CompletableFuture.completedFuture(null);
    /** The chunk being filled, and how much of it. */
    private byte[] chunk;
    private int fill;
    long count;

    HashingOutputStream(OutputStream out) {
      this.out = out;
    }

    private static ExecutorService hashers() {
      return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
          new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "sha512");
            t.setDaemon(true);
            return t;
          });
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
      while (len > 0) {
        if (chunk == null) {
          chunk = spare.isEmpty() ? new byte[CHUNK] : spare.pop();
          fill = 0;
        }
        int n = Math.min(len, CHUNK - fill);
        System.arraycopy(b, off, chunk, fill, n);
        fill += n;
        off += n;
        len -= n;
        if (fill == CHUNK) {
          submit();
        }
      }
    }

    /** Hands the filled chunk to the hasher, after the chunks before it. */
    private void submit() throws IOException {
      byte[] full = chunk;
      int size = fill;
      chunk = null;
      last = last.thenApplyAsync(previous -> {
        digest.update(full, 0, size);
        return full;
      }, HASHERS);
      pending.add(last);
      while (pending.size() > AHEAD) {
        spare.push(await(pending.removeFirst()));
      }
    }

    /** The SHA-512 of everything written, once the hasher caught up; call once, after the last write. */
    MessageDigest finishedDigest() throws IOException {
      if (chunk != null && fill > 0) {
        submit();
      }
      await(last);
      pending.clear();
      return digest;
    }

    private static byte[] await(CompletableFuture<byte[]> f) throws IOException {
      try {
        return f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("hashing: interrupted");
      } catch (ExecutionException e) {
        throw new IOException("hashing failed: " + e.getCause(), e.getCause());
      }
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }
}
