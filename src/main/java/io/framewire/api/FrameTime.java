package io.framewire.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * When a frame was captured, as the engine puts it in every run's payload under {@link #KEY}
 * (milliseconds since the epoch, a {@code Long}).
 *
 * <p>For a video file or a live camera it is the frame's presentation time, counted from the wall
 * clock at which the decoder opened the input (so the times of a file's frames are as far apart as
 * in the video, however fast it is read); for a frame a client sent over the WebSocket, it is the
 * server's receive time. Stateful tools measure durations (a zone's dwell) with it, and events carry
 * it as {@link #iso}.
 */
public final class FrameTime {

  /** The payload key: the frame's time in epoch milliseconds ({@code Long}). */
  public static final String KEY = "frame_time_ms";

  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private FrameTime() {}

  /** The frame's time from a tool's input; the current time if the payload has none (a hand-built one). */
  public static long millis(Map<String, Object> input) {
    return input.get(KEY) instanceof Number n ? n.longValue() : System.currentTimeMillis();
  }

  /** ISO-8601 in UTC with milliseconds, e.g. {@code 2026-12-06T08:15:02.123Z}. */
  public static String iso(long epochMillis) {
    return ISO.format(Instant.ofEpochMilli(epochMillis));
  }
}
