package io.framewire.video;

import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.RgbImage;
import io.framewire.api.image.Yuv420Image;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;

/**
 * One open input: an FFmpeg demuxer and video decoder (JavaCV's {@link FFmpegFrameGrabber}) that
 * turns the input's video into {@link VideoFrame}s.
 *
 * <p>Frames leave the decoder in its own pixel format where the tools can read it: 8-bit YUV 4:2:0
 * (H.264, HEVC, VP9, MPEG-4, MJPEG…, nearly every video) is copied plane by plane, once, into a
 * {@link Yuv420Image}, and nothing is converted: gray tools read the luma, and RGB is converted only
 * when a tool asks for it. Any other format (4:2:2, 4:4:4, 10-bit, …) is converted to RGB24 by
 * swscale into one reused native buffer, then copied.
 *
 * <p>Not thread-safe, and it need not be: exactly one owner ({@link FfmpegFrames}'s stage) opens
 * it, reads from it and closes it, always on one stage and never concurrently, so it is never closed
 * while a read is inside FFmpeg.
 */
final class FfmpegDecoder implements AutoCloseable {

  private static final Pattern FFMPEG_ERROR = Pattern.compile("error (-?\\d+)");

  private final String input;
  private final DecodeOptions options;
  private final FFmpegFrameGrabber grabber;
  private final VideoInfo info;
  private long nextIndex;
  /** The frames' wall-clock times count from here: when the input was opened. */
  private final long openedMillis = System.currentTimeMillis();
  private long firstTimestampMicros = Long.MIN_VALUE;
  /** swscale's state for frames that are not YUV 4:2:0, made on the first such frame. */
  private SwsContext sws;
  private BytePointer rgbBuffer;
  private long rgbBufferSize;

  private FfmpegDecoder(String input, DecodeOptions options, FFmpegFrameGrabber grabber, VideoInfo info) {
    this.input = input;
    this.options = options;
    this.grabber = grabber;
    this.info = info;
  }

