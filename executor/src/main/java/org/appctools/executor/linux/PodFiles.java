package org.appctools.executor.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.appctools.AppcException;
import org.appctools.executor.PodPlan;

/** Makes the files a {@link PodPlan} prepares, and writes stage1's files into the pod directory. */
final class PodFiles {
  private PodFiles() {}

  /**
   * Makes every entry in order: directories (kept when present, their mode and owner set),
   * regular files (replacing a non-directory), symlinks; directory times last, once their content
   * is made.
   */
  static void prepare(List<PodPlan.Prep> prep, boolean root) throws AppcException {
    List<PodPlan.Dir> timed = new ArrayList<>();
    for (PodPlan.Prep p : prep) {
      try {
        if (p instanceof PodPlan.Dir d) {
          if (!Files.isDirectory(d.path(), LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(d.path());
          }
          attributes(d.path(), d.mode(), d.uid(), d.gid(), root);
          if (d.mtimeMillis() != null) {
            timed.add(d);
          }
        } else if (p instanceof PodPlan.File f) {
          if (Files.exists(f.path(), LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(f.path(), LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(f.path());
          }
          Files.write(f.path(), f.content());
          attributes(f.path(), f.mode(), f.uid(), f.gid(), root);
        } else if (p instanceof PodPlan.Symlink s) {
          try {
            Files.createSymbolicLink(s.path(), Path.of(s.target()));
          } catch (FileAlreadyExistsException e) {
            if (!Files.isSymbolicLink(s.path()) || !Files.readSymbolicLink(s.path()).toString().equals(s.target())) {
              throw e;
            }
          }
        }
      } catch (IOException e) {
        throw new AppcException("preparing " + p.path() + ": " + e, e);
      }
    }
    for (int i = timed.size() - 1; i >= 0; i--) {
      PodPlan.Dir d = timed.get(i);
      try {
        Files.setLastModifiedTime(d.path(), FileTime.fromMillis(d.mtimeMillis()));
      } catch (IOException e) {
        throw new AppcException("preparing " + d.path() + ": " + e, e);
      }
    }
  }

  private static void attributes(Path p, int mode, long uid, long gid, boolean root) throws IOException {
    Files.setAttribute(p, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    if (root) {
      Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(p, "unix:gid", (int) gid, LinkOption.NOFOLLOW_LINKS);
    }
  }

  /** Writes stage1's files (fstabs, plan.sh, stage1.sh) into the pod directory. */
  static void write(Path dir, Map<String, String> files) throws AppcException {
    for (Map.Entry<String, String> f : files.entrySet()) {
      try {
        Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new AppcException("writing " + dir.resolve(f.getKey()) + ": " + e, e);
      }
    }
  }
}
