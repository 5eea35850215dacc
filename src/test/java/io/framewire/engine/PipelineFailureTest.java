package io.framewire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a client is told of a tool's failure ({@link PipelineFailure#clientDetail()}). */
class PipelineFailureTest {

  @Test
  void theClientDetailNamesTheNodeButNeverAnExceptionClass() {
    // What tools really throw: no message at all, or a wrapper whose message is "class: message".
    assertEquals("node 'detector' failed", new PipelineFailure("detector", new NullPointerException()).clientDetail());
    assertEquals("node 'reader' failed: disk gone",
        new PipelineFailure("reader", new RuntimeException(new java.io.IOException("disk gone"))).clientDetail());
    assertEquals("node 'n' failed: model not loaded",
        new PipelineFailure("n", new IllegalStateException("model not loaded\nsecond line")).clientDetail());
    assertEquals("node 'n' failed: " + "x".repeat(200) + "…",
        new PipelineFailure("n", new IllegalStateException("x".repeat(300))).clientDetail());
  }
}
