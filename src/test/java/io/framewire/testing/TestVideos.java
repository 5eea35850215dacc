package io.framewire.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Test media made in the test with FFmpeg's encoders (JavaCV's recorder: nothing to install): H.264
 * MP4s with a known frame count whose frames say their own number, a moving square for the motion
 * pipeline, and a corrupt file.
 */
public final class TestVideos {

  public static final int FPS = 25;

  private TestVideos() {}

  /** What frame {@code i} looks like. */
  @FunctionalInterface
  public interface Painter {
    /** Fills {@code rgb} (width*height*3, interleaved RGB) with frame {@code index}. */
    void paint(int index, byte[] rgb, int width, int height);
  }

  /**
   * An H.264 MP4 of {@code frames} frames whose frame {@code i} is a flat gray of {@link #grayOf}(i):
   * a decoder's mean luminance tells which source frame it is.
   */
  public static Path numberedGray(Path dir, int frames) {
    return h264(dir.resolve("numbered-" + frames + ".mp4"), frames, 160, 120, (i, rgb, w, h) -> {
      java.util.Arrays.fill(rgb, (byte) grayOf(i));
    });
  }

  /** The gray level of frame {@code i} of {@link #numberedGray}: 8 apart, so ±3 of codec error cannot mix them. */
  public static int grayOf(int index) {
    return 16 + (index * 8) % 224;
  }

  /** A 40x40 white square moving 6 px right per frame over a dark background (motion's test scene). */
  public static Path movingSquare(Path dir, int frames, int width, int height) {
    return h264(dir.resolve("square-" + width + "x" + height + "-" + frames + ".mp4"), frames, width, height,
        (i, rgb, w, h) -> {
          java.util.Arrays.fill(rgb, (byte) 20);
          int x0 = (10 + 6 * i) % (w - 40);
          int y0 = h / 2 - 20;
          for (int y = y0; y < y0 + 40; y++) {
            for (int x = x0; x < x0 + 40; x++) {
              int p = 3 * (y * w + x);
              rgb[p] = (byte) 240;
              rgb[p + 1] = (byte) 240;
              rgb[p + 2] = (byte) 240;
            }
          }
        });
  }

  /** A file that starts like an MP4 but is garbage after its first bytes. */
  public static Path corrupt(Path dir) {
    Path file = dir.resolve("corrupt.mp4");
    byte[] bytes = new byte[64 * 1024];
    new java.util.Random(3).nextBytes(bytes);
    byte[] ftyp = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'};
    System.arraycopy(ftyp, 0, bytes, 0, ftyp.length);
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Path h264(Path file, int frames, int width, int height, Painter painter) {
    return encode(file, "mp4", avcodec.AV_CODEC_ID_H264, avutil.AV_PIX_FMT_YUV420P, frames, width, height, painter);
  }

  /**
   * A video in any container, codec and pixel format FFmpeg's encoders here support, e.g. FFV1 in
   * Matroska with 4:4:4 ({@code "matroska", AV_CODEC_ID_FFV1, AV_PIX_FMT_YUV444P}).
   */
  public static Path encode(Path file, String container, int codec, int pixelFormat, int frames, int width, int height,
      Painter painter) {
    avutil.av_log_set_level(avutil.AV_LOG_ERROR); // the encoder's chatter is not the test's output
    try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0)) {
      recorder.setFormat(container);
      recorder.setVideoCodec(codec);
      recorder.setPixelFormat(pixelFormat);
      recorder.setFrameRate(FPS);
      recorder.setGopSize(FPS);
      recorder.setVideoBitrate(4_000_000); // plenty for small frames: their content survives
      recorder.start();
      Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
      byte[] rgb = new byte[width * height * 3];
      for (int i = 0; i < frames; i++) {
        painter.paint(i, rgb, width, height);
        ByteBuffer buffer = (ByteBuffer) frame.image[0];
        for (int y = 0; y < height; y++) {
          buffer.put(y * frame.imageStride, rgb, y * width * 3, width * 3);
        }
        recorder.record(frame, avutil.AV_PIX_FMT_RGB24);
      }
      recorder.stop();
    } catch (FrameRecorder.Exception e) {
      throw new IllegalStateException("could not write test video " + file + ": " + e.getMessage(), e);
    }
    return file;
  }
}
