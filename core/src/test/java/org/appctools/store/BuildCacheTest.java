package org.appctools.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.appctools.AppcException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCacheTest {
  private static final String K1 = "1".repeat(64);
  private static final String K2 = "2".repeat(64);

  @TempDir Path tmp;

  private BuildCache cache() throws AppcException {
    return BuildCache.open(ImageStore.open(tmp.resolve("store")));
  }

  private static Path staged(BuildCache c, String content) throws Exception {
    Path d = c.newWorkDirectory();
    Files.writeString(d.resolve("f"), content);
    return d;
  }

  @Test
  void putState_thenWithState_givesTheEntry_aSecondPutKeepsTheFirst() throws Exception {
    BuildCache c = cache();
    assertThat(c.hasState(K1)).isFalse();
    assertThat(c.<Object>withState(K1, e -> e)).isNull();
    c.putState(K1, staged(c, "first"));
    Path second = staged(c, "second");
    c.putState(K1, second);
    assertThat(second).doesNotExist();
    assertThat(c.hasState(K1)).isTrue();
    String content = c.withState(K1, e -> Files.readString(e.resolve("f")));
    assertThat(content).isEqualTo("first");
    try (var s = Files.list(tmp.resolve("store/tmp"))) {
      assertThat(s.toList()).isEmpty();
    }
  }

  @Test
  void gc_removesEntriesUnusedForTheDuration_keepsTheRest() throws Exception {
    BuildCache c = cache();
    c.putState(K1, staged(c, "old"));
    c.putAci(K2, staged(c, "image"));
    Path old = tmp.resolve("store/build-cache/states/" + K1);
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofDays(10))));
    assertThat(c.gc(Duration.ofDays(7), Instant.now())).isEqualTo(new BuildCache.GcResult(1, 0));
    assertThat(c.hasState(K1)).isFalse();
    assertThat(c.hasAci(K2)).isTrue();
    assertThat(c.gc(Duration.ZERO, Instant.now())).isEqualTo(new BuildCache.GcResult(0, 1));
    assertThat(c.hasAci(K2)).isFalse();
  }

  @Test
  void withAci_marksTheEntryUsed() throws Exception {
    BuildCache c = cache();
    c.putAci(K2, staged(c, "image"));
    Path e = tmp.resolve("store/build-cache/acis/" + K2);
    Files.setLastModifiedTime(e, FileTime.from(Instant.now().minus(Duration.ofDays(10))));
    c.withAci(K2, x -> x);
    assertThat(c.gc(Duration.ofDays(7), Instant.now())).isEqualTo(new BuildCache.GcResult(0, 0));
  }

  @Test
  void hasState_notAKey_refused() throws Exception {
    BuildCache c = cache();
    assertThatThrownBy(() -> c.hasState("../x")).hasMessage("build cache: not a key: ../x");
  }
}
