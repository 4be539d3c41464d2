package org.appctools.schema.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelsTest {

  private static Labels osArch(String os, String arch) {
    Labels l = Labels.of();
    if (!os.isEmpty()) {
      l = l.with(AcIdentifier.parse("os"), os);
    }
    if (!arch.isEmpty()) {
      l = l.with(AcIdentifier.parse("arch"), arch);
    }
    return l;
  }

  @ParameterizedTest
  @CsvSource({"linux,amd64", "linux,i386", "linux,aarch64", "linux,aarch64_be", "linux,armv6l", "linux,armv7l",
      "linux,armv7b", "linux,ppc64", "linux,ppc64le", "linux,s390x", "freebsd,amd64", "freebsd,i386", "freebsd,arm",
      "darwin,x86_64", "darwin,i386", "linux,''", "'',sparc", "'',amd64"})
  void new_validOsArch_accepted(String os, String arch) {
    assertThat(osArch(os, arch).list()).hasSize((os.isEmpty() ? 0 : 1) + (arch.isEmpty() ? 0 : 1));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "windows|amd64|invalid label os \"windows\": must be one of darwin, freebsd, linux",
      "linux|arm64|invalid label arch \"arm64\" for os \"linux\": must be one of amd64, i386, aarch64, aarch64_be, armv6l, armv7l, armv7b, ppc64, ppc64le, s390x",
      "darwin|amd64|invalid label arch \"amd64\" for os \"darwin\": must be one of x86_64, i386",
      "freebsd|armv7l|invalid label arch \"armv7l\" for os \"freebsd\": must be one of amd64, i386, arm",
  })
  void new_invalidOsArch_throws(String os, String arch, String message) {
    assertThatThrownBy(() -> osArch(os, arch)).isInstanceOf(InvalidValueException.class).hasMessage(message);
  }

  @Test
  void new_duplicateName_throws() {
    Label a = new Label(AcIdentifier.parse("version"), "1");
    Label b = new Label(AcIdentifier.parse("version"), "2");

    assertThatThrownBy(() -> Labels.of(List.of(a, b)))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid labels: duplicate name \"version\"");
  }

  @Test
  void label_nameName_throws() {
    assertThatThrownBy(() -> new Label(AcIdentifier.parse("name"), "x"))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage("invalid label name \"name\": reserved, the image name is a separate field");
  }

  @Test
  void with_existingName_replacesInPlace() {
    Labels l = Labels.of().with(AcIdentifier.parse("a"), "1").with(AcIdentifier.parse("b"), "2")
        .with(AcIdentifier.parse("a"), "3");

    assertThat(l.list()).containsExactly(new Label(AcIdentifier.parse("a"), "3"), new Label(AcIdentifier.parse("b"), "2"));
  }

  @Test
  void without_presentAndAbsent_removesOrKeeps() {
    Labels l = Labels.of().with(AcIdentifier.parse("a"), "1");

    assertThat(l.without(AcIdentifier.parse("a")).isEmpty()).isTrue();
    assertThat(l.without(AcIdentifier.parse("z"))).isEqualTo(l);
    assertThat(l.get("a")).contains("1");
    assertThat(l.get("z")).isEmpty();
  }

  @Test
  void label_nullValue_readsAsEmptyLikeGo() {
    assertThat(new Label(AcIdentifier.parse("channel"), null).value()).isEmpty();
  }

  @Test
  void appcArch_javaNames_appcTable() {
    assertThat(Labels.appcArch("amd64", "linux")).isEqualTo("amd64");
    assertThat(Labels.appcArch("x86", "linux")).isEqualTo("i386");
    assertThat(Labels.appcArch("aarch64", "linux")).isEqualTo("aarch64");
    assertThat(Labels.appcArch("arm64", "linux")).isEqualTo("aarch64");
    assertThat(Labels.appcArch("ppc64le", "linux")).isEqualTo("ppc64le");
    assertThat(Labels.appcArch("x86_64", "darwin")).isEqualTo("x86_64");
  }

  @Test
  void appcOs_javaNames_appcLabels() {
    assertThat(Labels.appcOs("Linux")).isEqualTo("linux");
    assertThat(Labels.appcOs("Mac OS X")).isEqualTo("darwin");
    assertThat(Labels.appcOs("FreeBSD")).isEqualTo("freebsd");
  }
}
