package io.framewire.video;

/**
 * What the decoder learned when it opened an input.
 *
 * @param frameRate frames per second the container declares, 0 if unknown
 * @param lengthFrames the video's frame count, or -1 if unknown (a live stream, or a container that
 *     does not say)
 * @param durationMicros the video's duration, or -1 if unknown
 */
public record VideoInfo(int width, int height, double frameRate, long lengthFrames, long durationMicros) {}
