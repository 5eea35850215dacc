package io.framewire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two references of the echo benchmark: the bare server keeps Pekko's own thread layout (so the
 * fixed reference does not move when framewire's application.conf is tuned), and {@code --tuned}
 * runs on framewire's layout and still answers every frame.
 */
@Timeout(60)
class BareEchoServerTest {

  @Test
  void theFixedReferenceRunsOnPekkosDefaultsWhateverApplicationConfTunes() {
    Config reference = ConfigFactory.defaultReference();
    Config application = ConfigFactory.load();
    Config untuned = BareEchoServer.config(false);
    Config tuned = BareEchoServer.config(true);
    for (String path : BareEchoServer.PLATFORM_TUNING) {
      // application.conf does tune these (else there would be nothing to compare)...
      assertNotEquals(reference.getValue(path), application.getValue(path), path);
      // ...the reference ignores that, the tuned server takes it.
      assertEquals(reference.getValue(path).unwrapped(), untuned.getValue(path).unwrapped(), path);
      assertEquals(application.getValue(path).unwrapped(), tuned.getValue(path).unwrapped(), path);
    }
    assertEquals("pekko.actor.default-dispatcher", tuned.getString("pekko.io.tcp.worker-dispatcher"));
    // Everything else (logging, http settings) is the same in both.
    assertEquals(application.getString("pekko.loglevel"), untuned.getString("pekko.loglevel"));
  }

  @Test
  void theTunedServerAnswersEveryFrame() {
    try (BareEchoServer tuned = BareEchoServer.start("127.0.0.1", 0, true)) {
      LoadToolTest.Run run = LoadToolTest.run("--url",
          "ws://127.0.0.1:" + tuned.port() + "/ws/video/stream?pipeline_id=echo",
          "--sessions", "2", "--duration", "500ms", "--warmup", "0", "--jpeg-kb", "4", "--json");
      assertEquals(LoadTool.OK, run.exit(), run.err());
      long sent = run.json().get("frames_sent").asLong();
      assertEquals(sent, run.json().get("results").asLong());
      assertEquals(0, run.json().get("errors").asLong());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
