package org.appctools.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.appctools.AppcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir Path dir;

  private static String auth(String userPass) {
    return Base64.getEncoder().encodeToString(userPass.getBytes());
  }

  @Test
  void find_authsEntryByHostOrUrl_decoded() throws Exception {
    Files.writeString(dir.resolve("config.json"), "{\"auths\":{"
        + "\"https://index.docker.io/v1/\":{\"auth\":\"" + auth("hub:secret") + "\"},"
        + "\"https://reg.example.com\":{\"auth\":\"" + auth("jane:p:w") + "\"},"
        + "\"127.0.0.1:5000\":{\"username\":\"u\",\"password\":\"p\"}}}");
    Credentials c = new Credentials(dir);
    assertThat(c.find("registry-1.docker.io")).hasValue(new Credentials.Login("hub", "secret"));
    assertThat(c.find("reg.example.com")).hasValue(new Credentials.Login("jane", "p:w"));
    assertThat(c.find("127.0.0.1:5000")).hasValue(new Credentials.Login("u", "p"));
    assertThat(c.find("other.example.com")).isEmpty();
  }

  @Test
  void find_noConfigOrNoDirectory_none() throws AppcException {
    assertThat(new Credentials(dir).find("quay.io")).isEmpty();
    assertThat(new Credentials(null).find("quay.io")).isEmpty();
  }

  @Test
  void find_authNotBase64_saysWhere() throws Exception {
    Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"quay.io\":{\"auth\":\"%%%\"}}}");
    assertThatThrownBy(() -> new Credentials(dir).find("quay.io"))
        .hasMessage(dir.resolve("config.json") + ": auths.quay.io.auth is not base64");
  }

  @Test
  void find_helperThatIsNotInstalled_saysWhichProgram() throws Exception {
    Files.writeString(dir.resolve("config.json"), "{\"credHelpers\":{\"quay.io\":\"nonexistent-appctools-test\"}}");
    assertThatThrownBy(() -> new Credentials(dir).find("quay.io"))
        .hasMessageStartingWith("cannot run the credential helper docker-credential-nonexistent-appctools-test (is it on PATH?)");
  }
}
