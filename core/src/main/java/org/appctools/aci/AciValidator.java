package org.appctools.aci;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.TreeSet;
import org.appctools.AppcException;
import org.appctools.compress.Compression;
import org.appctools.schema.ManifestCheck;
import org.appctools.tar.TarEntryType;

/**
 * Validates ACI files and layouts like {@code actool validate}, listing every problem found
 * rather than stopping at the first. Image validation streams the archive once and does not
 * hash it.
 */
public final class AciValidator {
  private AciValidator() {}

  /** What a path holds. */
  public enum FileType {
    IMAGE,
    LAYOUT,
    MANIFEST
  }

  /** Every error and warning found. */
  public record Report(List<String> errors, List<String> warnings) {
    public Report {
      errors = List.copyOf(errors);
      warnings = List.copyOf(warnings);
    }

    public boolean valid() {
      return errors.isEmpty();
    }
  }

  /** A directory is a layout; compressed or tar data is an image; anything else a manifest. */
  public static FileType detect(Path path) throws AppcException {
    if (Files.isDirectory(path)) {
      return FileType.LAYOUT;
    }
    try {
      return AciStreams.detect(path) != null ? FileType.IMAGE : FileType.MANIFEST;
    } catch (IOException e) {
      throw new AppcException("validate: " + path + ": cannot read: " + e.getMessage(), e);
    }
  }

  public static Report validateImage(Path aci) throws AppcException {
    return validateImage(aci, ReadLimits.defaults());
  }

  /**
   * Checks an ACI file: a manifest entry that passes {@link ManifestCheck#checkImageManifest},
   * an explicit {@code rootfs} directory entry, nothing outside {@code manifest} and {@code
   * rootfs/}, no duplicates, no absolute or {@code ..} names, hard links only to earlier
   * entries inside the rootfs, and intact compression. zstd gives a warning.
   *
   * @throws AppcException only when the file cannot be opened at all
   */
  public static Report validateImage(Path aci, ReadLimits limits) throws AppcException {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Compression compression;
    try {
      compression = AciStreams.detect(aci);
    } catch (IOException e) {
      throw new AppcException("validate: " + aci + ": cannot read: " + e.getMessage(), e);
    }
    if (compression == null) {
      errors.add("not an ACI: no gzip, bzip2, xz, zstd or tar signature");
      return new Report(errors, warnings);
    }
    if (!compression.inSpec()) {
      warnings.add("compression " + compression + " is not in the appc spec (gzip, bzip2, xz)");
    }
    EntryRules rules = new EntryRules();
    // The manifest is checked on its own thread while the tar goes on streaming (Jackson's
    // first use costs a tenth of a second); its findings are put back where the entry was.
    List<PendingCheck> checks = new ArrayList<>();
    try {
      AciArchive.visit("validate", aci, limits, false, (item, content) -> {
        String problem = rules.check(item);
        if (problem != null) {
          errors.add(EntryRules.entryMessage(item, problem));
          return true;
        }
        if (item.name().equals(EntryRules.MANIFEST) && item.type() == TarEntryType.FILE) {
          if (item.size() > limits.maxManifestBytes()) {
            errors.add("manifest: " + item.size() + " bytes is more than the limit of "
                + limits.maxManifestBytes() + " (a manifest is small JSON: this is not a genuine image)");
          } else {
            checks.add(new PendingCheck(content.readAllBytes(), errors.size(), warnings.size()));
          }
        }
        return true;
      });
    } catch (AppcException e) {
      // reading stopped: what was not seen yet is unknown, so no "missing" errors follow
      String m = e.getMessage();
      String prefix = "validate: " + aci + ": ";
      errors.add(m.startsWith(prefix) ? m.substring(prefix.length()) : m);
      PendingCheck.insertAll(checks, errors, warnings);
      return new Report(errors, warnings);
    }
    PendingCheck.insertAll(checks, errors, warnings);
    if (!rules.sawManifest()) {
      errors.add("missing manifest entry");
    }
    if (!rules.sawRootfs()) {
      errors.add("missing explicit rootfs directory entry (the spec requires a \"rootfs\" entry)");
    }
    return new Report(errors, warnings);
  }

  /**
   * Checks a layout directory: exactly a regular file {@code manifest} that passes {@link
   * ManifestCheck#checkImageManifest} and a directory {@code rootfs}; every other top-level
   * entry is named in an error.
   */
  public static Report validateLayout(Path dir) throws AppcException {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      errors.add("layout " + dir + " is not a directory");
      return new Report(errors, warnings);
    }
    TreeSet<String> names = new TreeSet<>();
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        names.add(child.getFileName().toString());
      }
    } catch (IOException e) {
      throw new AppcException("validate: " + dir + ": cannot list: " + e.getMessage(), e);
    }
    Path manifest = dir.resolve(EntryRules.MANIFEST);
    if (!names.contains(EntryRules.MANIFEST)) {
      errors.add("missing manifest file");
    } else if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
      errors.add("manifest must be a regular file");
    } else {
      try {
        long size = Files.size(manifest);
        if (size > ReadLimits.DEFAULT_MAX_MANIFEST_BYTES) {
          errors.add("manifest: " + size + " bytes is more than the limit of "
              + ReadLimits.DEFAULT_MAX_MANIFEST_BYTES);
        } else {
          ManifestCheck.Findings f = ManifestCheck.checkImageManifest(Files.readAllBytes(manifest));
          f.errors().forEach(e -> errors.add("manifest: " + e));
          f.warnings().forEach(w -> warnings.add("manifest: " + w));
        }
      } catch (IOException e) {
        errors.add("manifest: cannot read: " + e.getMessage());
      }
    }
    if (!names.contains(EntryRules.ROOTFS)) {
      errors.add("missing rootfs directory");
    } else if (!Files.isDirectory(dir.resolve(EntryRules.ROOTFS), LinkOption.NOFOLLOW_LINKS)) {
      errors.add("rootfs must be a directory");
    }
    for (String name : names) {
      if (!name.equals(EntryRules.MANIFEST) && !name.equals(EntryRules.ROOTFS)) {
        errors.add("unexpected top-level entry \"" + name + "\" (a layout holds only manifest "
            + "and rootfs/)");
      }
    }
    return new Report(errors, warnings);
  }

  /** A manifest check running on its own thread, and where its findings belong in the report. */
  private static final class PendingCheck {
    private final FutureTask<ManifestCheck.Findings> task;
    private final int errorIndex;
    private final int warningIndex;

    PendingCheck(byte[] manifest, int errorIndex, int warningIndex) {
      this.task = new FutureTask<>(() -> ManifestCheck.checkImageManifest(manifest));
      this.errorIndex = errorIndex;
      this.warningIndex = warningIndex;
      Thread t = new Thread(task, "manifest-check");
      t.setDaemon(true);
      t.start();
    }

    /** Waits for every check and inserts its findings, last first so earlier indexes hold. */
    static void insertAll(List<PendingCheck> checks, List<String> errors, List<String> warnings) {
      for (int i = checks.size() - 1; i >= 0; i--) {
        PendingCheck c = checks.get(i);
        ManifestCheck.Findings f;
        try {
          f = c.task.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          errors.add(c.errorIndex, "manifest: check interrupted");
          continue;
        } catch (ExecutionException e) {
          errors.add(c.errorIndex, "manifest: check failed: " + e.getCause());
          continue;
        }
        errors.addAll(c.errorIndex, f.errors().stream().map(x -> "manifest: " + x).toList());
        warnings.addAll(c.warningIndex, f.warnings().stream().map(x -> "manifest: " + x).toList());
      }
    }
  }
}
