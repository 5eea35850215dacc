package io.framewire.jobs;

/**
 * A request the jobs refused, as a value the API answers: {@code status} and the {@code
 * {"error","detail"}} body's {@code error} code and sentence.
 */
public final class JobException extends RuntimeException {

  private final int status;
  private final String error;

  public JobException(int status, String error, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.error = error;
  }

  /** The HTTP status: 400, 404, 413, 503. */
  public int status() {
    return status;
  }

  /** The {@code error} code: {@code invalid_request}, {@code invalid_pipeline}, {@code invalid_input}, … */
  public String error() {
    return error;
  }

  /** The {@code detail}: one sentence for people. */
  public String detail() {
    return getMessage();
  }

  static JobException notFound(String id) {
    return new JobException(404, "not_found", "no job with id '" + id + "'");
  }
}
