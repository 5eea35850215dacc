package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.events.FrameEvents;
import io.framewire.metrics.SnapshotMetrics;
import io.framewire.testing.TestJpegs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Snapshots}: which events get a snapshot, what is drawn, and that frames never reach the writer. */
class SnapshotsTest {

  @TempDir Path dir;
  private final List<FrameEvents> forwarded = new ArrayList<>();
  private final SnapshotMetrics metrics = SnapshotMetrics.unregistered();
  private Snapshots snapshots;

  @AfterEach
  void stop() {
    if (snapshots != null) {
      snapshots.stop(5_000);
    }
  }

  private Snapshots start(int queueSize) {
    SnapshotSettings settings = new SnapshotSettings(true, Optional.of(dir), Duration.ofSeconds(2), queueSize, 0, 0,
        Duration.ofMinutes(1), 16);
    snapshots = Snapshots.start(frame -> {
      synchronized (forwarded) {
        forwarded.add(frame);
      }
    }, dir, settings, metrics);
    return snapshots;
  }

  static Map<String, Object> event(String type, int trackId) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("node", "lines");
    event.put("track_id", trackId);
    event.put("label", "person");
    event.put("line", "door");
    event.put("direction", "in");
    event.put("box", Map.of("x", 40, "y", 30, "w", 50, "h", 60));
    return event;
  }

  static FrameEvents frame(String stream, long time, Supplier<byte[]> jpeg, List<Map<String, Object>> events) {
    return new FrameEvents(stream, "door-counter", 1, time, time, events, jpeg);
  }

  private String snapshotOf(int frame, int event) {
    return (String) forwarded.get(frame).events().get(event).get(Snapshots.KEY);
  }

  @Test
  void anEventGetsAFileWithItsBoxDrawnAndTheWriterGetsNoFrame() throws Exception {
    byte[] jpeg = TestJpegs.solid(160, 120, TestJpegs.DARK);
    start(4).publish(frame("source:door", 1_750_000_000_000L, () -> jpeg, List.of(event("line_crossed", 17))));
    assertTrue(snapshots.awaitDrawn(10_000));

    assertEquals(1, forwarded.size());
    assertNull(forwarded.get(0).frameJpeg(), "the writer's queue must not hold the frame");
    String name = snapshotOf(0, 0);
    assertTrue(Snapshots.NAME.matcher(name).matches(), name);
    assertTrue(name.startsWith("1750000000000-"), name);
    assertEquals(1_750_000_000_000L, Snapshots.timeOf(name));

    BufferedImage drawn = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(dir.resolve(name))));
    assertEquals(160, drawn.getWidth());
    assertEquals(120, drawn.getHeight());
    // The box's left edge (x = 40, between y 30 and 90) is drawn in red; the frame around it stays dark.
    int edge = drawn.getRGB(40, 70);
    assertTrue(((edge >> 16) & 0xff) > 180 && ((edge >> 8) & 0xff) < 140, Integer.toHexString(edge));
    int inside = drawn.getRGB(65, 70);
    assertTrue(((inside >> 16) & 0xff) < 60, Integer.toHexString(inside));
    assertEquals(1.0, metrics.written.get());
    assertEquals(List.of(name), Files.list(dir).map(p -> p.getFileName().toString()).toList());
  }

  @Test
  void atMostOnePerStreamTrackAndTypePerInterval() throws Exception {
    byte[] jpeg = TestJpegs.solid(64, 48, TestJpegs.DARK);
    start(64);
    long t = 1_000_000L;
    snapshots.publish(frame("source:a", t, () -> jpeg, List.of(event("line_crossed", 1))));        // 0: yes
    snapshots.publish(frame("source:a", t + 1_999, () -> jpeg, List.of(event("line_crossed", 1)))); // 1: too soon
    snapshots.publish(frame("source:a", t + 1_000, () -> jpeg, List.of(
        event("line_crossed", 2),    // another track: yes
        event("zone_entered", 1),    // another type: yes
        event("zone_entered", 1)))); // the same again in this frame: no
    snapshots.publish(frame("source:b", t + 1_000, () -> jpeg, List.of(event("line_crossed", 1)))); // 3: another stream
    snapshots.publish(frame("source:a", t + 2_000, () -> jpeg, List.of(event("line_crossed", 1)))); // 4: interval over
    snapshots.publish(frame("source:a", t - 5_000, () -> jpeg, List.of(event("line_crossed", 1)))); // 5: time went back
    assertTrue(snapshots.awaitDrawn(10_000));

    assertTrue(snapshotOf(0, 0) != null);
    assertNull(snapshotOf(1, 0));
    assertTrue(snapshotOf(2, 0) != null);
    assertTrue(snapshotOf(2, 1) != null);
    assertNull(snapshotOf(2, 2));
    assertTrue(snapshotOf(3, 0) != null);
    assertTrue(snapshotOf(4, 0) != null);
    assertTrue(snapshotOf(5, 0) != null);
    assertEquals(6, Files.list(dir).count());
    assertEquals(6.0, metrics.written.get());
  }

  @Test
  void aFullQueueStoresTheEventWithoutSnapshotAndCountsIt() throws Exception {
    byte[] jpeg = TestJpegs.solid(64, 48, TestJpegs.DARK);
    CountDownLatch drawing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(1);
    snapshots.publish(frame("source:a", 0, () -> { // holds the drawing thread
      drawing.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return jpeg;
    }, List.of(event("line_crossed", 1))));
    assertTrue(drawing.await(10, TimeUnit.SECONDS));
    snapshots.publish(frame("source:a", 0, () -> jpeg, List.of(event("line_crossed", 2)))); // fills the queue
    snapshots.publish(frame("source:a", 0, () -> jpeg, List.of(event("line_crossed", 3), event("zone_entered", 3))));

    assertTrue(snapshotOf(1, 0) != null);
    assertNull(snapshotOf(2, 0));
    assertNull(snapshotOf(2, 1));
    assertEquals(2.0, metrics.droppedCount(SnapshotMetrics.QUEUE_FULL));
    release.countDown();
    assertTrue(snapshots.awaitDrawn(10_000));
    assertEquals(2, Files.list(dir).count());
    // Not marked taken: track 3's next event gets one.
    snapshots.publish(frame("source:a", 1, () -> jpeg, List.of(event("line_crossed", 3))));
    assertTrue(snapshotOf(3, 0) != null);
  }

  @Test
  void aToolCannotNameTheFileAndAFrameWithoutPictureGetsNone() throws Exception {
    start(4);
    Map<String, Object> sneaky = event("line_crossed", 1);
    sneaky.put(Snapshots.KEY, "../../etc/passwd");
    snapshots.publish(frame("session:s", 0, null, List.of(sneaky)));
    assertFalse(forwarded.get(0).events().get(0).containsKey(Snapshots.KEY));
    assertEquals("../../etc/passwd", sneaky.get(Snapshots.KEY), "the tool's map is not changed");
    assertEquals(Optional.empty(), snapshots.file("../../etc/passwd"));
    assertEquals(0, Files.list(dir).count());
  }

  @Test
  void aFrameThatIsNoPictureCountsAWriteError() throws Exception {
    start(4).publish(frame("session:s", 0, () -> new byte[] {1, 2, 3}, List.of(event("line_crossed", 1))));
    assertTrue(snapshots.awaitDrawn(10_000));
    assertEquals(1.0, metrics.droppedCount(SnapshotMetrics.WRITE_ERROR));
    assertEquals(Optional.empty(), snapshots.file(snapshotOf(0, 0)));
  }

  @Test
  void theLabelNamesTypeTrackLabelAndLine() {
    assertEquals("line_crossed #17 person door in", SnapshotPainter.label(event("line_crossed", 17)));
  }
}
