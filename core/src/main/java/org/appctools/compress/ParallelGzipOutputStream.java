package org.appctools.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed on every core, the way pigz does it: the input is cut into fixed
 * 1 MiB blocks, each block is deflated on its own with the previous block's last 32 KiB as a
 * preset dictionary and ends with a sync flush, and the pieces are written in order as one deflate
 * stream. Block boundaries depend only on the input, so the output is the same bytes whatever the
 * number of threads or their timing. The header has no mtime and no file name. gzip uses it when
 * libdeflate does not load or zlib is forced ({@link Compression#gzip}); its bytes are those of
 * the zlib the JDK uses.
 */
final class ParallelGzipOutputStream extends OutputStream {
  static final int BLOCK_SIZE = 1 << 20;
  private static final int DICTIONARY_SIZE = 32 * 1024;
  /** gzip header: magic, deflate, no flags, mtime 0, no extra flags, OS unknown (255). */
  private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private final OutputStream out;
  private final int level;
  private final ExecutorService pool;
  private final int maxInFlight;
  private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
  /** Input blocks already compressed, to fill again: the stream allocates a few, not one per MiB. */
  private final ArrayDeque<byte[]> spareBlocks = new ArrayDeque<>();
  private final ArrayDeque<byte[]> blocksInFlight = new ArrayDeque<>();
  private final CRC32 crc = new CRC32();
  private long size;
  private byte[] block = new byte[BLOCK_SIZE];
  private int fill;
  private byte[] dictionary;
  private boolean closed;

  ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
    this(out, level, Runtime.getRuntime().availableProcessors());
  }

  ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    this.out = out;
    this.level = level;
    threads = Math.max(1, threads);
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "gzip-block");
      t.setDaemon(true);
      return t;
    });
    this.maxInFlight = threads * 2;
    out.write(HEADER);
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (closed) {
      throw new IOException("write to a closed gzip stream");
    }
    crc.update(b, off, len);
    size += len;
    while (len > 0) {
      int n = Math.min(len, BLOCK_SIZE - fill);
      System.arraycopy(b, off, block, fill, n);
      fill += n;
      off += n;
      len -= n;
      if (fill == BLOCK_SIZE) {
        submit(false);
      }
    }
  }

  /** Writes out what is finished; never cuts a block early, so flushing cannot change the bytes. */
  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      submit(true);
      while (!inFlight.isEmpty()) {
        writeOldest();
      }
      long c = crc.getValue();
      out.write(new byte[] {
        (byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
        (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)
      });
    } finally {
      pool.shutdownNow();
      out.close();
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] data = block;
    int length = fill;
    byte[] dict = dictionary;
    if (!last) {
      dictionary = Arrays.copyOfRange(data, length - DICTIONARY_SIZE, length);
      block = spareBlocks.isEmpty() ? new byte[BLOCK_SIZE] : spareBlocks.pop();
      fill = 0;
    }
    inFlight.add(pool.submit(() -> deflate(data, length, dict, last)));
    blocksInFlight.add(data);
    while (inFlight.size() > maxInFlight) {
      writeOldest();
    }
  }

  private void writeOldest() throws IOException {
    try {
      out.write(inFlight.removeFirst().get());
      spareBlocks.push(blocksInFlight.removeFirst());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("gzip: interrupted");
    } catch (ExecutionException e) {
      throw new IOException("gzip: compressing a block failed: " + e.getCause(), e.getCause());
    }
  }

  private byte[] deflate(byte[] data, int length, byte[] dict, boolean last) {
    Deflater deflater = new Deflater(level, true);
    try {
      if (dict != null) {
        deflater.setDictionary(dict);
      }
      deflater.setInput(data, 0, length);
      ByteArrayOutputStream result = new ByteArrayOutputStream(length / 2 + 64);
      byte[] buf = new byte[64 * 1024];
      if (last) {
        deflater.finish();
        while (!deflater.finished()) {
          result.write(buf, 0, deflater.deflate(buf));
        }
      } else {
        int n;
        do {
          n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
          result.write(buf, 0, n);
        } while (n == buf.length);
      }
      return result.toByteArray();
    } finally {
      deflater.end();
    }
  }
}
