package io.framewire.engine;

import io.framewire.api.FrameTime;
import io.framewire.api.image.DecodedFrame;
import io.framewire.pipeline.JsonSafe;
import java.util.HashMap;
import java.util.Map;

/**
 * The input of a pipeline run on one frame: {@code frame_index} (boxed as Long, as tools expect), the
 * frame's time ({@link FrameTime#KEY}) and the frame, as a client sent it (JPEG bytes) or as a decoder
 * produced it (RGB pixels).
 */
public final class FramePayloads {

  private FramePayloads() {}

  /** A client's frame received now: {@code frame_index}, {@code image_bytes} and the current time. */
  public static Map<String, Object> jpeg(long frameIndex, byte[] frameBytes) {
    return jpeg(frameIndex, frameBytes, System.currentTimeMillis());
  }

  /** A client's frame: {@code frame_index}, {@code image_bytes} and the time it was received. */
  public static Map<String, Object> jpeg(long frameIndex, byte[] frameBytes, long receivedMillis) {
    Map<String, Object> payload = new HashMap<>(6);
    payload.put("frame_index", frameIndex);
    payload.put(FrameTime.KEY, receivedMillis);
    payload.put(JsonSafe.IMAGE_BYTES, frameBytes);
    return payload;
  }

  /**
   * A decoded frame: {@code frame_index}, its time and the frame under {@link DecodedFrame#KEY}; no
   * {@code image_bytes}.
   */
  public static Map<String, Object> decoded(long frameIndex, DecodedFrame frame, long timeMillis) {
    Map<String, Object> payload = new HashMap<>(6);
    payload.put("frame_index", frameIndex);
    payload.put(FrameTime.KEY, timeMillis);
    payload.put(DecodedFrame.KEY, frame);
    return payload;
  }
}
