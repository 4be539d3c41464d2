package org.appctools.aci;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Decompresses on a second thread while the caller parses the tar, so inflating and parsing
 * overlap. Memory is bounded: at most {@code CHUNKS} chunks of {@code CHUNK} bytes are queued,
 * and buffers the reader is done with go back to the producer, so a whole archive is read with
 * a few buffers instead of allocating (and faulting in) one per megabyte.
 * An exception of the producer is rethrown, as it is, to the reader.
 */
final class ReadAheadInputStream extends InputStream {
  private static final int CHUNK = 1 << 20;
  private static final int CHUNKS = 4;
  private static final byte[] END = new byte[0];

  private final InputStream in;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(CHUNKS);
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(CHUNKS + 2);
  private final Thread producer;
  private volatile boolean closed;
  private byte[] current;
  private int currentLength;
  private int pos;
  private boolean ended;

  ReadAheadInputStream(InputStream in) {
    this.in = in;
    this.producer = new Thread(this::produce, "aci-read-ahead");
    producer.setDaemon(true);
    producer.start();
  }

  private void produce() {
    try {
      while (!closed) {
        byte[] buf = free.poll();
        if (buf == null) {
          buf = new byte[CHUNK];
        }
        int n = 0;
        while (n < CHUNK) {
          int r;
          try {
            r = in.read(buf, n, CHUNK - n);
          } catch (IOException | RuntimeException e) {
            // hand over what was read before the failure, then the failure
            if (n > 0 && !put(new Chunk(buf, n))) {
              return;
            }
            throw e;
          }
          if (r < 0) {
            break;
          }
          n += r;
        }
        if (n > 0 && !put(new Chunk(buf, n))) {
          return;
        }
        if (n < CHUNK) {
          put(END);
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      put(e);
    }
  }

  private record Chunk(byte[] data, int length) {}

  private boolean put(Object o) {
    try {
      while (!closed) {
        if (queue.offer(o, 50, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  private boolean fill() throws IOException {
    if (ended) {
      return false;
    }
    Object o;
    try {
      o = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading the archive");
    }
    if (o == END) {
      ended = true;
      return false;
    }
    if (o instanceof IOException e) {
      ended = true;
      throw e;
    }
    if (o instanceof RuntimeException e) {
      ended = true;
      throw e;
    }
    Chunk c = (Chunk) o;
    if (current != null) {
      free.offer(current);
    }
    current = c.data();
    currentLength = c.length();
    pos = 0;
    return true;
  }

  @Override
  public int read() throws IOException {
    if ((current == null || pos >= currentLength) && !fill()) {
      return -1;
    }
    return current[pos++] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if ((current == null || pos >= currentLength) && !fill()) {
      return -1;
    }
    int n = Math.min(len, currentLength - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long done = 0;
    while (done < n) {
      if ((current == null || pos >= currentLength) && !fill()) {
        break;
      }
      int step = (int) Math.min(n - done, currentLength - pos);
      pos += step;
      done += step;
    }
    return done;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    queue.clear();
    try {
      producer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    in.close();
  }
}
