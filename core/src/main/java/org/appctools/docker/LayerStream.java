package org.appctools.docker;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.appctools.AppcException;
import org.appctools.aci.ReadLimits;
import org.appctools.compress.Compression;
import org.appctools.tar.TarStreamReader;

/**
 * One layer opened for reading: its bytes hashed against the layer's digest, decompressed by
 * what their first bytes say (gzip, zstd, xz, bzip2 or none; an empty blob is an empty layer),
 * bounded by the {@link ReadLimits} (a decompression bomb stops with an error), the tar hashed
 * against the diff ID when there is one, and read by a {@link TarStreamReader}. {@link #finish()}
 * reads to the end and checks both digests.
 */
final class LayerStream implements Closeable {
  private final InputStream raw;
  private final InputStream compressed;
  private final CountingInputStream counted;
  private final long size;
  private final String what;
  private final Digests.VerifyingInputStream blobCheck;
  private final Digests.VerifyingInputStream tarCheck;
  private final InputStream tarStream;
  private final TarStreamReader reader;
  private final Compression compression;

  private LayerStream(InputStream raw, InputStream compressed, CountingInputStream counted, long size,
      String what, Digests.VerifyingInputStream blobCheck, Digests.VerifyingInputStream tarCheck,
      InputStream tarStream, Compression compression) {
    this.raw = raw;
    this.compressed = compressed;
    this.counted = counted;
    this.size = size;
    this.what = what;
    this.blobCheck = blobCheck;
    this.tarCheck = tarCheck;
    this.tarStream = tarStream;
    this.reader = new TarStreamReader(tarStream);
    this.compression = compression;
  }

  /** A counter of the bytes decompressed from every layer of one conversion. */
  static final class Budget {
    private final ReadLimits limits;
    private long total;

    Budget(ReadLimits limits) {
      this.limits = limits;
    }
  }

  static LayerStream open(LayerBlob blob, String what, Budget budget) throws AppcException {
    InputStream raw = null;
    try {
      raw = blob.opener().open();
      Digests.VerifyingInputStream blobCheck = blob.digest().isEmpty() ? null
          : new Digests.VerifyingInputStream(raw, blob.digest(), what);
      CountingInputStream counted = new CountingInputStream(blobCheck == null ? raw : blobCheck);
      BufferedInputStream buffered = new BufferedInputStream(counted, 256 * 1024);
      buffered.mark(Compression.DETECT_BYTES);
      byte[] head = buffered.readNBytes(Compression.DETECT_BYTES);
      buffered.reset();
      Compression c = head.length == 0 ? Compression.NONE : Compression.detect(head);
      if (c == null) {
        throw new AppcException(what + " is neither a tar nor a gzip, zstd, xz or bzip2 "
            + "compressed tar (starts with " + hex(Arrays.copyOf(head, Math.min(8, head.length))) + ")");
      }
      InputStream tar = new LimitedInputStream(c.decompress(buffered), counted, budget, what);
      Digests.VerifyingInputStream tarCheck = blob.diffId().isEmpty() ? null
          : new Digests.VerifyingInputStream(tar, blob.diffId(), what + " (uncompressed)");
      InputStream tarStream = new BufferedInputStream(tarCheck == null ? tar : tarCheck, 256 * 1024);
      return new LayerStream(raw, buffered, counted, blob.size(), what, blobCheck, tarCheck,
          tarStream, c);
    } catch (IOException e) {
      closeQuietly(raw);
      throw new AppcException(what + ": " + e.getMessage(), e);
    } catch (AppcException e) {
      closeQuietly(raw);
      throw e;
    }
  }

  TarStreamReader reader() {
    return reader;
  }

  Compression compression() {
    return compression;
  }

  /** Reads the rest of the layer and checks its size and digests. */
  void finish() throws IOException, AppcException {
    byte[] buf = new byte[64 * 1024];
    while (tarStream.read(buf) >= 0) {
      // padding after the end of the tar is part of the diff ID
    }
    while (compressed.read(buf) >= 0) {
      // and bytes after the end of the compressed stream are part of the blob
    }
    if (tarCheck != null) {
      tarCheck.verify();
    }
    if (blobCheck != null) {
      blobCheck.verify();
    }
    if (size >= 0 && counted.count != size) {
      throw new AppcException(what + " has " + counted.count + " bytes where its descriptor says "
          + size + " (corrupt or tampered; fetch it again)");
    }
  }

  @Override
  public void close() {
    closeQuietly(tarStream);
    closeQuietly(raw);
  }

  private static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing was written from it that matters
      }
    }
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x & 0xff));
    }
    return sb.toString();
  }

  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long s = in.skip(n);
      count += s;
      return s;
    }
  }

  /** The decompression-bomb guard: total size and expansion ratio. */
  private static final class LimitedInputStream extends FilterInputStream {
    private final CountingInputStream compressed;
    private final Budget budget;
    private final String what;
    private long count;

    LimitedInputStream(InputStream in, CountingInputStream compressed, Budget budget, String what) {
      super(in);
      this.compressed = compressed;
      this.budget = budget;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
        budget.total += n;
        ReadLimits l = budget.limits;
        if (budget.total > l.maxUncompressedBytes()) {
          throw new IOException("the image's layers decompress to more than "
              + l.maxUncompressedBytes() + " bytes (limit max-uncompressed-size; raise it for a larger image)");
        }
        if (count > l.ratioGraceBytes() && count > l.maxExpansionRatio() * Math.max(1, compressed.count)) {
          throw new IOException(what + " expands more than " + l.maxExpansionRatio() + "x ("
              + compressed.count + " compressed bytes gave " + count
              + "; limit max-expansion-ratio guards against decompression bombs)");
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(64 * 1024, Math.max(1, n))];
      long done = 0;
      while (done < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }
  }
}
