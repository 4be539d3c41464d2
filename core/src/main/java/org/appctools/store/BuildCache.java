package org.appctools.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.appctools.AppcException;
import org.appctools.fs.FileTrees;

/**
 * The step cache of {@code acbuild build} and {@code acbuild script --cache}, in the image store
 * ({@code STORE/build-cache}) and under its lock. An entry is named by its key (64 hex digits,
 * see {@code org.appctools.build.file.StepKey}) and never changes once made:
 *
 * <pre>
 * build-cache/states/KEY/     the build after a step: a saved generation of the build session
 *                             (image/manifest, image/rootfs/, owners), its files hard-linked
 * build-cache/acis/KEY/       a written image (image.aci, and image-id holding its Image ID),
 *                             under the key of the steps and the write options
 * </pre>
 *
 * Entries are made under the store's {@code tmp/} (the same file system, so trees hard-link) and
 * renamed into place under the exclusive lock; an entry in use is read under the shared lock,
 * so {@link #gc} never removes a tree while a build copies it. An entry's modification time is
 * its last use.
 */
public final class BuildCache {
  private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

  private final ImageStore store;
  private final Path states;
  private final Path acis;

  private BuildCache(ImageStore store) {
    this.store = store;
    Path dir = store.dir().resolve("build-cache");
    this.states = dir.resolve("states");
    this.acis = dir.resolve("acis");
  }

  /** The build cache of {@code store}, its directories made if missing. */
  public static BuildCache open(ImageStore store) throws AppcException {
    BuildCache c = new BuildCache(store);
    try {
      Files.createDirectories(c.states);
      Files.createDirectories(c.acis);
    } catch (IOException e) {
      throw new AppcException("build cache: cannot create " + c.states.getParent() + ": " + e.getMessage()
          + " (check that the store directory is writable)", e);
    }
    return c;
  }

  /** What a reader does with an entry while it holds the shared lock. */
  @FunctionalInterface
  public interface EntryUse<T> {
    /** {@code entry} is the entry's path, or null when there is none. */
    T use(Path entry) throws AppcException, IOException;
  }

  /**
   * A new empty directory under the store's {@code tmp/}, on the cache's file system, for a build's
   * work and for entries being made; the caller removes it ({@code actool image gc} removes those
   * of processes that are gone).
   */
  public Path newWorkDirectory() throws AppcException {
    try {
      return store.newTempDirectory("build");
    } catch (IOException e) {
      throw new AppcException("build cache: cannot create a work directory in " + store.dir() + ": " + e.getMessage(), e);
    }
  }

  /** Whether the state {@code key} exists. */
  public boolean hasState(String key) {
    return Files.isDirectory(states.resolve(check(key)), LinkOption.NOFOLLOW_LINKS);
  }

  /** Whether the image {@code key} exists. */
  public boolean hasAci(String key) {
    return Files.isDirectory(acis.resolve(check(key)), LinkOption.NOFOLLOW_LINKS);
  }

  /** Runs {@code use} on the state {@code key} (or null) under the shared lock, marking it used. */
  public <T> T withState(String key, EntryUse<T> use) throws AppcException {
    return with(states.resolve(check(key)), use);
  }

  /** Runs {@code use} on the image {@code key} (or null) under the shared lock, marking it used. */
  public <T> T withAci(String key, EntryUse<T> use) throws AppcException {
    return with(acis.resolve(check(key)), use);
  }

  private <T> T with(Path entry, EntryUse<T> use) throws AppcException {
    try (StoreLock.Held held = store.lock().shared()) {
      boolean there = Files.exists(entry, LinkOption.NOFOLLOW_LINKS);
      if (there) {
        try {
          Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
        } catch (IOException e) {
          // an entry whose time cannot be set is still good; gc may take it sooner
        }
      }
      return use.use(there ? entry : null);
    } catch (IOException e) {
      throw new AppcException("build cache: " + entry + ": " + e.getMessage(), e);
    }
  }

  /** Renames the made directory {@code staged} into place as state {@code key}; an existing one is kept and {@code staged} removed. */
  public void putState(String key, Path staged) throws AppcException {
    put(staged, states.resolve(check(key)));
  }

  /** Renames the made directory {@code staged} into place as image {@code key}; an existing one is kept and {@code staged} removed. */
  public void putAci(String key, Path staged) throws AppcException {
    put(staged, acis.resolve(check(key)));
  }

  private void put(Path staged, Path target) throws AppcException {
    try (StoreLock.Held held = store.lock().exclusive()) {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        FileTrees.delete(staged);
        return;
      }
      try {
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        FileTrees.delete(staged);
      }
    } catch (IOException e) {
      throw new AppcException("build cache: cannot store " + target + ": " + e.getMessage(), e);
    }
  }

  /** What {@link #gc} removed. */
  public record GcResult(int states, int acis) {}

  /** Removes the entries not used within {@code unusedFor} before {@code now} ({@link Duration#ZERO}: all). */
  public GcResult gc(Duration unusedFor, Instant now) throws AppcException {
    Instant cutoff = now.minus(unusedFor);
    int s;
    int a;
    try (StoreLock.Held held = store.lock().exclusive()) {
      s = collect(states, cutoff);
      a = collect(acis, cutoff);
    } catch (IOException e) {
      throw new AppcException("build cache gc: " + e.getMessage(), e);
    }
    return new GcResult(s, a);
  }

  /** Moves the old entries of {@code dir} out of the way (in the store's tmp) and deletes them. */
  private int collect(Path dir, Instant cutoff) throws IOException, AppcException {
    int n = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        Instant used = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
        if (!used.isAfter(cutoff)) {
          Path away = newWorkDirectory().resolve("gone");
          Files.move(p, away, StandardCopyOption.ATOMIC_MOVE);
          FileTrees.delete(away.getParent());
          n++;
        }
      }
    }
    return n;
  }

  private static String check(String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("build cache: not a key: " + key);
    }
    return key;
  }
}
