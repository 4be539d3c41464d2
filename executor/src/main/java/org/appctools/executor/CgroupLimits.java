package org.appctools.executor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.appctools.schema.types.Isolator;
import org.appctools.schema.types.IsolatorValue;

/**
 * What the resource isolators of an app or a pod ask of its cgroup: {@code resource/memory}
 * (limit: the hard cap; request: the amount kept under pressure), {@code resource/cpu} (limit: a
 * CFS quota; request: a weight, when {@code os/linux/cpu-shares} does not give one) and {@code
 * os/linux/cpu-shares}. The last isolator of a name counts, as Go's {@code GetByName}. Null
 * fields are not limited. The files to write are given for cgroup v1 and for v2.
 */
public record CgroupLimits(Long memoryLimit, Long memoryRequest, Long cpuLimitMilli, Long cpuShares) {
  /** The CFS period we use, as Docker and rkt: 100 ms. */
  public static final long CPU_PERIOD_US = 100_000;
  private static final long MIN_QUOTA_US = 1_000;

  /** The limits of {@code isolators}; isolators that are not resources are ignored here. */
  public static CgroupLimits of(List<Isolator> isolators) {
    Long memLimit = null;
    Long memRequest = null;
    Long cpuLimit = null;
    Long cpuRequest = null;
    Long shares = null;
    for (Isolator i : isolators) {
      if (i.value() instanceof IsolatorValue.ResourceMemory m) {
        memLimit = m.limit() == null ? null : m.limit().longValue();
        memRequest = m.request() == null ? null : m.request().longValue();
      } else if (i.value() instanceof IsolatorValue.ResourceCpu c) {
        cpuLimit = c.limit() == null ? null : c.limit().milliValue();
        cpuRequest = c.request() == null ? null : c.request().milliValue();
      } else if (i.value() instanceof IsolatorValue.CpuShares s) {
        shares = (long) s.shares();
      }
    }
    if (shares == null && cpuRequest != null) {
      // Kubernetes' rule: 1 core = 1024 shares, at least 2
      shares = Math.max(2, cpuRequest * 1024 / 1000);
    }
    return new CgroupLimits(memLimit, memRequest, cpuLimit, shares);
  }

  /** True when nothing is limited: no cgroup is needed. */
  public boolean isEmpty() {
    return memoryLimit == null && memoryRequest == null && cpuLimitMilli == null && cpuShares == null;
  }

  /** The controllers these limits need: {@code memory}, {@code cpu}. */
  public List<String> controllers() {
    List<String> c = new ArrayList<>();
    if (memoryLimit != null || memoryRequest != null) {
      c.add("memory");
    }
    if (cpuLimitMilli != null || cpuShares != null) {
      c.add("cpu");
    }
    return c;
  }

  /**
   * The cgroup v1 files to write, by controller, in order. {@code memory.memsw.limit_in_bytes}
   * (no swapping past the limit) exists only where swap accounting is on: skip it when missing.
   */
  public Map<String, Map<String, String>> v1Files() {
    Map<String, Map<String, String>> files = new LinkedHashMap<>();
    if (memoryLimit != null || memoryRequest != null) {
      Map<String, String> m = new LinkedHashMap<>();
      if (memoryLimit != null) {
        m.put("memory.limit_in_bytes", Long.toString(memoryLimit));
        m.put("memory.memsw.limit_in_bytes", Long.toString(memoryLimit));
      }
      if (memoryRequest != null) {
        m.put("memory.soft_limit_in_bytes", Long.toString(memoryRequest));
      }
      files.put("memory", m);
    }
    if (cpuLimitMilli != null || cpuShares != null) {
      Map<String, String> c = new LinkedHashMap<>();
      if (cpuLimitMilli != null) {
        c.put("cpu.cfs_period_us", Long.toString(CPU_PERIOD_US));
        c.put("cpu.cfs_quota_us", Long.toString(quotaUs()));
      }
      if (cpuShares != null) {
        c.put("cpu.shares", Long.toString(cpuShares));
      }
      files.put("cpu", c);
    }
    return files;
  }

  /**
   * The cgroup v2 files to write, in order. {@code memory.swap.max} exists only where swap
   * accounting is on: skip it when missing.
   */
  public Map<String, String> v2Files() {
    Map<String, String> files = new LinkedHashMap<>();
    if (memoryLimit != null) {
      files.put("memory.max", Long.toString(memoryLimit));
      files.put("memory.swap.max", "0");
    }
    if (memoryRequest != null) {
      files.put("memory.low", Long.toString(memoryRequest));
    }
    if (cpuLimitMilli != null) {
      files.put("cpu.max", quotaUs() + " " + CPU_PERIOD_US);
    }
    if (cpuShares != null) {
      // the conversion runc and crun use: shares 2..262144 onto weight 1..10000
      files.put("cpu.weight", Long.toString(1 + (cpuShares - 2) * 9999 / 262142));
    }
    return files;
  }

  private long quotaUs() {
    return Math.max(MIN_QUOTA_US, cpuLimitMilli * CPU_PERIOD_US / 1000);
  }
}
