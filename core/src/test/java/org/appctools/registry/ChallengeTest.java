package org.appctools.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeTest {
  @Test
  void parse_dockerHubBearer_realmServiceScope() {
    assertThat(Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
        + "scope=\"repository:library/busybox:pull\"")).containsExactly(new Challenge("bearer", Map.of(
            "realm", "https://auth.docker.io/token", "service", "registry.docker.io",
            "scope", "repository:library/busybox:pull")));
  }

  @Test
  void parse_commasInQuotedValuesAndExtraParameters_kept() {
    // the Go docker2aci split on every comma and wanted exactly three parameters
    assertThat(Challenge.parse("Bearer realm=\"https://h/token?a=1,b=2\", service=\"s\", "
        + "scope=\"repository:x:pull,push\", error=\"insufficient_scope\"").get(0).params())
        .containsEntry("realm", "https://h/token?a=1,b=2")
        .containsEntry("scope", "repository:x:pull,push")
        .containsEntry("error", "insufficient_scope");
  }

  @Test
  void parse_basicAndBearerTogether_both() {
    List<Challenge> c = Challenge.parse("Basic realm=\"Registry Realm\", Bearer realm=\"https://t\"");
    assertThat(c).extracting(Challenge::scheme).containsExactly("basic", "bearer");
    assertThat(c.get(0).params()).containsEntry("realm", "Registry Realm");
  }

  @Test
  void parse_noHeader_none() {
    assertThat(Challenge.parse(null)).isEmpty();
    assertThat(Challenge.parse("")).isEmpty();
  }
}
