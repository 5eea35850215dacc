package io.framewire.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.eventstore.EventStore;
import io.framewire.eventstore.EventStoreSettings;
import io.framewire.eventstore.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code jobs} table, migrated by Flyway with the event store, on SQLite and on a real PostgreSQL:
 * a job is stored, replaced by its next state, listed in submission order with its nulls, deleted.
 */
class JobRepositoryTest {

  @TempDir Path tmp;

  @Test
  void onSqlite() {
    try (EventStore store = EventStore.open(EventStoreSettings.sqlite(tmp))) {
      roundTrip(new JobRepository(store.dataSource()));
    }
  }

  @Test
  void onPostgres() throws Exception {
    try (TestPostgres postgres = TestPostgres.start();
        EventStore store = EventStore.open(EventStoreSettings.sqlite(tmp)
            .onPostgres(postgres.jdbcUrl(), postgres.user(), null))) {
      roundTrip(new JobRepository(store.dataSource()));
    }
  }

  private static void roundTrip(JobRepository jobs) {
    JobRecord first = new JobRecord("a", 1, "inspect", "clips/one.mp4", JobRecord.InputKind.PATH, 2, 0,
        JobState.QUEUED, 0, -1, null, 1_000, 0, 0);
    JobRecord second = new JobRecord("b", 2, "motion", "rtsp://cam/1", JobRecord.InputKind.URL, 1, 50,
        JobState.QUEUED, 0, -1, null, 2_000, 0, 0);
    jobs.save(second);
    jobs.save(first);
    assertEquals(List.of(first, second), jobs.list());

    JobRecord running = first.running(3_000).withTotal(12);
    jobs.save(running);
    JobRecord failed = second.running(3_500).ended(JobState.FAILED, 7, "cannot open rtsp://cam/1", 4_000);
    jobs.save(failed);
    assertEquals(List.of(running, failed), jobs.list());

    assertTrue(jobs.delete("a"));
    assertFalse(jobs.delete("a"));
    assertEquals(List.of(failed), jobs.list());
  }
}