  /**
   * Opens the input (a file path or a URL) and finds its video stream.
   *
   * @throws VideoInputException if it does not exist, cannot be read, is not a video FFmpeg can decode, or
   *     (a URL) cannot be reached
   */
  static FfmpegDecoder open(String input, DecodeOptions options) {
    Ffmpeg.init();
    String shown = VideoInputs.masked(input);
    String scheme = VideoInputs.scheme(input);
    if (scheme == null || scheme.equals("file")) {
      checkFile(scheme == null ? input : input.substring("file://".length()));
    }
    FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(input);
    // RAW: JavaCV hands over the decoder's own AVFrame (no conversion, no copy); we pick the format.
    grabber.setImageMode(FrameGrabber.ImageMode.RAW);
    if (VideoInputs.isNetwork(input)) {
      String micros = Long.toString(options.ioTimeout().toNanos() / 1000);
      grabber.setOption("rw_timeout", micros); // any avio protocol (http, tcp, …): read and connect
      grabber.setOption("timeout", micros); // rtsp, tcp, http: socket I/O
      if (scheme.startsWith("rtsp")) {
        grabber.setOption("rtsp_transport", options.rtspTransport());
      }
    }
    try {
      // Not start(): JavaCV holds one JVM-wide lock over the whole open (connect and probe included),
      // so cameras opened one at a time, ~2.3 s each for a live MPEG-TS stream, and one unreachable
      // camera held every other open for its whole timeout. FFmpeg's own opening is thread-safe since 4.0.
      grabber.startUnsafe();
    } catch (FrameGrabber.Exception | RuntimeException e) {
      releaseQuietly(grabber);
      throw new VideoInputException("cannot open " + shown + ": " + reason(e), e);
    }
    if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0 || grabber.getVideoCodec() == 0) {
      releaseQuietly(grabber);
      throw new VideoInputException("cannot decode " + shown + ": it has no video stream");
    }
    long frames = grabber.getLengthInVideoFrames();
    long micros = grabber.getLengthInTime();
    VideoInfo info = new VideoInfo(grabber.getImageWidth(), grabber.getImageHeight(),
        sane(grabber.getVideoFrameRate()), frames > 0 ? frames : -1, micros > 0 ? micros : -1);
    return new FfmpegDecoder(input, options, grabber, info);
  }

  VideoInfo info() {
    return info;
  }

  /**
   * Decodes up to the next kept frame (stride), converting only that one to RGB.
   *
   * @return the frame, or empty at the end of the input
   * @throws VideoInputException if reading or decoding fails
   */
  Optional<VideoFrame> next() {
    try {
      while (true) {
        boolean keep = nextIndex % options.stride() == 0;
        Frame frame = grabber.grabFrame(false, true, keep, false, false);
        if (frame == null) {
          return Optional.empty();
        }
        if (frame.image == null) {
          continue; // not a picture (a data or side-data frame)
        }
        long index = nextIndex++;
        if (keep) {
          if (firstTimestampMicros == Long.MIN_VALUE) {
            firstTimestampMicros = frame.timestamp;
          }
          long timeMillis = openedMillis + Math.max(0, frame.timestamp - firstTimestampMicros) / 1000;
          return Optional.of(new VideoFrame(index, pixels((AVFrame) frame.opaque), frame.timestamp, timeMillis));
        }
      }
    } catch (FrameGrabber.Exception | RuntimeException e) {
      throw new VideoInputException("cannot decode " + VideoInputs.masked(input) + " at frame " + nextIndex + ": " + reason(e), e);
    }
  }

  /** The decoded picture as the tools' frame: YUV 4:2:0 planes copied as they are, else RGB. */
  private DecodedFrame pixels(AVFrame picture) {
    int width = picture.width();
    int height = picture.height();
    int format = picture.format();
    boolean yuvj = format == avutil.AV_PIX_FMT_YUVJ420P;
    int chromaWidth = (width + 1) / 2;
    if ((format == avutil.AV_PIX_FMT_YUV420P || yuvj)
        && picture.linesize(0) >= width && picture.linesize(1) >= chromaWidth && picture.linesize(2) >= chromaWidth) {
      int chromaHeight = (height + 1) / 2;
      return DecodedFrame.ofYuv420(new Yuv420Image(width, height,
          plane(picture, 0, width, height), plane(picture, 1, chromaWidth, chromaHeight),
          plane(picture, 2, chromaWidth, chromaHeight), yuvj || picture.color_range() == avutil.AVCOL_RANGE_JPEG));
    }
    return DecodedFrame.ofRgb(toRgb(picture, width, height));
  }

  /** One plane into a tight array: one copy, row by row only where rows are padded. */
  private static byte[] plane(AVFrame picture, int index, int width, int height) {
    BytePointer data = picture.data(index);
    int stride = picture.linesize(index);
    byte[] out = new byte[width * height];
    if (stride == width) {
      data.get(out, 0, out.length);
    } else {
      for (int y = 0; y < height; y++) {
        data.position((long) y * stride).get(out, y * width, width);
      }
    }
    return out;
  }

  /** Any other pixel format: swscale to RGB24 (BT.601, as for YUV) in a reused buffer, then one copy out. */
  private RgbImage toRgb(AVFrame picture, int width, int height) {
    sws = swscale.sws_getCachedContext(sws, width, height, picture.format(), width, height,
        avutil.AV_PIX_FMT_RGB24, swscale.SWS_BILINEAR, null, null, (DoublePointer) null);
    if (sws == null) {
      throw new VideoInputException("cannot convert pixel format " + picture.format() + " to RGB");
    }
    long size = 3L * width * height;
    if (rgbBufferSize != size) {
      freeRgbBuffer();
      rgbBuffer = new BytePointer(avutil.av_malloc(size)).capacity(size); // aligned, as swscale wants
      rgbBufferSize = size;
    }
    // dst: an array of one plane pointer (the cast constructor PointerPointer(Pointer) is the source's form:
    // AVFrame starts with its data[] array).
    try (PointerPointer<BytePointer> dst = new PointerPointer<BytePointer>(1L).put(0, rgbBuffer);
        IntPointer dstStride = new IntPointer(new int[] {3 * width})) {
      swscale.sws_scale(sws, new PointerPointer<>(picture), picture.linesize(), 0, height, dst, dstStride);
    }
    byte[] rgb = new byte[(int) size];
    rgbBuffer.position(0).get(rgb, 0, rgb.length);
    return new RgbImage(width, height, rgb);
  }

  private void freeRgbBuffer() {
    if (rgbBuffer != null) {
      avutil.av_free(rgbBuffer.position(0));
      rgbBuffer = null;
      rgbBufferSize = 0;
    }
  }

  @Override
  public void close() {
    releaseQuietly(grabber);
    if (sws != null) {
      swscale.sws_freeContext(sws);
      sws = null;
    }
    freeRgbBuffer();
  }

  private static void checkFile(String path) {
    Path file;
    try {
      file = Path.of(path);
    } catch (InvalidPathException e) {
      throw new VideoInputException("cannot open " + path + ": not a valid path");
    }
    if (!Files.exists(file)) {
      throw new VideoInputException("cannot open " + path + ": no such file");
    }
    if (Files.isDirectory(file)) {
      throw new VideoInputException("cannot open " + path + ": it is a directory");
    }
    if (!Files.isReadable(file)) {
      throw new VideoInputException("cannot open " + path + ": permission denied");
    }
  }

  private static void releaseQuietly(FFmpegFrameGrabber grabber) {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception | RuntimeException ignored) {
      // Closing after a failure: the first error is the one to report.
    }
  }

  private static double sane(double fps) {
    return Double.isFinite(fps) && fps > 0 && fps < 1000 ? fps : 0;
  }

  /**
   * FFmpeg's own words for a JavaCV failure ("error -2: Could not open input …" → "No such file or
   * directory"), without JavaCV's hints and class names.
   */
  static String reason(Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    Matcher m = FFMPEG_ERROR.matcher(message);
    if (m.find()) {
      try {
        return Ffmpeg.errorText(Integer.parseInt(m.group(1)));
      } catch (NumberFormatException ignored) {
        // fall through
      }
    }
    String line = message.strip().lines().findFirst().orElse("").strip();
    return line.isEmpty() ? "the decoder failed" : line.length() <= 200 ? line : line.substring(0, 200) + "…";
  }

  /** FFmpeg's process-wide setup, done once. */
  static final class Ffmpeg {
    private static volatile boolean initialised;

    private Ffmpeg() {}

    static void init() {
      if (!initialised) {
        synchronized (Ffmpeg.class) {
          if (!initialised) {
            // FFmpeg would print warnings about every damaged packet to stderr; failures reach us as
            // error codes, which we report.
            avutil.av_log_set_level(avutil.AV_LOG_QUIET);
            initialised = true;
          }
        }
      }
    }

    static String errorText(int code) {
      try (BytePointer buffer = new BytePointer(256)) {
        if (avutil.av_strerror(code, buffer, 256) < 0) {
          return "FFmpeg error " + code;
        }
        byte[] bytes = new byte[256];
        buffer.get(bytes);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
          end++; // a C string: up to its NUL
        }
        return new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8);
      }
    }
  }
}
