package io.framewire.eventstore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link EventStoreContract} on a real PostgreSQL ({@link TestPostgres}: Debian's server, started for
 * this class): an empty database per test.
 */
class PostgresEventStoreTest extends EventStoreContract {

  private static TestPostgres postgres;
  private static final AtomicInteger databases = new AtomicInteger();
  private EventStoreSettings settings;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = TestPostgres.start();
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Override
  EventStoreSettings emptyDatabase(Path tmp) throws Exception {
    String name = "events_" + databases.incrementAndGet();
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    settings = EventStoreSettings.sqlite(tmp)
        .onPostgres(postgres.jdbcUrl().replace("/framewire", "/" + name), postgres.user(), null);
    return settings;
  }

  @Override
  EventStoreSettings reopenSettings() {
    return settings;
  }

  @Override
  EventStore.Vendor vendor() {
    return EventStore.Vendor.POSTGRESQL;
  }
}
