package io.framewire.engine;

import io.framewire.api.image.DecodedFrame;
import io.framewire.pipeline.JsonSafe;
import java.util.HashMap;
import java.util.Map;

/**
 * The input of a pipeline run on one frame: {@code frame_index} (boxed as Long, as tools expect) and
 * the frame, as a client sent it (JPEG bytes) or as a decoder produced it (RGB pixels).
 */
public final class FramePayloads {

  private FramePayloads() {}

  /** A client's frame: {@code frame_index} and {@code image_bytes}. */
  public static Map<String, Object> jpeg(long frameIndex, byte[] frameBytes) {
    Map<String, Object> payload = new HashMap<>(4);
    payload.put("frame_index", frameIndex);
    payload.put(JsonSafe.IMAGE_BYTES, frameBytes);
    return payload;
  }

  /** A decoded frame: {@code frame_index} and the frame under {@link DecodedFrame#KEY}; no {@code image_bytes}. */
  public static Map<String, Object> decoded(long frameIndex, DecodedFrame frame) {
    Map<String, Object> payload = new HashMap<>(4);
    payload.put("frame_index", frameIndex);
    payload.put(DecodedFrame.KEY, frame);
    return payload;
  }
}
