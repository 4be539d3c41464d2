package org.appctools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredTreeTest {
  @TempDir Path tmp;
  Path top;
  Path bottom;
  LayeredTree view;

  @BeforeEach
  void layers() throws Exception {
    top = Files.createDirectories(tmp.resolve("top"));
    bottom = Files.createDirectories(tmp.resolve("bottom"));
    Files.createDirectories(bottom.resolve("usr/lib"));
    Files.createDirectories(bottom.resolve("etc"));
    Files.writeString(bottom.resolve("etc/conf"), "bottom");
    Files.createSymbolicLink(bottom.resolve("lib"), Path.of("usr/lib"));
    Files.createSymbolicLink(bottom.resolve("abs"), Path.of("/etc"));
    Files.createSymbolicLink(bottom.resolve("up"), Path.of("../../../.."));
    Files.createDirectories(top.resolve("etc"));
    Files.writeString(top.resolve("etc/conf"), "top");
    Files.createSymbolicLink(top.resolve("loop"), Path.of("loop"));
    view = new LayeredTree(List.of(top, bottom));
  }

  @Test
  void entry_theTopLayerWins() throws Exception {
    assertThat(view.entry("etc/conf")).contains(top.resolve("etc/conf"));
    assertThat(view.entry("usr/lib")).contains(bottom.resolve("usr/lib"));
    assertThat(view.entry("nothing")).isEmpty();
  }

  @Test
  void resolve_symlinksAmongParents_areFollowedInsideTheView() throws Exception {
    assertThat(view.resolve("/lib/x", true).path()).isEqualTo("/usr/lib/x");
    assertThat(view.resolve("/abs/conf", true).path()).isEqualTo("/etc/conf");
    assertThat(view.resolve("/abs/conf", true).entry()).contains(top.resolve("etc/conf"));
  }

  @Test
  void resolve_dotDot_neverLeavesTheView() throws Exception {
    assertThat(view.resolve("/up/etc", true).path()).isEqualTo("/etc");
    assertThat(view.resolve("/../../etc/../usr", true).path()).isEqualTo("/usr");
  }

  @Test
  void resolve_lastSymlink_keptUnlessFollowed() throws Exception {
    assertThat(view.resolve("/lib", false).path()).isEqualTo("/lib");
    assertThat(view.resolve("/lib", true).path()).isEqualTo("/usr/lib");
    assertThat(view.resolve("/lib", true).isDirectory()).isTrue();
  }

  @Test
  void resolve_fileAsParent_fails() {
    assertThatThrownBy(() -> view.resolve("/etc/conf/x", true)).hasMessage("/etc/conf is not a directory (in /etc/conf/x)");
  }

  @Test
  void resolve_loop_fails() {
    assertThatThrownBy(() -> view.resolve("/loop/x", true)).hasMessage("too many levels of symbolic links in /loop/x");
  }
}
