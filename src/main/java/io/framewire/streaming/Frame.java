package io.framewire.streaming;

/**
 * One complete binary message of a session, numbered in arrival order from 0.
 *
 * @param bytes the JPEG bytes; never copied after aggregation, never modified
 * @param receivedMillis when the server had the whole message (epoch ms): the frame's time for the
 *     tools ({@link io.framewire.api.FrameTime}), since a client's frame carries no capture time
 */
public record Frame(long index, byte[] bytes, long receivedMillis) implements Inbound {

  /** A frame received now. */
  public Frame(long index, byte[] bytes) {
    this(index, bytes, System.currentTimeMillis());
  }
}
