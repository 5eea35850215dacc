package io.framewire.jobs;

import io.framewire.engine.Failures;
import io.framewire.engine.FrameFailedException;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.video.VideoInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A failed job's {@code error}: one sentence for people, never a class name or a stack trace. */
final class JobFailures {

  private static final Logger log = LoggerFactory.getLogger(JobFailures.class);

  private JobFailures() {}

  static String describe(Throwable error) {
    Throwable cause = Failures.unwrap(error);
    if (cause instanceof VideoInputException || cause instanceof FrameFailedException
        || cause instanceof UnknownPipelineException || cause instanceof IllegalArgumentException) {
      return cause.getMessage();
    }
    log.warn("a job failed", cause);
    String message = cause.getMessage();
    return "unexpected failure" + (message == null || message.isBlank() ? "" : ": " + message.strip().lines().findFirst().orElse(""));
  }
}
