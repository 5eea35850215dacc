package io.framewire.engine;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void theWorksOwnFailureComesOutOfAnyNumberOfWrappers() {
    IllegalStateException failure = new IllegalStateException("tool broke");
    assertSame(failure, Failures.unwrap(failure));
    assertSame(failure, Failures.unwrap(new CompletionException(failure)));
    assertSame(failure, Failures.unwrap(new ExecutionException(new CompletionException(failure))));
    assertSame(failure, Failures.unwrap(new CompletionException(new ExecutionException(new CompletionException(failure)))));
  }

  @Test
  void aFutureFailedOnAnotherStageIsUnwrapped() {
    PipelineFailure failure = new PipelineFailure("n", new RuntimeException("disk gone"));
    CompletableFuture<Object> failed = CompletableFuture.failedFuture(failure).thenApply(x -> x);
    Throwable seen = failed.handle((ok, error) -> error).join(); // a CompletionException around it
    assertSame(failure, Failures.unwrap(seen));
  }

  @Test
  void aWrapperWithoutACauseIsKeptAndOtherExceptionsAreNotOpened() {
    CompletionException bare = new CompletionException("no cause", null);
    assertSame(bare, Failures.unwrap(bare));
    FrameFailedException framed = new FrameFailedException(3, new IllegalStateException("inner"));
    assertSame(framed, Failures.unwrap(new CompletionException(framed)), "only future wrappers are unwrapped");
    assertNull(Failures.unwrap(null));
  }
}
