package org.appctools.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overlayfs' upper directory as it leaves it (whiteouts are 0/0 character devices, opaque
 * directories carry trusted.overlay.opaque): made by hand, which needs root (mknod, trusted.*).
 */
class OverlayChangesTest {
  @TempDir Path tmp;
  Path generation;
  Path clone;
  Path upper;

  @BeforeEach
  void layers() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "whiteouts and trusted.* xattrs need root");
    generation = Files.createDirectories(tmp.resolve("gen-1"));
    Files.createDirectories(generation.resolve("etc"));
    Files.writeString(generation.resolve("etc/passwd"), "root\n");
    Files.createDirectories(generation.resolve("var/cache/old"));
    Files.writeString(generation.resolve("var/cache/old/file"), "stale");
    Files.writeString(generation.resolve("var/keep"), "kept");
    Files.writeString(generation.resolve("gone"), "deleted by the command");
    Files.createDirectories(generation.resolve("tree/deep"));
    Files.writeString(generation.resolve("tree/deep/x"), "x");
    Files.createSymbolicLink(generation.resolve("link"), Path.of("etc"));
    clone = tmp.resolve("gen-2");
    BuildSession.run("test", List.of("cp", "-a", "-l", "-T", generation.toString(), clone.toString()));
    upper = Files.createDirectories(tmp.resolve("upper"));
  }

  @Test
  void apply_everyKindOfChange_theCloneShowsWhatTheOverlayShowed() throws Exception {
    Files.createDirectories(upper.resolve("etc"));
    Files.writeString(upper.resolve("etc/passwd"), "root\napp\n");
    BuildSession.run("test", List.of("mknod", upper.resolve("gone").toString(), "c", "0", "0"));
    BuildSession.run("test", List.of("mknod", upper.resolve("tree").toString(), "c", "0", "0"));
    Files.createDirectories(upper.resolve("var/cache"));
    Files.writeString(upper.resolve("var/cache/fresh"), "new");
    BuildSession.run("test", List.of("setfattr", "-n", "trusted.overlay.opaque", "-v", "y", upper.resolve("var/cache").toString()));
    Files.createDirectories(upper.resolve("opt/app"));
    Files.writeString(upper.resolve("opt/app/bin"), "binary");
    Files.createSymbolicLink(upper.resolve("link"), Path.of("var"));
    Files.setAttribute(upper.resolve("var"), "unix:mode", 0700);
    Files.setLastModifiedTime(upper.resolve("var"), FileTime.fromMillis(1_600_000_000_000L));

    OverlayChanges.Applied applied = OverlayChanges.apply(upper, clone);

    assertThat(applied.deleted()).containsExactly("gone", "tree", "var/cache");
    assertThat(applied.created()).containsExactly("opt", "var/cache");
    assertThat(applied.replaced()).containsExactly("etc/passwd", "link");
    assertThat(Files.readString(clone.resolve("etc/passwd"))).isEqualTo("root\napp\n");
    assertThat(clone.resolve("gone")).doesNotExist();
    assertThat(clone.resolve("tree")).doesNotExist();
    // an opaque directory replaces the one there: the old entry is gone
    assertThat(clone.resolve("var/cache/old")).doesNotExist();
    assertThat(Files.readString(clone.resolve("var/cache/fresh"))).isEqualTo("new");
    assertThat(Files.readString(clone.resolve("var/keep"))).isEqualTo("kept");
    assertThat(Files.readString(clone.resolve("opt/app/bin"))).isEqualTo("binary");
    assertThat(Files.readSymbolicLink(clone.resolve("link"))).isEqualTo(Path.of("var"));
    assertThat(Files.getAttribute(clone.resolve("var"), "unix:mode")).isEqualTo(040700);
    assertThat(Files.getLastModifiedTime(clone.resolve("var")).toMillis()).isEqualTo(1_600_000_000_000L);
    assertThat(xattrs(clone)).doesNotContain("trusted.overlay");
    // the generation the clone shares inodes with is as it was
    assertThat(Files.readString(generation.resolve("etc/passwd"))).isEqualTo("root\n");
    assertThat(Files.readString(generation.resolve("var/cache/old/file"))).isEqualTo("stale");
    assertThat(generation.resolve("gone")).exists();
    assertThat(Files.getAttribute(generation.resolve("var"), "unix:mode")).isEqualTo(040755);
    assertThat(Files.isDirectory(generation.resolve("tree/deep"), LinkOption.NOFOLLOW_LINKS)).isTrue();
  }

  @Test
  void apply_modifiedFile_isANewInode_neverAWriteThroughTheSharedLink() throws Exception {
    Object before = Files.getAttribute(generation.resolve("var/keep"), "unix:ino");
    assertThat(Files.getAttribute(clone.resolve("var/keep"), "unix:ino")).isEqualTo(before);
    Files.createDirectories(upper.resolve("var"));
    Files.writeString(upper.resolve("var/keep"), "changed");

    OverlayChanges.apply(upper, clone);

    assertThat(Files.getAttribute(clone.resolve("var/keep"), "unix:ino")).isNotEqualTo(before);
    assertThat(Files.readString(clone.resolve("var/keep"))).isEqualTo("changed");
    assertThat(Files.readString(generation.resolve("var/keep"))).isEqualTo("kept");
  }

  private static String xattrs(Path root) throws Exception {
    Process p = new ProcessBuilder("getfattr", "-R", "-h", "-d", "-m", "-", root.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }
}
