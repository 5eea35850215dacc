package io.framewire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client that is not ours (the JDK's {@link java.net.http.WebSocket}) for protocol
 * tests: collects every text message and the close code the server sent.
 */
public final class WsTestClient implements AutoCloseable {

  public static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The server's close frame. */
  public record Close(int code, String reason) {}

  private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final WebSocket socket;

  private WsTestClient(URI uri) {
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .connectTimeout(TIMEOUT)
        .buildAsync(uri, new Listener())
        .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .join();
  }

  public static WsTestClient connect(int port, String pathAndQuery) {
    return new WsTestClient(URI.create("ws://127.0.0.1:" + port + pathAndQuery));
  }

  public static WsTestClient stream(int port, String pipelineId) {
    return connect(port, "/ws/video/stream?pipeline_id=" + pipelineId);
  }

  public WsTestClient sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    return this;
  }

  /**
   * Sends one message split into WebSocket fragments of {@code chunk} bytes. If the server closes the
   * WebSocket part-way (it refuses a message as soon as it grows past the frame size limit, and
   * ends the session), the client answers the close and the fragments left are not sent.
   */
  public WsTestClient sendFragmented(byte[] bytes, int chunk) {
    for (int off = 0; off < bytes.length; off += chunk) {
      int len = Math.min(chunk, bytes.length - off);
      try {
        socket.sendBinary(ByteBuffer.wrap(bytes, off, len), off + len >= bytes.length)
            .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
      } catch (CompletionException e) {
        if (closed.isDone() && e.getCause() instanceof IOException) {
          return this; // the server's close came first: our output is closed
        }
        throw e;
      }
    }
    return this;
  }

  public WsTestClient sendText(String text) {
    socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    return this;
  }

  /** The next message as JSON; fails the test if none arrives in time. */
  public JsonNode next() {
    String text;
    try {
      text = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (text == null) {
      throw new AssertionError("no message from the server within " + TIMEOUT);
    }
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** The next message, typed: a result, a {@code dropped} notice, a {@code slow_down} warning or an error. */
  public Answer nextAnswer() {
    return new Answer(next());
  }

  /**
   * One message of the streaming protocol (docs/protocol.md) with typed accessors. Exactly one of
   * {@link #isResult}, {@link #isDropped}, {@link #isSlowDown}, {@link #isError} is true.
   */
  public record Answer(JsonNode json) {

    /** The frame this answers, or -1 for messages about no frame ({@code slow_down}, most errors). */
    public long frameIndex() {
      return json.has("frame_index") ? json.get("frame_index").asLong() : -1;
    }

    public boolean isResult() {
      return json.has("result");
    }

    public boolean isDropped() {
      return json.path("dropped").asBoolean(false);
    }

    public boolean isSlowDown() {
      return "slow_down".equals(json.path("warning").asText(null));
    }

    public boolean isError() {
      return json.has("error");
    }

    /** The pipeline's result; fails the test (showing the message) if this is not a result. */
    public JsonNode result() {
      if (!isResult()) {
        throw new AssertionError("expected a result, got " + json);
      }
      return json.get("result");
    }

    /** The {@code slow_down} warning's {@code max_fps}; fails the test if this is not one. */
    public double slowDownMaxFps() {
      if (!isSlowDown()) {
        throw new AssertionError("expected slow_down, got " + json);
      }
      return json.get("max_fps").asDouble();
    }

    /** The error code ({@code invalid_frame}, {@code pipeline_failure}, …); fails the test if this is not an error. */
    public String error() {
      if (!isError()) {
        throw new AssertionError("expected an error, got " + json);
      }
      return json.get("error").asText();
    }

    /** The error's detail, for people; fails the test if this is not an error. */
    public String detail() {
      error();
      return json.path("detail").asText();
    }

    @Override
    public String toString() {
      return json.toString();
    }
  }

  /** The next {@code n} messages. */
  public List<JsonNode> next(int n) {
    List<JsonNode> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  /** Waits for the server's close frame. */
  public Close awaitClose() {
    return closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** Waits until the connection ends, by a close frame or by being cut; true when it has. */
  public boolean awaitCloseOrError() {
    try {
      closed.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
      return true;
    } catch (java.util.concurrent.CompletionException e) {
      return !(e.getCause() instanceof java.util.concurrent.TimeoutException);
    }
  }

  /** Whether the connection has ended (close frame received, or cut). */
  public boolean isClosed() {
    return closed.isDone();
  }

  /** Messages received and not yet taken. */
  public List<String> pending() {
    return new ArrayList<>(messages);
  }

  /** Closes normally (1000). */
  public void closeNormally() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
  }

  /** Drops the TCP connection without a close handshake, as a vanishing client does. */
  public void abort() {
    socket.abort();
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(new Close(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }
  }
}
