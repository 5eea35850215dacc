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
}
