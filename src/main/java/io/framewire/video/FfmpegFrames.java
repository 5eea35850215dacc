package io.framewire.video;

import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FrameGrabber;

/**
 * The decoded frames of a video file or stream as a Pekko Streams {@link Source}.
 *
 * <p>Built on {@code Source.unfoldResource}: the stage that emits the frames is the decoder's one
 * owner. It opens the input on the first pull, reads one frame per pull, and closes the decoder
 * when the input ends, the stream fails, or downstream cancels; a read and the close never overlap, so
 * FFmpeg is never closed under a running read (a cancel during a blocked network read waits for that
 * read, at most the I/O timeout). Decoding blocks, so the stage runs on its own dispatcher
 * ({@link #DISPATCHER}) and is an async boundary: the next frame is decoded while the pipeline runs on
 * the previous one, and backpressure stops decoding when nobody pulls.
 */
public final class FfmpegFrames {

  /** The dispatcher decoders run on: one thread per decoding stream while it decodes. */
  public static final String DISPATCHER = "framewire-decoder-dispatcher";

  private FfmpegFrames() {}

  /**
   * @param input a file path or URL (rtsp://, http://, tcp://, …)
   * @param onOpened told once, from the decoder's thread, when the input is open and its video stream
   *     found (the stream is then "running")
   */
  public static Source<VideoFrame, NotUsed> create(String input, DecodeOptions options, Consumer<VideoInfo> onOpened) {
    return Source.<VideoFrame, Opening>unfoldResource(
            () -> new Opening(input, options, onOpened),
            Opening::next,
            Opening::close)
        .withAttributes(ActorAttributes.dispatcher(DISPATCHER))
        .async()
        .named("ffmpeg-decode");
  }

  public static Source<VideoFrame, NotUsed> create(String input, DecodeOptions options) {
    return create(input, options, info -> {});
  }

  /**
   * Loads FFmpeg's native libraries now (the first open would otherwise), e.g. on a thread of its own
   * while other start-up work runs. A failure is left for that open to report.
   */
  public static void loadLibraries() {
    try {
      FFmpegFrameGrabber.tryLoad();
      FfmpegDecoder.Ffmpeg.init();
    } catch (FrameGrabber.Exception | RuntimeException | LinkageError ignored) {
      // the open reports it, with the input's name
    }
  }

  /**
   * The resource: opens the decoder on the first read rather than in the stage's start, so that an
   * input that cannot be opened fails the stream like any read error (the stage's start would log
   * each failure as an actor error, once per reconnect attempt of a lost camera).
   */
  private static final class Opening {
    private final String input;
    private final DecodeOptions options;
    private final Consumer<VideoInfo> onOpened;
    private FfmpegDecoder decoder;

    Opening(String input, DecodeOptions options, Consumer<VideoInfo> onOpened) {
      this.input = input;
      this.options = options;
      this.onOpened = onOpened;
    }

    Optional<VideoFrame> next() {
      if (decoder == null) {
        decoder = FfmpegDecoder.open(input, options);
        onOpened.accept(decoder.info());
      }
      return decoder.next();
    }

    void close() {
      if (decoder != null) {
        decoder.close();
      }
    }
  }
}
