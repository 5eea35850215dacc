package io.framewire.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sinks' table on SQLite, migrated by Flyway as the store migrates it. */
class SinkRepositoryTest {

  @TempDir Path dir;
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void definitionsAndPositionsPersistAndThePositionNeverMovesBack() throws Exception {
    SinkRepository repository = new SinkRepository(SinkTestDb.migrated(dir), mapper);
    SinkDefinition hook = SinkJson.parse(mapper.readTree(
        "{\"id\": \"hook\", \"type\": \"webhook\", \"url\": \"http://x/in\", \"secret\": \"s\"}"));
    SinkDefinition ha = SinkJson.parse(mapper.readTree(
        "{\"id\": \"ha\", \"type\": \"mqtt\", \"url\": \"tcp://x:1883\", \"username\": \"u\", \"password\": \"p\"}"));
    assertTrue(repository.insert(hook, 7));
    assertTrue(repository.insert(ha, 0));
    assertFalse(repository.insert(hook, 0), "the id is taken");

    // A second repository over the same file: what a restarted server reads.
    SinkRepository reopened = new SinkRepository(SinkTestDb.migrated(dir), mapper);
    assertEquals(List.of(new SinkRepository.Stored(ha, 0), new SinkRepository.Stored(hook, 7)), reopened.list());

    reopened.commit("hook", 12);
    reopened.commit("hook", 9);
    assertEquals(OptionalLong.of(12), repository.position("hook"));
    assertTrue(repository.delete("hook"));
    assertFalse(repository.delete("hook"));
    assertEquals(OptionalLong.empty(), repository.position("hook"));
  }
}
