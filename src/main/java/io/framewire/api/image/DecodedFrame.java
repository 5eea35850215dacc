package io.framewire.api.image;

import java.util.Map;

/**
 * One frame as tools see it: its pixels in gray and RGB views, each computed at most once, on first
 * use, and shared by every node of the run (whichever branch asks first decodes; the others wait for
 * that result instead of decoding again).
 *
 * <p>A frame comes as JPEG bytes (a WebSocket client), or as decoded pixels: planar YUV 4:2:0 as a
 * video decoder gives them (gray is then the luma plane, RGB is converted on first use, so a
 * pipeline that reads no pixels converts nothing), or RGB. The pipeline engine puts it in each run's payload under {@link #KEY}; tools get it with
 * {@link #of(Map)}. For a JPEG frame, {@code preferColour} says whether some node of the pipeline
 * uses colour: then the first decode is in colour and gray is derived from it, so the frame is still
 * decoded once; otherwise only luma is decoded (libjpeg skips the chroma work). An RGB frame is
 * encoded to JPEG only if someone asks for {@link #jpeg()}.
 *
 * <p>Thread-safe. The arrays it returns are shared: treat them as read-only.
 */
public final class DecodedFrame {

  /** The payload key the pipeline engine stores the frame under (internal: never in results). */
  public static final String KEY = "_frame";

  private final boolean preferColour;
  private byte[] jpeg; // guarded by this
  private GrayImage gray; // guarded by this
  private RgbImage rgb; // guarded by this
  private final Yuv420Image yuv; // null unless the frame came as YUV
  private int decodes; // guarded by this

  private DecodedFrame(byte[] jpeg, RgbImage rgb, Yuv420Image yuv, boolean preferColour) {
    this.jpeg = jpeg;
    this.rgb = rgb;
    this.yuv = yuv;
    this.preferColour = preferColour;
  }

  /** A frame received as JPEG bytes; nothing is decoded until a view is asked for. */
  public static DecodedFrame ofJpeg(byte[] jpeg, boolean preferColour) {
    if (jpeg == null) {
      throw new IllegalArgumentException("jpeg must not be null");
    }
    return new DecodedFrame(jpeg, null, null, preferColour);
  }

  /** A frame already decoded (e.g. by a video decoder); JPEG bytes are encoded only on demand. */
  public static DecodedFrame ofRgb(RgbImage rgb) {
    if (rgb == null) {
      throw new IllegalArgumentException("rgb must not be null");
    }
    return new DecodedFrame(null, rgb, null, true);
  }

  /**
   * A frame as a video decoder gives it: gray is its luma (no colour conversion), RGB is converted
   * on first use, JPEG encoded on demand.
   */
  public static DecodedFrame ofYuv420(Yuv420Image yuv) {
    if (yuv == null) {
      throw new IllegalArgumentException("yuv must not be null");
    }
    return new DecodedFrame(null, null, yuv, false);
  }

  /**
   * The frame of a tool's input: the engine's shared {@link #KEY} value, or else (a tool called
   * directly, outside a pipeline run) a new frame over the input's {@code image_bytes}.
   *
   * @throws InvalidImageException if the input carries no frame
   */
  public static DecodedFrame of(Map<String, Object> input) {
    if (input.get(KEY) instanceof DecodedFrame frame) {
      return frame;
    }
    if (input.get("image_bytes") instanceof byte[] bytes) {
      return ofJpeg(bytes, false);
    }
    throw new InvalidImageException("input has no frame (no image_bytes)");
  }

  /**
   * The luma view.
   *
   * @throws InvalidImageException if the JPEG is corrupt, truncated or too large
   */
  public synchronized GrayImage gray() {
    if (gray == null) {
      if (yuv != null) {
        gray = yuv.toGray();
        return gray;
      }
      if (rgb == null && preferColour) {
        rgb(); // decode once, in colour; gray follows from it
      }
      if (rgb != null) {
        gray = rgb.toGray();
      } else {
        decodes++;
        gray = JpegDecoder.decode(jpeg);
      }
    }
    return gray;
  }

  /**
   * The RGB view.
   *
   * @throws InvalidImageException if the JPEG is corrupt, truncated or too large
   */
  public synchronized RgbImage rgb() {
    if (rgb == null) {
      if (yuv != null) {
        rgb = yuv.toRgb();
        return rgb;
      }
      decodes++;
      rgb = JpegDecoder.decodeRgb(jpeg);
    }
    return rgb;
  }

  /**
   * The colour pixels without a conversion that is not needed yet: the RGB view if there is one, a
   * video frame's YUV planes if its RGB was never asked for, else the decoded JPEG's RGB.
   *
   * @throws InvalidImageException if the JPEG is corrupt, truncated or too large
   */
  public synchronized ColourImage colour() {
    return rgb == null && yuv != null ? yuv : rgb();
  }

  /** The frame's width in pixels, from whichever view is decoded (luma is decoded if none is yet). */
  public synchronized int width() {
    return yuv != null ? yuv.width() : rgb != null ? rgb.width() : gray().width();
  }

  /** The frame's height in pixels, from whichever view is decoded (luma is decoded if none is yet). */
  public synchronized int height() {
    return yuv != null ? yuv.height() : rgb != null ? rgb.height() : gray().height();
  }

  /** The frame as JPEG: the received bytes, or an encoding of the decoded pixels made on first use. */
  public synchronized byte[] jpeg() {
    if (jpeg == null) {
      jpeg = JpegEncoder.encode(rgb());
    }
    return jpeg;
  }

  /** Whether the JPEG bytes exist already (received, or encoded by an earlier {@link #jpeg()} call). */
  public synchronized boolean hasJpeg() {
    return jpeg != null;
  }

  /** How many times this frame was decoded from JPEG: 0 or 1 unless gray was asked before colour on a frame not marked {@code preferColour}. */
  public synchronized int decodes() {
    return decodes;
  }
}
