package org.appctools.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.appctools.AppcException;

/**
 * The store's reader/writer lock, across processes and threads: an {@code flock}-style lock on
 * the lock file (shared for readers, exclusive for writers, waiting for the other side) under an
 * in-process read/write lock. The JVM refuses two locks on one file from any of its threads
 * ({@code OverlappingFileLockException}), so the threads of one process share a single shared
 * file lock, taken by the first reader and released by the last. Not reentrant across kinds: a
 * holder must not ask again.
 */
final class StoreLock {
  private static final Map<Path, State> STATES = new ConcurrentHashMap<>();

  /** A held lock; closing releases it. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  /** The per-file state shared by the threads of this process. */
  private static final class State {
    final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
    int readers;
    FileChannel channel;
    FileLock lock;
  }

  private final Path file;
  private final State state;

  StoreLock(Path file) {
    this.file = file.toAbsolutePath().normalize();
    this.state = STATES.computeIfAbsent(this.file, f -> new State());
  }

  /** Waits for and takes the shared lock. */
  Held shared() throws AppcException {
    state.threads.readLock().lock();
    try {
      synchronized (state) {
        if (state.readers == 0) {
          lockFile(true);
        }
        state.readers++;
      }
    } catch (AppcException | RuntimeException e) {
      state.threads.readLock().unlock();
      throw e;
    }
    return () -> {
      synchronized (state) {
        if (--state.readers == 0) {
          unlockFile();
        }
      }
      state.threads.readLock().unlock();
    };
  }

  /** Waits for and takes the exclusive lock. */
  Held exclusive() throws AppcException {
    state.threads.writeLock().lock();
    try {
      lockFile(false);
    } catch (AppcException | RuntimeException e) {
      state.threads.writeLock().unlock();
      throw e;
    }
    return () -> {
      unlockFile();
      state.threads.writeLock().unlock();
    };
  }

  private void lockFile(boolean shared) throws AppcException {
    FileChannel channel = null;
    try {
      channel = shared
          ? FileChannel.open(file, StandardOpenOption.READ)
          : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      state.lock = channel.lock(0, Long.MAX_VALUE, shared);
      state.channel = channel;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new AppcException("image store: cannot lock " + file + ": " + e.getMessage()
          + " (check that the store directory is readable and writable)", e);
    }
  }

  private void unlockFile() {
    closeQuietly(state.channel); // closing the channel releases its lock
    state.channel = null;
    state.lock = null;
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // the lock goes with the channel whatever close says
      }
    }
  }
}
