package org.appctools.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.appctools.AppcException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppIdentityTest {
  @TempDir Path rootfs;

  @BeforeEach
  void passwdAndGroup() throws Exception {
    Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n42:x:7:7::/:/bin/sh\n");
    Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:app\n");
  }

  @ParameterizedTest
  @CsvSource({"root,0", "app,1000", "1234,1234", "42,7"})
  void uid_nameOrNumber_resolvesAgainstImagePasswd(String user, long expected) throws Exception {
    assertThat(AppIdentity.uid(rootfs, user)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"root,0", "staff,50", "99,99"})
  void gid_nameOrNumber_resolvesAgainstImageGroup(String group, long expected) throws Exception {
    assertThat(AppIdentity.gid(rootfs, group)).isEqualTo(expected);
  }

  @Test
  void uid_absolutePath_usesTheFilesOwner() throws Exception {
    Path f = Files.writeString(rootfs.resolve("etc/owned"), "x");
    long owner = ((Number) Files.getAttribute(f, "unix:uid")).longValue();
    assertThat(AppIdentity.uid(rootfs, "/etc/owned")).isEqualTo(owner);
  }

  @Test
  void uid_unknownName_failsNamingTheFix() {
    assertThatThrownBy(() -> AppIdentity.uid(rootfs, "nobody"))
        .isInstanceOf(AppcException.class)
        .hasMessage("resolve user: \"nobody\" is not in the image's /etc/passwd, not a number and not an absolute path"
            + " (add it to /etc/passwd or use a numeric ID)");
  }

  @Test
  void uid_missingPath_fails() {
    assertThatThrownBy(() -> AppIdentity.uid(rootfs, "/usr/bin/ping"))
        .hasMessage("resolve user: \"/usr/bin/ping\" does not exist in the image's rootfs");
  }

  @Test
  void uid_noPasswdFile_numbersStillWork() throws Exception {
    Files.delete(rootfs.resolve("etc/passwd"));
    assertThat(AppIdentity.uid(rootfs, "0")).isZero();
  }

  @Test
  void account_byUid_nameHomeAndShellOfTheImagesPasswd() throws Exception {
    assertThat(AppIdentity.account(rootfs, 1000)).contains(new AppIdentity.Account("app", "/home/app", "/bin/sh"));
    assertThat(AppIdentity.account(rootfs, 4242)).isEmpty();
  }
}
