package io.framewire.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestVideos;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FfmpegFramesTest {

  static ActorSystem<Void> system;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "decode-test");
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void decodesEveryFrameOfAnH264FileAsRgbWithItsSourceIndex() throws Exception {
    Path video = TestVideos.numberedGray(dir, 30);
    AtomicReference<VideoInfo> info = new AtomicReference<>();
    List<VideoFrame> frames = FfmpegFrames.create(video.toString(), DecodeOptions.withStride(1), info::set)
        .runWith(Sink.seq(), system).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(30, frames.size());
    assertEquals(new VideoInfo(160, 120, 25.0, 30, info.get().durationMicros()), info.get());
    for (int i = 0; i < 30; i++) {
      VideoFrame frame = frames.get(i);
      assertEquals(i, frame.index());
      assertEquals(TestVideos.grayOf(i), frame.frame().rgb().at(80, 60, 1), 4.0, "frame " + i);
      assertTrue(!frame.frame().hasJpeg(), "no JPEG is made unless asked");
    }
  }

  @Test
  void aFramesTimeIsWhenTheInputOpenedPlusItsPresentationTimeSoFramesAreAsFarApartAsInTheVideo() throws Exception {
    Path video = TestVideos.numberedGray(dir, 10); // 25 fps: 40 ms apart
    long before = System.currentTimeMillis();
    List<VideoFrame> frames = FfmpegFrames.create(video.toString(), DecodeOptions.withStride(1), info -> {})
        .runWith(Sink.seq(), system).toCompletableFuture().get(20, TimeUnit.SECONDS);
    long after = System.currentTimeMillis();
    VideoFrame first = frames.get(0);
    assertTrue(first.timeMillis() >= before && first.timeMillis() <= after, "the first frame is timed at the open");
    for (int i = 1; i < frames.size(); i++) {
      assertEquals(first.timeMillis() + 40L * i, frames.get(i).timeMillis(), 1, "frame " + i);
      assertEquals(
          (frames.get(i).timestampMicros() - first.timestampMicros()) / 1000,
          frames.get(i).timeMillis() - first.timeMillis(), "frame " + i);
    }
  }
}
