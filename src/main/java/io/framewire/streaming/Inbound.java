package io.framewire.streaming;

/** What flows from the client side of a session's stream up to the rate decoupler. */
public sealed interface Inbound permits Inbound.Bytes, Frame, StreamError {

  /** One complete binary message, not yet numbered or checked. */
  record Bytes(byte[] bytes) implements Inbound {}
}
