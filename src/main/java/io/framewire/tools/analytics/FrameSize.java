package io.framewire.tools.analytics;

import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.InvalidImageException;
import java.util.Map;

/** The current frame's size, which relative coordinates are scaled by. */
record FrameSize(int width, int height) {

  /**
   * The size of the input's frame (decoding it if no tool has yet).
   *
   * @throws IllegalArgumentException when the input carries no frame
   */
  static FrameSize of(Map<String, Object> input, String tool) {
    DecodedFrame frame;
    try {
      frame = DecodedFrame.of(input);
    } catch (InvalidImageException e) {
      throw new IllegalArgumentException(tool + " with units 'relative' needs the frame's size, but this input has no frame;"
          + " use units 'pixels'", e);
    }
    return new FrameSize(frame.width(), frame.height());
  }
}
