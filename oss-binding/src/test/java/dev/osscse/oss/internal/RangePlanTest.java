package dev.osscse.oss.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RangePlanTest {
  @Test
  void request_alignsStartDown_FMT18() {
    RangePlan p = RangePlan.range(17, 50);
    assertThat(p.requestStart()).isEqualTo(16);
    assertThat(p.requestEnd()).isEqualTo(50);
    RangePlan open = RangePlan.range(33, -1);
    assertThat(open.requestStart()).isEqualTo(32);
    assertThat(open.requestEnd()).isEqualTo(-1);
    RangePlan suffix = RangePlan.suffix(5);
    assertThat(suffix.requestStart()).isEqualTo(-1);
    assertThat(suffix.requestEnd()).isEqualTo(20);
  }

  @Test
  void window_fromContentRange_FMT19_FMT20() throws Exception {
    RangePlan p = RangePlan.range(17, 50);
    RangePlan.Window w = p.window(new ContentRange(16, 50, 100), 35);
    assertThat(w).isEqualTo(new RangePlan.Window(1, 17, 34, 100));
  }

  @Test
  void window_serverIgnoredRange_usesZero_FMT19() throws Exception {
    RangePlan.Window w = RangePlan.range(17, 50).window(null, 100);
    assertThat(w).isEqualTo(new RangePlan.Window(17, 17, 34, 100));
  }

  @Test
  void window_suffixWithUnalignedResponseStart_FMT19() throws Exception {
    // -5 of 100 requested as -20: server returns 80-99.
    RangePlan.Window w = RangePlan.suffix(5).window(new ContentRange(80, 99, 100), 20);
    assertThat(w).isEqualTo(new RangePlan.Window(15, 95, 5, 100));
    // suffix longer than the object: everything.
    RangePlan.Window all = RangePlan.suffix(500).window(new ContentRange(0, 99, 100), 100);
    assertThat(all).isEqualTo(new RangePlan.Window(0, 0, 100, 100));
  }

  @Test
  void window_endPastObject_isClamped_FMT20() throws Exception {
    RangePlan.Window w = RangePlan.range(96, 1000).window(new ContentRange(96, 99, 100), 4);
    assertThat(w.length()).isEqualTo(4);
  }

  @Test
  void window_startPastEnd_notSatisfiable_FMT20() {
    assertThatThrownBy(() -> RangePlan.range(100, 200).window(null, 100))
        .isInstanceOf(RangePlan.NotSatisfiableException.class);
  }

  @Test
  void window_responseNotCovering_isIOException() {
    assertThatThrownBy(() -> RangePlan.range(10, 20).window(new ContentRange(16, 20, 100), 5))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> RangePlan.range(10, 20).window(new ContentRange(0, 20, 100), 5))
        .isInstanceOf(IOException.class);
  }

  @Test
  void contentRange_parse() throws Exception {
    assertThat(ContentRange.parse("bytes 0-9/10")).isEqualTo(new ContentRange(0, 9, 10));
    for (String bad :
        new String[] {
          "bytes 9-0/10", "bytes 0-10/10", "items 0-1/2", "bytes 0-1/*", "bytes -1/2"
        }) {
      assertThatThrownBy(() -> ContentRange.parse(bad)).as(bad).isInstanceOf(IOException.class);
    }
  }

  /** FMT-20: for any satisfiable range the window returns exactly the requested bytes. */
  @Property(tries = 500)
  void window_exactLength(
      @ForAll @LongRange(min = 1, max = 1 << 20) long size,
      @ForAll @LongRange(min = 0, max = 1 << 20) long a,
      @ForAll @LongRange(min = 0, max = 1 << 20) long len)
      throws Exception {
    long first = a % size;
    long last = first + len;
    RangePlan p = RangePlan.range(first, last);
    long s = p.requestStart();
    long e = Math.min(last, size - 1);
    RangePlan.Window w = p.window(new ContentRange(s, e, size), e - s + 1);
    assertThat(w.keystreamOffset()).isEqualTo(first);
    assertThat(w.skip()).isEqualTo(first - s).isLessThan(16);
    assertThat(w.length()).isEqualTo(Math.min(last, size - 1) - first + 1);
  }
}
