package org.appctools.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubordinateIdsTest {
  @Test
  void find_byNameInBothFiles_theFirstRangeOfEach() {
    SubordinateIds ids = SubordinateIds.find("alice", 1001,
        List.of("bob:100000:65536", "alice:200000:65536", "alice:300000:10"), List.of("alice:400000:1000"));
    assertThat(ids).isEqualTo(new SubordinateIds(200000, 65536, 400000, 1000));
  }

  @Test
  void find_byUid_asNewuidmapReadsIt() {
    assertThat(SubordinateIds.find("alice", 1001, List.of("1001:200000:65536"), List.of("alice:200000:65536")))
        .isEqualTo(new SubordinateIds(200000, 65536, 200000, 65536));
  }

  @Test
  void find_commentsBlankAndMalformedLines_grantNothing() {
    List<String> junk = List.of("# alice:1:2", "", "alice:x:65536", "alice:100000", "alice:0:10", "alice:5:0");
    assertThat(SubordinateIds.find("alice", 1001, junk, List.of("alice:200000:65536"))).isNull();
  }

  @Test
  void find_noGroupRange_isNull() {
    assertThat(SubordinateIds.find("alice", 1001, List.of("alice:200000:65536"), List.of("bob:200000:65536"))).isNull();
  }

  @Test
  void maps_zeroToCount_inclusive() {
    SubordinateIds ids = new SubordinateIds(200000, 65536, 300000, 100);
    assertThat(ids.mapsUser(0)).isTrue();
    assertThat(ids.mapsUser(65536)).isTrue();
    assertThat(ids.mapsUser(65537)).isFalse();
    assertThat(ids.mapsUser(-1)).isFalse();
    assertThat(ids.mapsGroup(100)).isTrue();
    assertThat(ids.mapsGroup(101)).isFalse();
  }

  @Test
  void unshareOptions_mapIdsFromOne() {
    assertThat(new SubordinateIds(200000, 65536, 300000, 100).unshareOptions())
        .containsExactly("--map-users=200000,1,65536", "--map-groups=300000,1,100");
  }
}
