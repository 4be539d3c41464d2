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
 * timing. Memory stays bounded and off the Java heap: at most two blocks per thread are in flight,
 * each an input and an output buffer in native memory reused block after block, and each thread
 * has one libdeflate compressor (they are not thread-safe); all are freed at close.
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
  /** The largest member of one block: the size of each block's output buffer. */
  private final long memberBound;
  /** The members' sizes, in input order, and their blocks. */
  private final ArrayDeque<Future<Long>> inFlight = new ArrayDeque<>();
  private final ArrayDeque<Block> blocksInFlight = new ArrayDeque<>();
  /** Blocks written out, to fill again: the stream allocates a few, not one per MiB. */
  private final ArrayDeque<Block> spareBlocks = new ArrayDeque<>();
  /** Compressors no task is using; a task takes one or makes one, so at most one per thread. */
  private final ConcurrentLinkedQueue<Pointer> idle = new ConcurrentLinkedQueue<>();
  private final List<Pointer> made = new ArrayList<>();
  private final byte[] copy = new byte[64 * 1024];
  private Block block;
  private boolean anyBlock;
  private boolean closed;

  /** A block's input, how much of it is filled, and the member compressed from it. */
  private static final class Block {
    final Memory input;
    final Memory member;
    int fill;

    Block(int size, long memberBound) {
      input = new Memory(size);
      member = new Memory(memberBound);
    }
  }

  LibDeflateGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
    this(out, level, threads, BLOCK_SIZE);
  }

  LibDeflateGzipOutputStream(OutputStream out, int level, int threads, int blockSize) throws IOException {
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
    Pointer first = newCompressor();
    idle.add(first);
    this.memberBound = LibDeflate.libdeflate_gzip_compress_bound(first, blockSize);
    this.block = new Block(blockSize, memberBound);
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
      int n = Math.min(len, blockSize - block.fill);
      block.input.write(block.fill, b, off, n);
      block.fill += n;
      off += n;
      len -= n;
      if (block.fill == blockSize) {
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
      if (block.fill > 0 || !anyBlock) {
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
    Block full = block;
    inFlight.add(pool.submit(() -> compress(full)));
    blocksInFlight.add(full);
    anyBlock = true;
    block = spareBlocks.isEmpty() ? new Block(blockSize, memberBound) : spareBlocks.pop();
    block.fill = 0;
    while (inFlight.size() > maxInFlight) {
      writeOldest();
    }
  }

  private void writeOldest() throws IOException {
    try {
      long size = inFlight.removeFirst().get();
      // a spare from now on (freed at close even if a write fails); the next fill comes later
      Block done = blocksInFlight.removeFirst();
      spareBlocks.push(done);
      for (long off = 0; off < size; off += copy.length) {
        int n = (int) Math.min(copy.length, size - off);
        done.member.read(off, copy, 0, n);
        out.write(copy, 0, n);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("gzip: interrupted");
    } catch (ExecutionException e) {
      throw new IOException("gzip: compressing a block failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /** Compresses a block into its member; returns the member's size. */
  private long compress(Block b) throws IOException {
    Pointer c = idle.poll();
    if (c == null) {
      c = newCompressor();
    }
    try {
      long n = LibDeflate.libdeflate_gzip_compress(c, b.input, b.fill, b.member, memberBound);
      if (n == 0) {
        throw new IOException("libdeflate: a " + b.fill + "-byte block did not fit its bound");
      }
      return n;
    } finally {
      idle.add(c);
    }
  }

  private Pointer newCompressor() throws IOException {
    Pointer c = LibDeflate.libdeflate_alloc_compressor(level);
    if (c == null) {
      throw new IOException("libdeflate: no memory for a compressor at level " + level);
    }
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
      for (Pointer c : made) {
        LibDeflate.libdeflate_free_compressor(c);
      }
      made.clear();
    }
    blocksInFlight.forEach(LibDeflateGzipOutputStream::free);
    spareBlocks.forEach(LibDeflateGzipOutputStream::free);
    free(block);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void free(Block b) {
    b.input.close();
    b.member.close();
  }
}
