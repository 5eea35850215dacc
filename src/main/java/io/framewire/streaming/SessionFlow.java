package io.framewire.streaming;

import io.framewire.net.ConnectionAbort;
import io.framewire.metrics.StreamMetrics;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.BackpressureTimeoutException;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * The stream graph of one WebSocket connection, top to bottom like the data:
 * aggregate → idle guard → index → validate (+ shutdown signal) → latest-frame-wins → run pipeline, merged with the session actor's
 * control messages (slow_down, or an error that ends the session) → encode → stall guard.
 */
public final class SessionFlow {

  private static final int CONTROL_BUFFER = 8;

  private SessionFlow() {}

  public static Flow<Message, Message, NotUsed> create(
      StreamSettings settings,
      FrameValidator validator,
      FrameRunner runner,
      ActorRef<SessionActor.Command> session,
      StreamMetrics metrics) {
    return create(settings, validator, runner, session, metrics, ConnectionAbort.NONE);
  }

  /**
   * @param abort resets the connection below this WebSocket: at once when the client is detected as
   *     stalled (no close frame can reach a client that does not read), after its close grace when
   *     the session ended over an oversized frame whose rest was left unread
   */
  public static Flow<Message, Message, NotUsed> create(
      StreamSettings settings,
      FrameValidator validator,
      FrameRunner runner,
      ActorRef<SessionActor.Command> session,
      StreamMetrics metrics,
      ConnectionAbort abort) {
    // Completed by the session actor when the server shuts down. One per connection (not one shared
    // by all), so nothing of an ended session stays registered anywhere until shutdown.
    CompletableFuture<StreamError> shutdown = new CompletableFuture<>();
    // Set when a message was refused part-way (frame_too_large): its rest is left unread.
    AtomicBoolean unreadInput = new AtomicBoolean();
    // The actor's channel into this connection; bounded, and the newest control message wins.
    Source<Answer, NotUsed> control = ActorSource.<Answer>actorRef(
            answer -> false, answer -> Optional.empty(), CONTROL_BUFFER, OverflowStrategy.dropHead())
        .mapMaterializedValue(ref -> {
          session.tell(new SessionActor.StreamStarted(ref, shutdown));
          return NotUsed.getInstance();
        })
        .via(StreamError.<Answer>upToFirstError());
    return Flow.<Message>create()
        .via(AggregateFlow.flow(validator))
        // No message from the client for the idle timeout: that error, answered like any other, ends the session.
        .idleTimeout(settings.idleTimeout())
        .recover(TimeoutException.class, () -> StreamError.idleTimeout(settings.idleTimeout()))
        .via(IndexFlow.flow())
        .map(in -> {
          if (in instanceof Frame) {
            metrics.framesReceived.inc();
          } else if (in instanceof StreamError error && error.code() == StreamError.Code.FRAME_TOO_LARGE) {
            unreadInput.set(true);
          }
          return in;
        })
        .via(ValidateFlow.flow(validator))
        // Server shutdown: like a last inbound message, so the frame in flight is answered first,
        // then server_shutting_down, then the close. Completes with the client's side (eager).
        .merge(Source.completionStage(shutdown).<Inbound>map(error -> error).concat(Source.never()), true)
        .via(LatestFrameWins.flow())
        .via(RunPipelineFlow.flow(runner, settings.frameTimeout(), session))
        // eagerComplete: the session ends when either side ends (answers after an error, or the actor's error)
        .merge(control, true)
        .via(EncodeFlow.flow())
        // A client that stops reading: answers wait, bounded, behind TCP backpressure; after the stall
        // timeout without demand the stream fails and the connection is reset (abort).
        .backpressureTimeout(settings.stallTimeout())
        .watchTermination((notUsed, done) -> {
          done.whenComplete((ok, failure) -> {
            if (failure instanceof BackpressureTimeoutException) {
              session.tell(new SessionActor.ErrorSent(StreamError.clientStalled(settings.stallTimeout())));
              // Release the socket now rather than at the HTTP idle timeout (see ConnectionAbort).
              abort.abort(failure);
            }
            session.tell(SessionActor.ConnectionClosed.INSTANCE);
            if (unreadInput.get()) {
              // The rest of an oversized frame can keep the client's close frame from being read.
              abort.endedWithUnreadInput();
            }
          });
          return notUsed;
        })
        .named("session");
  }
}
