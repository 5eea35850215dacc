package io.framewire;

import io.framewire.server.FramewireServer;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.event.Logging;
import org.junit.jupiter.api.Test;

/** LOG_LEVEL=WARN (Logback's spelling, used by the benchmark scripts) is a valid Pekko level too. */
class PekkoLogLevelTest {

  @Test
  void logbacksWarnSpellingStartsPekkoAtWarningLevel() {
    Config config = FramewireServer.withPekkoLogLevel(
        ConfigFactory.parseString("pekko.loglevel = WARN").withFallback(ConfigFactory.load()));
    assertEquals("WARNING", config.getString("pekko.loglevel"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "loglevel", config);
    try {
      assertEquals(Logging.WarningLevel(), system.classicSystem().eventStream().logLevel());
    } finally {
      system.terminate();
    }
  }

  @Test
  void otherLevelsPassUnchanged() {
    for (String level : new String[] {"DEBUG", "INFO", "WARNING", "ERROR", "OFF"}) {
      Config config = ConfigFactory.parseString("pekko.loglevel = " + level);
      assertEquals(level, FramewireServer.withPekkoLogLevel(config).getString("pekko.loglevel"));
    }
  }
}
