package org.appctools.executor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.appctools.AppcException;

/**
 * The merged view of layered directories as overlayfs shows it (the top layer first; no
 * whiteouts, which the store's trees and a build's rootfs never hold), read without mounting
 * anything. Paths are resolved as the app will see them: symlinks inside the view, never outside
 * it.
 */
final class LayeredTree {
  private static final int MAX_SYMLINKS = 40;

  private final List<Path> layers;

  LayeredTree(List<Path> layers) {
    this.layers = List.copyOf(layers);
  }

  /** A path of the view after resolution, and the entry it names (empty when absent). */
  record Resolved(String path, Optional<Path> entry) {
    boolean isDirectory() {
      return entry.isPresent() && Files.isDirectory(entry.get(), LinkOption.NOFOLLOW_LINKS);
    }
  }

  /** The top-most layer's entry at {@code rel} (relative, no symlinks among its parents). */
  Optional<Path> entry(String rel) {
    for (Path layer : layers) {
      Path p = rel.isEmpty() ? layer : layer.resolve(rel);
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * Resolves {@code path} (absolute in the view) with the view as {@code /}: symlinks among its
   * parents, and the last one too when {@code followLast}, are followed; {@code ..} never leaves
   * the view. Fails when a parent is not a directory.
   */
  Resolved resolve(String path, boolean followLast) throws AppcException {
    Deque<String> todo = new ArrayDeque<>();
    for (String c : path.split("/")) {
      if (!c.isEmpty() && !c.equals(".")) {
        todo.addLast(c);
      }
    }
    List<String> done = new ArrayList<>();
    int links = 0;
    Optional<Path> last = entry("");
    while (!todo.isEmpty()) {
      String c = todo.removeFirst();
      if (c.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        last = entry(String.join("/", done));
        continue;
      }
      String rel = done.isEmpty() ? c : String.join("/", done) + "/" + c;
      Optional<Path> e = entry(rel);
      if (e.isPresent() && Files.isSymbolicLink(e.get()) && (!todo.isEmpty() || followLast)) {
        if (++links > MAX_SYMLINKS) {
          throw new AppcException("too many levels of symbolic links in " + path);
        }
        String target;
        try {
          target = Files.readSymbolicLink(e.get()).toString();
        } catch (IOException ex) {
          throw new AppcException("cannot read the symbolic link /" + rel + ": " + ex.getMessage(), ex);
        }
        if (target.startsWith("/")) {
          done.clear();
        }
        String[] parts = target.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
          if (!parts[i].isEmpty() && !parts[i].equals(".")) {
            todo.addFirst(parts[i]);
          }
        }
        last = entry(String.join("/", done));
        continue;
      }
      if (!todo.isEmpty() && e.isPresent() && !Files.isDirectory(e.get(), LinkOption.NOFOLLOW_LINKS)) {
        throw new AppcException("/" + rel + " is not a directory (in " + path + ")");
      }
      done.add(c);
      last = e;
    }
    return new Resolved("/" + String.join("/", done), last);
  }
}
