package io.framewire.sources;

import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.ActorAttributes;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The decoded frames of a video file or stream as a Pekko Streams {@link Source}.
 *
 * <p>Built on {@code Source.unfoldResource}: the stage that emits the frames is the decoder's one
 * owner. It opens the input when the stream starts, reads one frame per pull, and closes the decoder
 * when the input ends, the stream fails, or downstream cancels; a read and the close never overlap, so
 * FFmpeg is never closed under a running read (a cancel during a blocked network read waits for that
 * read, at most the I/O timeout). Decoding blocks, so the stage runs on its own dispatcher
 * ({@link #DISPATCHER}) and is an async boundary: the next frame is decoded while the pipeline runs on
 * the previous one, and backpressure stops decoding when nobody pulls.
 */
public final class FfmpegFrameSource {

  /** The dispatcher decoders run on: one thread per decoding stream while it decodes. */
  public static final String DISPATCHER = "framewire-decoder-dispatcher";

  private FfmpegFrameSource() {}

  /**
   * @param input a file path or URL (rtsp://, http://, tcp://, …)
   * @param onOpened told once, from the decoder's thread, when the input is open and its video stream
   *     found (the stream is then "running")
   */
  public static Source<SourceFrame, NotUsed> create(String input, DecodeOptions options, Consumer<VideoInfo> onOpened) {
    return Source.<SourceFrame, FfmpegDecoder>unfoldResource(
            () -> {
              FfmpegDecoder decoder = FfmpegDecoder.open(input, options);
              try {
                onOpened.accept(decoder.info());
              } catch (RuntimeException e) {
                decoder.close();
                throw e;
              }
              return decoder;
            },
            FfmpegDecoder::next,
            FfmpegDecoder::close)
        .withAttributes(ActorAttributes.dispatcher(DISPATCHER))
        .async()
        .named("ffmpeg-decode");
  }

  public static Source<SourceFrame, NotUsed> create(String input, DecodeOptions options) {
    return create(input, options, info -> {});
  }
}
