package io.framewire.http;

import io.framewire.metrics.StreamMetrics;
import io.framewire.engine.Failures;
import io.framewire.streaming.AnswerEncoder;
import io.framewire.net.ConnectionAbort;
import io.framewire.streaming.FrameValidator;
import io.framewire.streaming.SessionFlow;
import io.framewire.streaming.SessionManager;
import io.framewire.streaming.StreamError;
import io.framewire.streaming.StreamEvents;
import io.framewire.streaming.StreamFailure;
import io.framewire.streaming.StreamSettings;
import io.framewire.websocket.WebSocketLayer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * {@code GET /ws/video/stream?pipeline_id=ID}: the streaming endpoint (the Java home of the Python
 * original's {@code api_routes/routes/video_stream.py}). Asks the {@link SessionManager} once per
 * connection for a session, then hands the connection to that session's {@link SessionFlow}. A
 * connection that cannot have a session is still accepted, told why in one error message, and closed.
 */
public final class VideoStreamRoute extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(VideoStreamRoute.class);

  private final ActorSystem<?> system;
  private final ActorRef<SessionManager.Command> sessions;
  private final StreamSettings settings;
  private final FrameValidator validator;
  private final StreamMetrics metrics;
  private final StreamAccess access;
  private final Duration askTimeout;
  private final WebSocketLayer webSocket;

  public VideoStreamRoute(
      ActorSystem<?> system,
      ActorRef<SessionManager.Command> sessions,
      StreamSettings settings,
      StreamMetrics metrics) {
    this.system = system;
    this.sessions = sessions;
    this.settings = settings;
    this.validator = FrameValidator.of(settings);
    this.metrics = metrics;
    this.access = new StreamAccess(settings);
    this.askTimeout = settings.managerAskTimeout();
    this.webSocket = WebSocketLayer.create(system, settings.webSocketLayer(), settings.maxFrameBytes());
  }

  public Route route() {
    return path(PathMatchers.segment("ws").slash("video").slash("stream"), () ->
        extractRequest(request -> parameterOptional("token", token -> parameterOptional("pipeline_id", pipelineId -> {
          Optional<StreamAccess.Refusal> refusal = access.check(header(request, "Origin"), header(request, "Host"),
              token, header(request, "Authorization"));
          if (refusal.isPresent()) {
            return refuseBeforeUpgrade(pipelineId.orElse(""), refusal.get());
          }
          return parameterOptional("timings", timings ->
              get(() -> extractWebSocketUpgrade(upgrade -> connect(upgrade, pipelineId, isOn(timings),
                  request.getAttribute(ConnectionAbort.ATTRIBUTE).orElse(ConnectionAbort.NONE)))));
        }))));
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }

  /** Origin or token refused: a plain HTTP 403/401 with the error as JSON, no upgrade, no session. */
  private Route refuseBeforeUpgrade(String pipelineId, StreamAccess.Refusal refusal) {
    StreamError error = refusal.error();
    recordRefusal(pipelineId, error);
    HttpResponse response = HttpResponse.create()
        .withStatus(refusal.status())
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, AnswerEncoder.encode(error)));
    if (refusal.status() == 401) {
      response = response.addHeader(HttpHeader.parse("WWW-Authenticate", "Bearer realm=\"framewire\""));
    }
    return complete(response);
  }

  /** {@code timings=1} (or true, yes, on) asks for per-node timings in each result. */
  static boolean isOn(Optional<String> flag) {
    return flag.map(v -> v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes")
        || v.equalsIgnoreCase("on")).orElse(false);
  }

  private Route connect(WebSocketUpgrade upgrade, Optional<String> pipelineId, boolean timings, ConnectionAbort abort) {
    if (pipelineId.isEmpty() || pipelineId.get().isBlank()) {
      return complete(webSocket.handle(upgrade, refuse("", StreamError.invalidPipeline(
          "missing query parameter pipeline_id; connect to /ws/video/stream?pipeline_id=ID"))));
    }
    String id = pipelineId.get();
    return onComplete(
        AskPattern.<SessionManager.Command, SessionManager.AdmitReply>ask(
            sessions, replyTo -> new SessionManager.Admit(id, timings, replyTo), askTimeout, system.scheduler()),
        reply -> {
          if (reply.isFailure()) {
            // The manager did not answer: the client still gets the protocol's error, not an HTTP 500.
            return complete(webSocket.handle(upgrade, refuse(id, StreamError.internalError())));
          }
          if (reply.get() instanceof SessionManager.Rejected rejected) {
            return complete(webSocket.handle(upgrade, refuse(id, rejected.error())));
          }
          SessionManager.Admitted admitted = (SessionManager.Admitted) reply.get();
          // Wait once, before upgrading, for the session actor to open the tools (off the admission
          // path). Not in the stream: the frame timeout must not count a slow open, the run stage then
          // needs no per-frame check, and a failed open is refused exactly like a rejected admission.
          return onComplete(admitted.runner(), runner -> complete(webSocket.handle(upgrade, runner.isSuccess()
              ? SessionFlow.create(settings, validator, runner.get(), admitted.session(), metrics, abort)
              : refuse(id, openFailure(runner.failed().get())))));
        });
  }

  /** The error the client gets for a session whose tools did not open (the actor logged why). */
  private static StreamError openFailure(Throwable failure) {
    Throwable cause = Failures.unwrap(failure);
    return cause instanceof StreamFailure known ? known.error() : StreamError.internalError();
  }

  /** Accept, send the one error, close: the client learns why instead of seeing a failed handshake. */
  private Flow<Message, Message, NotUsed> refuse(String pipelineId, StreamError error) {
    recordRefusal(pipelineId, error);
    return Flow.fromSinkAndSource(Sink.ignore(), Source.single(TextMessage.create(AnswerEncoder.encode(error))));
  }

  /** Counts and logs ({@code stream_error}) a connection that got no session. */
  private void recordRefusal(String pipelineId, StreamError error) {
    metrics.errors.labels(error.code().wire()).inc();
    StreamEvents.log(log, Level.WARN, "stream_error",
        Map.of("session_id", UUID.randomUUID().toString(), "pipeline_id", pipelineId, "error", error.code().wire()),
        "connection refused {}: {}", error.code(), error.detail());
  }

}
