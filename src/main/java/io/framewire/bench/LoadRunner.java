package io.framewire.bench;

import java.io.PrintStream;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one load test: connect every session, send for warm-up + duration, drain, close.
 *
 * <p>Uses the JDK's {@code java.net.http} WebSocket client: no dependency, and no Pekko in the
 * client, so the client does not share a runtime or tuning with the server it measures (and the
 * bare pekko-http echo server is then compared with the same client).
 */
final class LoadRunner {

  /** How long a polite close may take before the connection is aborted. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private final LoadOptions options;
  private final byte[] jpeg;
  private final PrintStream progressOut;

  LoadRunner(LoadOptions options, byte[] jpeg, PrintStream progressOut) {
    this.options = options;
    this.jpeg = jpeg;
    this.progressOut = progressOut;
  }

  LoadReport run() throws InterruptedException {
    AtomicLong liveSent = new AtomicLong();
    AtomicLong liveAnswers = new AtomicLong();
    HttpClient client = HttpClient.newBuilder().connectTimeout(options.connectTimeout()).build();
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "bench-scheduler");
      t.setDaemon(true);
      return t;
    });
    try {
      // The clock starts after connecting, so slow handshakes do not eat the measured window.
      List<LoadSession> sessions = new ArrayList<>();
      List<CompletableFuture<WebSocket>> handshakes = new ArrayList<>();
      for (int i = 0; i < options.sessions(); i++) {
        LoadSession session = new LoadSession(jpeg, options.closedLoop(), liveSent, liveAnswers);
        sessions.add(session);
        handshakes.add(client.newWebSocketBuilder()
            .connectTimeout(options.connectTimeout())
            .buildAsync(options.url(), session));
      }
      SessionStats connectFailures = new SessionStats();
      List<LoadSession> open = new ArrayList<>();
      long deadline = System.nanoTime() + options.connectTimeout().toNanos() + 1_000_000_000L;
      for (int i = 0; i < sessions.size(); i++) {
        String failure = awaitHandshake(handshakes.get(i), deadline);
        if (failure == null) {
          open.add(sessions.get(i));
        } else {
          connectFailures.error(failure);
        }
      }
      int failedConnects = sessions.size() - open.size();
      if (open.isEmpty()) {
        return LoadReport.of(options, jpeg.length, connectFailures, 0, failedConnects, 0);
      }

      RunClock clock = RunClock.startingNow(options.warmup(), options.duration());
      startSending(open, scheduler, clock);
      startProgress(scheduler, clock, liveSent, liveAnswers);

      // Wait for the end of the window, or less if every session has already ended.
      CompletableFuture<Void> allClosed = CompletableFuture.allOf(
          open.stream().map(s -> s.closed).toArray(CompletableFuture[]::new));
      awaitQuietly(allClosed, clock.measureEnd() - clock.now());
      long sendingStopped = Math.min(clock.now(), clock.measureEnd());
      open.forEach(LoadSession::stopSending);

      CompletableFuture<Void> allDrained = CompletableFuture.allOf(
          open.stream().map(s -> s.drained).toArray(CompletableFuture[]::new));
      awaitQuietly(allDrained, options.drainTimeout().toNanos());
      scheduler.shutdownNow();

      CompletableFuture<Void> allClosing = CompletableFuture.allOf(
          open.stream().map(LoadSession::close).toArray(CompletableFuture[]::new));
      awaitQuietly(allClosing, CLOSE_TIMEOUT.toNanos());
      open.forEach(LoadSession::abort);

      SessionStats total = connectFailures;
      for (LoadSession s : open) {
        total.add(s.stats());
      }
      double measuredSeconds = Math.max(0, sendingStopped - clock.measureStart()) / 1e9;
      return LoadReport.of(options, jpeg.length, total, measuredSeconds, failedConnects, open.size());
    } finally {
      scheduler.shutdownNow();
    }
  }

  private void startSending(List<LoadSession> open, ScheduledExecutorService scheduler, RunClock clock) {
    if (options.closedLoop()) {
      open.forEach(s -> s.begin(clock));
      return;
    }
    long period = Math.max(1, Math.round(1e9 / options.fps()));
    for (int i = 0; i < open.size(); i++) {
      // Stagger sessions across one period so they do not all send in the same instant.
      long offset = period * i / open.size();
      LoadSession session = open.get(i);
      session.begin(clock);
      scheduler.scheduleAtFixedRate(session::tick, offset, period, TimeUnit.NANOSECONDS);
    }
  }

  private void startProgress(ScheduledExecutorService scheduler, RunClock clock, AtomicLong sent,
      AtomicLong answers) {
    long every = options.progressEvery().toNanos();
    long total = clock.measureEnd() - clock.start();
    // Short runs would only print noise.
    if (every == 0 || total < 2 * every) {
      return;
    }
    long[] last = {clock.start(), 0};
    scheduler.scheduleAtFixedRate(() -> {
      long now = clock.now();
      long a = answers.get();
      double rate = (a - last[1]) / ((now - last[0]) / 1e9);
      last[0] = now;
      last[1] = a;
      String phase = now < clock.measureStart() ? "warm-up" : now < clock.measureEnd() ? "measure" : "drain";
      progressOut.printf(Locale.ROOT, "[%6.1fs %-7s] sent %d answers %d (%.1f/s)%n",
          (now - clock.start()) / 1e9, phase, sent.get(), a, rate);
    }, every, every, TimeUnit.NANOSECONDS);
  }

  /** Null when the handshake succeeded, else an error code for the report. */
  private static String awaitHandshake(CompletableFuture<WebSocket> handshake, long deadline)
      throws InterruptedException {
    try {
      handshake.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return null;
    } catch (TimeoutException e) {
      handshake.cancel(true);
      return "connect_timeout";
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause != null && cause.getCause() != null
          && !(cause instanceof WebSocketHandshakeException)
          && !(cause instanceof ConnectException)
          && !(cause instanceof HttpTimeoutException)) {
        cause = cause.getCause();
      }
      if (cause instanceof WebSocketHandshakeException h) {
        return "handshake_rejected:" + h.getResponse().statusCode();
      }
      if (cause instanceof HttpTimeoutException) {
        return "connect_timeout";
      }
      return "connect_failed";
    }
  }

  private static void awaitQuietly(CompletableFuture<?> future, long nanos)
      throws InterruptedException {
    try {
      future.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // The caller moves on to the next phase either way.
    }
  }
}
