package org.appctools.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void delete_readOnlyDirectoriesAndSymlinks_goneWithoutFollowingLinks() throws Exception {
    Path outside = Files.writeString(tmp.resolve("outside"), "keep");
    Path root = Files.createDirectories(tmp.resolve("root/a/b"));
    Files.writeString(root.resolve("f"), "x");
    Files.createSymbolicLink(root.resolve("link"), outside);
    Files.createSymbolicLink(tmp.resolve("root/dirlink"), tmp);
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.setPosixFilePermissions(root.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));

    FileTrees.delete(tmp.resolve("root"));

    assertThat(tmp.resolve("root")).doesNotExist();
    assertThat(outside).hasContent("keep");
  }

  @Test
  void deleteBelow_keepingTheRoot_emptiesIt() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("root/a"));
    Files.writeString(root.resolve("f"), "x");

    FileTrees.deleteBelow(tmp.resolve("root"), false);

    assertThat(tmp.resolve("root")).isEmptyDirectory();
  }

  @Test
  void delete_missingOrPlainFile_fine() throws Exception {
    FileTrees.delete(tmp.resolve("missing"));
    Path f = Files.writeString(tmp.resolve("f"), "x");
    FileTrees.delete(f);
    assertThat(f).doesNotExist();
  }
}
