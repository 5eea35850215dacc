package io.framewire.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;
import io.framewire.eventstore.EventStore;
import io.framewire.eventstore.EventStoreSettings;
import io.framewire.eventstore.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sinks' table on SQLite, migrated by Flyway as the store migrates it, and on a real PostgreSQL
 * migrated by the event store itself ({@code V1} and {@code V2} of {@code db/migration/postgresql}).
 */
class SinkRepositoryTest {

  @TempDir Path dir;
  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void definitionsAndPositionsPersistAndThePositionNeverMovesBackOnSqlite() throws Exception {
    definitionsAndPositionsPersistAndThePositionNeverMovesBack(SinkTestDb.migrated(dir), SinkTestDb.migrated(dir));
  }

  @Test
  void definitionsAndPositionsPersistAndThePositionNeverMovesBackOnPostgres() throws Exception {
    try (TestPostgres postgres = TestPostgres.start()) {
      EventStoreSettings settings = EventStoreSettings.sqlite(dir).onPostgres(postgres.jdbcUrl(), postgres.user(), null);
      try (EventStore store = EventStore.open(settings); EventStore again = EventStore.open(settings)) {
        definitionsAndPositionsPersistAndThePositionNeverMovesBack(store.dataSource(), again.dataSource());
      }
    }
  }

  private void definitionsAndPositionsPersistAndThePositionNeverMovesBack(DataSource db, DataSource reopenedDb)
      throws Exception {
    SinkRepository repository = new SinkRepository(db, mapper);
    SinkDefinition hook = SinkJson.parse(mapper.readTree(
        "{\"id\": \"hook\", \"type\": \"webhook\", \"url\": \"http://x/in\", \"secret\": \"s\"}"));
    SinkDefinition ha = SinkJson.parse(mapper.readTree(
        "{\"id\": \"ha\", \"type\": \"mqtt\", \"url\": \"tcp://x:1883\", \"username\": \"u\", \"password\": \"p\"}"));
    assertTrue(repository.insert(hook, 7));
    assertTrue(repository.insert(ha, 0));
    assertFalse(repository.insert(hook, 0), "the id is taken");

    // A second repository over the same file: what a restarted server reads.
    SinkRepository reopened = new SinkRepository(reopenedDb, mapper);
    assertEquals(List.of(new SinkRepository.Stored(ha, 0), new SinkRepository.Stored(hook, 7)), reopened.list());

    reopened.commit("hook", 12);
    reopened.commit("hook", 9);
    assertEquals(OptionalLong.of(12), repository.position("hook"));
    assertTrue(repository.delete("hook"));
    assertFalse(repository.delete("hook"));
    assertEquals(OptionalLong.empty(), repository.position("hook"));
  }
}
