package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@link EventStoreContract} on SQLite: a database file in a fresh DATA_DIR per test. */
class SqliteEventStoreTest extends EventStoreContract {

  private EventStoreSettings settings;

  @Override
  EventStoreSettings emptyDatabase(Path tmp) {
    settings = EventStoreSettings.sqlite(tmp.resolve("data"));
    return settings;
  }

  @Override
  EventStoreSettings reopenSettings() {
    return settings;
  }

  @Override
  EventStore.Vendor vendor() {
    return EventStore.Vendor.SQLITE;
  }

  @Test
  void theDatabaseIsAFileInDataDirInWalMode() throws Exception {
    assertEquals(true, Files.isRegularFile(tmp.resolve("data").resolve(EventStore.SQLITE_FILE)));
    try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
      rs.next();
      assertEquals("wal", rs.getString(1));
    }
  }
}
