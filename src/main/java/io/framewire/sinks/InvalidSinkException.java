package io.framewire.sinks;

/** A sink definition that cannot be used; the message says which field and why (the 400's detail). */
public final class InvalidSinkException extends RuntimeException {

  public InvalidSinkException(String detail) {
    super(detail);
  }
}
