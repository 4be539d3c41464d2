package org.appctools.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.appctools.schema.types.Isolators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgroupLimitsTest {
  @Test
  void of_noResourceIsolators_isEmpty() {
    CgroupLimits l = CgroupLimits.of(List.of(Isolators.noNewPrivileges(true)));
    assertThat(l.isEmpty()).isTrue();
    assertThat(l.controllers()).isEmpty();
    assertThat(l.v1Files()).isEmpty();
    assertThat(l.v2Files()).isEmpty();
  }

  @Test
  void memory_limitAndRequest_v1AndV2Files() {
    CgroupLimits l = CgroupLimits.of(List.of(Isolators.resourceMemory("64Mi", "128Mi")));
    assertThat(l).isEqualTo(new CgroupLimits(134_217_728L, 67_108_864L, null, null));
    assertThat(l.v1Files()).containsExactly(Map.entry("memory", Map.of(
        "memory.limit_in_bytes", "134217728", "memory.memsw.limit_in_bytes", "134217728",
        "memory.soft_limit_in_bytes", "67108864")));
    assertThat(l.v1Files().get("memory").keySet())
        .containsExactly("memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.soft_limit_in_bytes");
    assertThat(l.v2Files()).containsExactly(Map.entry("memory.max", "134217728"), Map.entry("memory.swap.max", "0"),
        Map.entry("memory.low", "67108864"));
  }

  @Test
  void cpu_limitIsAQuotaOfTheStandardPeriod_requestIsAWeight() {
    CgroupLimits l = CgroupLimits.of(List.of(Isolators.resourceCpu("250m", "1500m")));
    assertThat(l).isEqualTo(new CgroupLimits(null, null, 1500L, 256L));
    assertThat(l.v1Files().get("cpu")).containsExactly(Map.entry("cpu.cfs_period_us", "100000"),
        Map.entry("cpu.cfs_quota_us", "150000"), Map.entry("cpu.shares", "256"));
    assertThat(l.v2Files()).containsExactly(Map.entry("cpu.max", "150000 100000"), Map.entry("cpu.weight", "10"));
  }

  @Test
  void cpuShares_winsOverTheRequest() {
    CgroupLimits l = CgroupLimits.of(List.of(Isolators.resourceCpu("2", null), Isolators.cpuShares(512)));
    assertThat(l.cpuShares()).isEqualTo(512);
    assertThat(l.cpuLimitMilli()).isNull();
    assertThat(l.controllers()).containsExactly("cpu");
  }

  @Test
  void cpu_tinyLimit_isTheKernelsMinimumQuota() {
    assertThat(CgroupLimits.of(List.of(Isolators.resourceCpu(null, "1m"))).v1Files().get("cpu"))
        .containsEntry("cpu.cfs_quota_us", "1000");
  }

  @Test
  void of_lastIsolatorOfANameCounts() {
    assertThat(CgroupLimits.of(List.of(Isolators.resourceMemory(null, "1G"), Isolators.resourceMemory(null, "2G")))
        .memoryLimit()).isEqualTo(2_000_000_000L);
  }

  @ParameterizedTest
  @CsvSource({"2,1", "1024,39", "262144,10000"})
  void v2_cpuWeight_mapsSharesAsRuncDoes(long shares, String weight) {
    assertThat(new CgroupLimits(null, null, null, shares).v2Files()).containsExactly(Map.entry("cpu.weight", weight));
  }
}
