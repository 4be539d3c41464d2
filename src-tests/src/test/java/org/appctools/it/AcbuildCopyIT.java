package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** acbuild copy and copy-to-dir. */
class AcbuildCopyIT {
  @TempDir Path tmp;
  Path work;
  Path scratch;

  @BeforeEach
  void begin() throws Exception {
    work = Files.createDirectories(tmp.resolve("work"));
    scratch = Files.createDirectories(tmp.resolve("scratch"));
    Tools.acbuild(work, "begin").expectOk();
    Tools.acbuild(work, "set-name", "example.com/copy").expectOk();
  }

  @Test
  void copy_fileToExactPath_createsParents() throws Exception {
    Path f = Files.writeString(tmp.resolve("nginx.conf"), "worker_processes 1;\n");

    Tools.acbuild(work, "copy", f.toString(), "/etc/nginx/nginx.conf").expectOk();

    assertThat(Tools.rootfs(work, scratch).resolve("etc/nginx/nginx.conf")).hasContent("worker_processes 1;");
  }

  @Test
  void copy_directory_copiesTheTree() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("site/css"));
    Files.writeString(d.resolve("a.css"), "body{}");

    Tools.acbuild(work, "copy", tmp.resolve("site").toString(), "/srv/www").expectOk();

    assertThat(Tools.rootfs(work, scratch).resolve("srv/www/css/a.css")).hasContent("body{}");
  }

  @Test
  void copy_recordsHistoryAsTheGoTool() throws Exception {
    Path f = Files.writeString(tmp.resolve("x"), "x");

    Tools.acbuild(work, "copy", f.toString(), "/x").expectOk();

    assertThat(Tools.manifest(work).get("annotations").toString())
        .contains("acbuild copy \\\"" + f + "\\\" \\\"/x\\\"");
  }

  @Test
  void copy_missingSource_failsAndChangesNothing() throws Exception {
    Tools.Result r = Tools.acbuild(work, "copy", tmp.resolve("absent").toString(), "/absent");

    assertThat(r.code()).isNotZero();
    assertThat(r.err()).startsWith("copy: ").contains("absent");
    assertThat(Tools.rootfs(work, scratch).resolve("absent")).doesNotExist();
  }

  @Test
  void copy_wrongArgumentCount_exits1() {
    Tools.Result r = Tools.acbuild(work, "copy", "/etc/hostname");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("copy: incorrect number of arguments");
  }

  @Test
  void copy_chmod_setsTheMode() throws Exception {
    Path f = Files.writeString(tmp.resolve("tool"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));

    Tools.acbuild(work, "copy", "--chmod", "0750", f.toString(), "/usr/bin/tool").expectOk();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Tools.rootfs(work, scratch).resolve("usr/bin/tool"))))
        .isEqualTo("rwxr-x---");
  }

  @Test
  void copy_badChownOrChmod_isAUsageError() throws Exception {
    Path f = Files.writeString(tmp.resolve("f"), "f");

    Tools.Result chown = Tools.acbuild(work, "copy", "--chown", "root", f.toString(), "/f");
    Tools.Result chmod = Tools.acbuild(work, "copy", "--chmod", "999", f.toString(), "/f");

    assertThat(chown.code()).isEqualTo(3);
    assertThat(chown.err()).contains("--chown", "UID:GID");
    assertThat(chmod.code()).isEqualTo(3);
    assertThat(chmod.err()).contains("--chmod", "octal");
  }

  @Test
  void copyToDir_manySources_landInTheDirectory() throws Exception {
    Path a = Files.writeString(tmp.resolve("a"), "A");
    Path b = Files.writeString(tmp.resolve("b"), "B");

    Tools.acbuild(work, "copy-to-dir", a.toString(), b.toString(), "/opt/bin").expectOk();

    Path rootfs = Tools.rootfs(work, scratch);
    assertThat(rootfs.resolve("opt/bin/a")).hasContent("A");
    assertThat(rootfs.resolve("opt/bin/b")).hasContent("B");
  }

  @Test
  void copyToDir_chmodAppliesToEverySource() throws Exception {
    Path a = Files.writeString(tmp.resolve("a"), "A");
    Path b = Files.writeString(tmp.resolve("b"), "B");

    Tools.acbuild(work, "copy-to-dir", "--chmod=600", a.toString(), b.toString(), "/opt").expectOk();

    Path rootfs = Tools.rootfs(work, scratch);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rootfs.resolve("opt/a")))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rootfs.resolve("opt/b")))).isEqualTo("rw-------");
  }

  @Test
  void copyToDir_oneArgument_exits1() {
    Tools.Result r = Tools.acbuild(work, "copy-to-dir", "/etc/hostname");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("copy-to-dir: incorrect number of arguments");
  }
}
