package io.framewire.http;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * pekko-http's answer to a request too malformed to reach any route (bad request line, header
 * syntax, oversized head, broken chunking) in the one error shape {@code {"error","detail"}}, set as
 * {@code pekko.http.server.parsing.error-handler} (application.conf). A method or HTTP version
 * pekko does not know (its 501 and 505) is answered 400 {@code bad_request} with pekko's sentence:
 * the client sent what this server does not speak, the server has not failed, and a scanner's
 * garbage must not count in an operator's 5xx rate.
 */
public final class JsonParsingErrors extends ParsingErrorHandler {

  /** pekko creates it by class name, with no arguments. */
  public JsonParsingErrors() {}

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    // pekko's own handler logs as pekko.http.server.parsing.error-logging-verbosity says; its text answer is dropped.
    org.apache.pekko.http.DefaultParsingErrorHandler.handle(status, info, log, settings);
    org.apache.pekko.http.javadsl.model.StatusCode answered =
        status.intValue() >= 500 ? StatusCodes.BAD_REQUEST : status;
    String detail = info.summary().isBlank() ? answered.reason() : info.summary();
    return HttpResponse.create().withStatus(answered).withEntity(ErrorResponses.body(answered, detail));
  }
}
