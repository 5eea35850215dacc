package io.framewire.api.image;

/**
 * A frame's colour pixels as they are: interleaved RGB, or the YUV 4:2:0 planes a video decoder gave.
 * A resampler that makes a small tensor of a large frame (a detector's letterbox) takes either: from
 * YUV it interpolates the planes and converts only the output's pixels, so no full-size RGB copy of
 * a video frame is made for it.
 */
public sealed interface ColourImage permits RgbImage, Yuv420Image {

  int width();

  int height();
}
