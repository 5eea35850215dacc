package io.framewire.sinks;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteDataSource;

/**
 * A SQLite file in a temp directory with the store's migrations applied by Flyway, as the event
 * store applies them at start ({@code classpath:db/migration/sqlite}).
 */
final class SinkTestDb {

  private SinkTestDb() {}

  static DataSource migrated(Path dir) throws Exception {
    Path file = Files.createDirectories(dir).resolve("events.db");
    SQLiteDataSource dataSource = new SQLiteDataSource();
    dataSource.setUrl("jdbc:sqlite:" + file);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").load().migrate();
    return dataSource;
  }
}
