package io.framewire.video;

import io.framewire.api.image.DecodedFrame;

/**
 * One decoded video frame as it leaves the decoder.
 *
 * @param index the source frame number, 0-based, counting every decoded video frame (also those a
 *     stride skipped), so results name the frame of the file
 * @param frame the pixels, as the tools' shared decoded-frame value (RGB; JPEG only on demand)
 * @param timestampMicros the frame's presentation time from the container, in microseconds
 * @param timeMillis the frame's time on the wall clock (epoch ms): when the decoder opened the input
 *     plus the frame's presentation time since the first frame's ({@link io.framewire.api.FrameTime})
 */
public record VideoFrame(long index, DecodedFrame frame, long timestampMicros, long timeMillis) {}
