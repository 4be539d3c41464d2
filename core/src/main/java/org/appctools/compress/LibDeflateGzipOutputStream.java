package org.appctools.compress;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A gzip file compressed by libdeflate on every core: the input is cut into fixed blocks of
 * {@link #BLOCK_SIZE}, each block is compressed on its own into a complete gzip member (header
 * without mtime or name, deflate data, CRC-32 and size), and the members are written in input
 * order. The result is one valid gzip file of several members (RFC 1952 section 2.2, as bgzip
 * writes): gzip -d, Go's gzip reader (the reference actool, rkt), Python and {@link
 * Compression#decompress} read it as one stream.
 *
 * <p>Not one member as pigz writes ({@link ParallelGzipOutputStream}): libdeflate compresses a
 * whole buffer at once and cannot end a deflate block without making it the final one, so the
 * blocks cannot be chained into one deflate stream. Each block starts without the previous one's
 * 32 KiB as a dictionary, which costs a little size at block starts.
 *
 * <p>Block boundaries depend only on the input, and a block's member only on its bytes, the level
 * and libdeflate's version: the output is the same bytes whatever the number of threads or their
 * timing. Memory stays bounded: at most two blocks per thread are in flight, and each thread has
 * one libdeflate compressor (they are not thread-safe) with its output buffer, all freed at close.
 */
final class LibDeflateGzipOutputStream extends OutputStream {
  /**
   * 1 MiB. Measured on the Debian rootfs tar (204 MB, level 6, two threads): 256 KiB blocks give
   * 92.22 MB, 1 MiB 91.88 MB, 2 MiB 91.82 MB, 4 MiB 91.79 MB, all in the same time; beyond 1 MiB
   * the 0.1% costs four times the memory in flight.
   */
  static final int BLOCK_SIZE = 1 << 20;

  private final OutputStream out;
  private final int level;
  private final int blockSize;
  private final ExecutorService pool;
  private final int maxInFlight;
  private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
  /** Native input blocks: the one being filled, those in flight, and spares to fill again. */
  private final ArrayDeque<Memory> blocksInFlight = new ArrayDeque<>();
  private final ArrayDeque<Memory> spareBlocks = new ArrayDeque<>();
  /** Compressors no task is using; a task takes one or makes one, so at most one per thread. */
  private final ConcurrentLinkedQueue<Compressor> idle = new ConcurrentLinkedQueue<>();
  private final List<Compressor> made = new ArrayList<>();
  private Memory block;
  private int fill;
  private boolean anyBlock;
  private boolean closed;

  /** One libdeflate compressor and the native buffer it writes a member into. */
  private record Compressor(Pointer compressor, Memory output) {}

  LibDeflateGzipOutputStream(OutputStream out, int level, int threads) {
    this(out, level, threads, BLOCK_SIZE);
  }

  LibDeflateGzipOutputStream(OutputStream out, int level, int threads, int blockSize) {
    this.out = out;
    this.level = level;
    this.blockSize = blockSize;
    threads = Math.max(1, threads);
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "gzip-libdeflate");
      t.setDaemon(true);
      return t;
    });
    this.maxInFlight = threads * 2;
    this.block = new Memory(blockSize);
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
    while (len > 0) {
      int n = Math.min(len, blockSize - fill);
      block.write(fill, b, off, n);
      fill += n;
      off += n;
      len -= n;
      if (fill == blockSize) {
        submit();
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
      if (fill > 0 || !anyBlock) {
        submit();
      }
      while (!inFlight.isEmpty()) {
        writeOldest();
      }
    } finally {
      try {
        release();
      } finally {
        out.close();
      }
    }
  }

  private void submit() throws IOException {
    Memory data = block;
    int length = fill;
    inFlight.add(pool.submit(() -> compress(data, length)));
    blocksInFlight.add(data);
    anyBlock = true;
    block = spareBlocks.isEmpty() ? new Memory(blockSize) : spareBlocks.pop();
    fill = 0;
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
      throw new IOException("gzip: compressing a block failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private byte[] compress(Memory data, int length) throws IOException {
    Compressor c = idle.poll();
    if (c == null) {
      c = newCompressor();
    }
    try {
      long n = LibDeflate.libdeflate_gzip_compress(c.compressor(), data, length, c.output(), c.output().size());
      if (n == 0) {
        throw new IOException("libdeflate: a " + length + "-byte block did not fit its bound");
      }
      return c.output().getByteArray(0, (int) n);
    } finally {
      idle.add(c);
    }
  }

  private Compressor newCompressor() throws IOException {
    Pointer p = LibDeflate.libdeflate_alloc_compressor(level);
    if (p == null) {
      throw new IOException("libdeflate: no memory for a compressor at level " + level);
    }
    Compressor c = new Compressor(p, new Memory(LibDeflate.libdeflate_gzip_compress_bound(p, blockSize)));
    synchronized (made) {
      made.add(c);
    }
    return c;
  }

  /**
   * Stops the threads, waiting for a running block (a native call cannot be interrupted), then
   * frees the compressors and the native blocks.
   */
  private void release() {
    pool.shutdownNow();
    boolean interrupted = false;
    while (true) {
      try {
        if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    synchronized (made) {
      for (Compressor c : made) {
        LibDeflate.libdeflate_free_compressor(c.compressor());
        c.output().close();
      }
      made.clear();
    }
    for (Memory m : blocksInFlight) {
      m.close();
    }
    for (Memory m : spareBlocks) {
      m.close();
    }
    block.close();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
