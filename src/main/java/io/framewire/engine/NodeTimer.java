package io.framewire.engine;

/** Told how long one node of one pipeline took, once per run (a histogram child, in production). */
@FunctionalInterface
public interface NodeTimer {

  NodeTimer NONE = nanos -> {};

  void record(long nanos);
}
