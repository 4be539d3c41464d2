package org.appctools.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.appctools.AppcException;
import org.appctools.docker.json.DescriptorTemplate;
import org.appctools.docker.json.IndexTemplate;
import org.appctools.docker.json.PlatformTemplate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlatformTest {
  private static final IndexTemplate INDEX = new IndexTemplate(2, Manifests.OCI_INDEX, List.of(
      entry("amd", "linux", "amd64", null), entry("arm7", "linux", "arm", "v7"),
      entry("arm64", "linux", "arm64", "v8"), entry("win", "windows", "amd64", null)));

  private static DescriptorTemplate entry(String id, String os, String arch, String variant) {
    return new DescriptorTemplate(Manifests.OCI_MANIFEST, id, 1, Map.of(),
        new PlatformTemplate(arch, os, variant, null));
  }

  @ParameterizedTest
  @CsvSource({"linux,amd64,amd", "linux,x86_64,amd", "linux,arm/v7,arm7", "linux,armv7l,arm7",
      "linux,arm64,arm64", "linux,aarch64,arm64", "windows,amd64,win"})
  void choose_requestedPlatform_itsEntry(String os, String arch, String expected) throws AppcException {
    assertThat(Manifests.choose("img", INDEX, Platform.of(os, arch)).digest()).isEqualTo(expected);
  }

  @Test
  void choose_platformNotInIndex_listsTheOnesItHas() {
    assertThatThrownBy(() -> Manifests.choose("example.com/img:1", INDEX, Platform.of("linux", "s390x")))
        .isInstanceOf(AppcException.class)
        .hasMessage("example.com/img:1 has no image for linux/s390x (it has linux/amd64, linux/arm/v7, "
            + "linux/arm64/v8, windows/amd64); choose one with --os and --arch");
  }
}
