package org.appctools.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.appctools.AppcException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {
  @ParameterizedTest
  @CsvSource({
    "busybox, registry-1.docker.io, library/busybox, latest, ''",
    "busybox:1.36, registry-1.docker.io, library/busybox, 1.36, ''",
    "docker.io/library/busybox:latest, registry-1.docker.io, library/busybox, latest, ''",
    "index.docker.io/jane/app, registry-1.docker.io, jane/app, latest, ''",
    "jane/app:v2, registry-1.docker.io, jane/app, v2, ''",
    "quay.io/coreos/etcd:v3.5.0, quay.io, coreos/etcd, v3.5.0, ''",
    "localhost/app, localhost, app, latest, ''",
    "127.0.0.1:5000/library/busybox, 127.0.0.1:5000, library/busybox, latest, ''",
    "example.com:443/a/b/c:t, example.com:443, a/b/c, t, ''",
    "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, registry-1.docker.io, library/busybox, '', sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
  })
  void parse_validReference_normalisedAsDocker(String text, String registry, String repository,
      String tag, String digest) throws AppcException {
    assertThat(ImageReference.parse(text)).isEqualTo(new ImageReference(registry, repository, tag, digest));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "''|invalid image reference \"\": empty (expected [REGISTRY/]NAME[:TAG][@DIGEST])",
    "Busybox|invalid image reference \"Busybox\": repository name component \"Busybox\" must be lowercase letters and digits, separated by . _ __ or -",
    "busybox:-bad|invalid image reference \"busybox:-bad\": tag \"-bad\" must be letters, digits, _ . - (at most 128, not starting with . or -)",
    "busybox@sha256:xyz|invalid image reference \"busybox@sha256:xyz\": digest \"sha256:xyz\" is not ALGORITHM:HEX",
    "example.com/|invalid image reference \"example.com/\": no repository name",
    "a//b|invalid image reference \"a//b\": repository name component \"\" must be lowercase letters and digits, separated by . _ __ or -",
  })
  void parse_invalidReference_saysWhy(String text, String message) {
    assertThatThrownBy(() -> ImageReference.parse(text)).isInstanceOf(AppcException.class).hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({"busybox, registry-1.docker.io/library/busybox:latest",
      "quay.io/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, quay.io/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
  void toString_parsed_fullReference(String text, String expected) throws AppcException {
    assertThat(ImageReference.parse(text)).hasToString(expected);
  }
}
