package io.framewire.api.image;

/**
 * A frame's colour pixels as they are: interleaved RGB, or the YUV 4:2:0 planes a video decoder gave.
 * Resamplers that read a few rows at a time (a detector's letterbox) take either, converting YUV
 * rows as they read them, so that no full-size RGB copy of a video frame is made for them.
 */
public sealed interface ColourImage permits RgbImage, Yuv420Image {

  int width();

  int height();

  /** Row {@code row} as interleaved RGB bytes into {@code into[0 .. 3 * width)}. */
  void rgbRow(int row, byte[] into);
}
