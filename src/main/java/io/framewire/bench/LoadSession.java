package io.framewire.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One streaming session: sends frames, matches each answer to its frame by {@code frame_index} and
 * records counts and latency. The server numbers valid frames from 0 in arrival order, and every
 * frame this tool sends is the same valid JPEG, so the n-th frame sent is {@code frame_index} n.
 *
 * <p>Listener callbacks for one WebSocket arrive one at a time, but sends come from the scheduler
 * thread in fixed-rate mode, so state is guarded by this object's lock.
 */
final class LoadSession implements WebSocket.Listener {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Set by {@link #begin} once every session is connected; no frame is sent before. */
  private RunClock clock;
  private final byte[] jpeg;
  private final boolean closedLoop;
  private final AtomicLong liveSent;
  private final AtomicLong liveAnswers;
  private final SessionStats stats = new SessionStats();

  /** Completes when the connection is gone: closed by either side, or failed. */
  final CompletableFuture<Void> closed = new CompletableFuture<>();
  /** Completes once sending has stopped and every sent frame is answered (or the session closed). */
  final CompletableFuture<Void> drained = new CompletableFuture<>();

  private WebSocket webSocket;
  /** Sends are chained: the JDK client allows one outstanding send per WebSocket. */
  private CompletableFuture<WebSocket> sendChain;
  private long[] sendTimes = new long[1024];
  private long sent;
  private long answered;
  private boolean stopped;
  private boolean errorReceived;
  private boolean closing;
  private final StringBuilder partial = new StringBuilder();

  LoadSession(byte[] jpeg, boolean closedLoop, AtomicLong liveSent, AtomicLong liveAnswers) {
    this.jpeg = jpeg;
    this.closedLoop = closedLoop;
    this.liveSent = liveSent;
    this.liveAnswers = liveAnswers;
  }

  @Override
  public synchronized void onOpen(WebSocket ws) {
    this.webSocket = ws;
    this.sendChain = CompletableFuture.completedFuture(ws);
    ws.request(1);
  }

  /**
   * Starts the session's time line; a closed-loop session sends its first frame now, later ones
   * follow each answer. A fixed-rate one waits for {@link #tick}.
   */
  synchronized void begin(RunClock clock) {
    this.clock = clock;
    if (closedLoop) {
      sendFrame();
    }
  }

  /** One tick of a fixed-rate session. */
  synchronized void tick() {
    if (clock != null && !stopped && !closed.isDone() && clock.now() < clock.measureEnd()) {
      sendFrame();
    }
  }

  private void sendFrame() {
    if (sent == sendTimes.length) {
      sendTimes = Arrays.copyOf(sendTimes, sendTimes.length * 2);
    }
    long now = clock.now();
    sendTimes[(int) sent] = now;
    sent++;
    liveSent.incrementAndGet();
    if (clock.isMeasured(now)) {
      stats.framesSent++;
    }
    // wrap() shares the array: no copy of the frame per send.
    ByteBuffer frame = ByteBuffer.wrap(jpeg);
    sendChain = sendChain.thenCompose(ws -> ws.sendBinary(frame, true));
    sendChain.whenComplete((ws, failure) -> {
      if (failure != null) {
        failed("send_failed");
      }
    });
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    synchronized (this) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        handle(message);
      }
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    synchronized (this) {
      if (last) {
        stats.error("unexpected_binary");
      }
    }
    ws.request(1);
    return null;
  }

  private void handle(String message) {
    if (clock == null) {
      stats.error("unexpected_message");
      return;
    }
    long now = clock.now();
    JsonNode node;
    try {
      node = JSON.readTree(message);
    } catch (Exception e) {
      stats.error("unparsable_message");
      return;
    }
    if (node.has("error")) {
      // Errors are counted in warm-up too: the session ends with them.
      stats.error(node.path("error").asText("unknown"));
      errorReceived = true;
      return;
    }
    if (node.has("warning")) {
      // Counted in warm-up too: slow_down comes once per overload episode, often early in a run.
      if ("slow_down".equals(node.path("warning").asText())) {
        stats.slowDowns++;
      } else {
        stats.error("warning:" + node.path("warning").asText());
      }
      return;
    }
    JsonNode index = node.get("frame_index");
    if (index == null || !index.canConvertToLong()) {
      stats.error("unexpected_message");
      return;
    }
    long i = index.asLong();
    if (i < 0 || i >= sent || i != answered) {
      // Out of order or unknown index: the protocol promises frame order.
      stats.error("bad_frame_index");
      return;
    }
    answered++;
    liveAnswers.incrementAndGet();
    long sentAt = sendTimes[(int) i];
    if (clock.isMeasured(sentAt)) {
      if (node.path("dropped").asBoolean(false)) {
        stats.dropped++;
      } else if (node.has("result")) {
        stats.recordResult((now - sentAt) / 1_000, clock.fifthOf(sentAt));
      } else {
        stats.error("unexpected_message");
      }
    }
    if (closedLoop && !stopped && now < clock.measureEnd()) {
      sendFrame();
    }
    checkDrained();
  }

  /** Stops sending; {@link #drained} completes once the outstanding answers are in. */
  synchronized void stopSending() {
    stopped = true;
    checkDrained();
  }

  private void checkDrained() {
    if (stopped && answered == sent) {
      drained.complete(null);
    }
  }

  /** Closes politely, after any send in progress. */
  synchronized CompletableFuture<Void> close() {
    if (!closed.isDone() && !closing && sendChain != null) {
      closing = true;
      sendChain
          .thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "bench done"))
          .whenComplete((ws, failure) -> {
            if (failure != null) {
              abort();
            }
          });
    }
    return closed;
  }

  synchronized void abort() {
    if (webSocket != null) {
      webSocket.abort();
    }
    finish();
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    synchronized (this) {
      if (!closing && !errorReceived) {
        // The server hung up without saying why.
        stats.error("closed_by_server");
      }
      finish();
    }
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    failed(closing ? null : "connection_error");
  }

  private synchronized void failed(String code) {
    if (!closed.isDone() && code != null && !closing) {
      stats.error(code);
    }
    finish();
  }

  private void finish() {
    closed.complete(null);
    drained.complete(null);
  }

  /** The final numbers; call after the session is closed. */
  synchronized SessionStats stats() {
    long unanswered = 0;
    for (long i = answered; i < sent; i++) {
      if (clock != null && clock.isMeasured(sendTimes[(int) i])) {
        unanswered++;
      }
    }
    stats.unanswered = unanswered;
    return stats;
  }
}
