package io.framewire.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.GrayImage;
import io.framewire.api.image.RgbImage;
import io.framewire.testing.TestVideos;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.javadsl.Sink;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
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

  /** Quarters of a frame: red, green / blue, white (RGB), to tell colours apart after decoding. */
  static void quarters(int index, byte[] rgb, int w, int h) {
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int quarter = (y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1);
        int p = 3 * (y * w + x);
        rgb[p] = (byte) (quarter == 0 || quarter == 3 ? 255 : 0);
        rgb[p + 1] = (byte) (quarter == 1 || quarter == 3 ? 255 : 0);
        rgb[p + 2] = (byte) (quarter >= 2 ? 255 : 0);
      }
    }
  }

  static void assertQuarters(DecodedFrame frame, String what) {
    RgbImage rgb = frame.rgb();
    int[][] expected = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}};
    int[][] at = {{40, 30}, {120, 30}, {40, 90}, {120, 90}};
    for (int q = 0; q < 4; q++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(expected[q][c], rgb.at(at[q][0], at[q][1], c), 12.0, what + ": quarter " + q + " channel " + c);
      }
    }
    assertEquals(160, frame.width());
    assertEquals(120, frame.height());
  }

  /** 4:2:0 (nearly every video) leaves the decoder as its planes, converted to RGB only when asked. */
  @Test
  void yuv420FramesKeepTheDecodersPlanesAndConvertToTheSameColours() throws Exception {
    Path video = TestVideos.h264(dir.resolve("quarters-420.mp4"), 3, 160, 120, FfmpegFramesTest::quarters);
    List<VideoFrame> frames = FfmpegFrames.create(video.toString(), DecodeOptions.withStride(1), info -> {})
        .runWith(Sink.seq(), system).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(3, frames.size());
    for (VideoFrame frame : frames) {
      assertQuarters(frame.frame(), "4:2:0 frame " + frame.index());
      // gray is the luma: BT.601 weights of red, green, blue, white
      GrayImage gray = frame.frame().gray();
      assertEquals(76, gray.luma()[30 * 160 + 40] & 0xFF, 4.0);
      assertEquals(150, gray.luma()[30 * 160 + 120] & 0xFF, 4.0);
      assertEquals(29, gray.luma()[90 * 160 + 40] & 0xFF, 4.0);
      assertEquals(255, gray.luma()[90 * 160 + 120] & 0xFF, 4.0);
    }
  }

  /** Other formats (here FFV1's lossless 4:4:4) are converted to RGB by swscale in the decoder, with the same colours. */
  @Test
  void otherPixelFormatsAreConvertedToRgbInTheDecoder() throws Exception {
    Path video = TestVideos.encode(dir.resolve("quarters-444.mkv"), "matroska", avcodec.AV_CODEC_ID_FFV1,
        avutil.AV_PIX_FMT_YUV444P, 3, 160, 120, FfmpegFramesTest::quarters);
    List<VideoFrame> frames = FfmpegFrames.create(video.toString(), DecodeOptions.withStride(1), info -> {})
        .runWith(Sink.seq(), system).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(3, frames.size());
    for (VideoFrame frame : frames) {
      assertQuarters(frame.frame(), "4:4:4 frame " + frame.index());
    }
  }
}
