package io.framewire.eventstore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.framewire.events.EventLog;
import io.framewire.events.EventStoreException;
import io.framewire.events.FrameEvents;
import io.framewire.events.StoredEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event store: one table of events in SQLite ({@code DATA_DIR/events.db}, WAL) or PostgreSQL
 * ({@code EVENTS_DB_URL}), its schema brought up to date by Flyway's migrations when it opens
 * ({@code classpath:db/migration/{vendor}}), reached through a bounded HikariCP pool. Every call
 * blocks on JDBC: call it from a thread that may block (the writer's, the blocking dispatcher).
 *
 * <p>Ids: unique and increasing in commit order. SQLite has one writer at a time; on PostgreSQL each
 * write transaction locks the table against other writers (readers are not blocked), so an id is
 * never committed after a greater one, also with several framewire nodes on one database. A reader
 * going forward from an id ({@link #readAfter}, a sink) therefore never skips an event.
 */
public final class EventStore implements EventLog, AutoCloseable {

  /** The SQLite database's file name in {@code DATA_DIR}. */
  public static final String SQLITE_FILE = "events.db";

  private static final Logger log = LoggerFactory.getLogger(EventStore.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};
  /** Event keys kept in columns of their own; the rest goes to {@code fields} as JSON text. */
  private static final List<String> COLUMN_KEYS =
      List.of("type", "node", "time", "label", "line", "zone", Snapshots.KEY);
  private static final String COLUMNS =
      "id, type, stream, pipeline_id, pipeline_version, node, time_ms, received_at_ms, label, line, zone, fields, snapshot";
  private static final String INSERT = "INSERT INTO events (type, stream, pipeline_id, pipeline_version, node, "
      + "time_ms, received_at_ms, label, line, zone, fields, snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** The database behind the store. */
  public enum Vendor {
    SQLITE("sqlite"), POSTGRESQL("postgresql");

    /** Flyway's location of this vendor's migrations is {@code classpath:db/migration/<folder>}. */
    public final String folder;

    Vendor(String folder) {
      this.folder = folder;
    }
  }

  private final HikariDataSource pool;
  private final Vendor vendor;
  private final String where;
  /** SQLite's database file; null on PostgreSQL. */
  private final Path sqliteFile;
  /** Told after {@link #append} made a new database because the file was deleted (e.g. the sinks). */
  private final List<Runnable> recreatedListeners = new CopyOnWriteArrayList<>();

  private EventStore(HikariDataSource pool, Vendor vendor, String where, Path sqliteFile) {
    this.pool = pool;
    this.vendor = vendor;
    this.where = where;
    this.sqliteFile = sqliteFile;
  }

  /** Runs {@code listener} after the store made a new SQLite database in place of a deleted one. */
  public void onRecreated(Runnable listener) {
    recreatedListeners.add(listener);
  }

  /**
   * Opens the store of {@code settings} and applies the migrations it lacks (an empty database gets
   * the whole schema).
   *
   * @throws EventStoreException if the database cannot be reached or migrated
   */
  public static EventStore open(EventStoreSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("framewire-events");
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(1);
    // A query waits this long for a connection before it fails (a 503 for the API, a retry for the writer).
    config.setConnectionTimeout(5_000);
    Vendor vendor;
    String where;
    if (settings.dbUrl().isPresent()) {
      vendor = Vendor.POSTGRESQL;
      config.setJdbcUrl(settings.dbUrl().get());
      settings.dbUser().ifPresent(config::setUsername);
      settings.dbPassword().ifPresent(config::setPassword);
      where = redact(settings.dbUrl().get());
    } else {
      vendor = Vendor.SQLITE;
      Path file = settings.dataDir().resolve(SQLITE_FILE).toAbsolutePath();
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new EventStoreException("cannot create DATA_DIR " + file.getParent() + ": " + e.getMessage(), e);
      }
      config.setJdbcUrl("jdbc:sqlite:" + file);
      // WAL: readers never wait for the writer. synchronous=NORMAL: a committed transaction survives the
      // process being killed (the WAL is in the OS's cache); a power cut may lose the last ones.
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "NORMAL");
      config.addDataSourceProperty("busy_timeout", "5000");
      where = file.toString();
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new EventStoreException("cannot open the event store at " + where + ": " + rootMessage(e), e);
    }
    try {
      migrate(pool, vendor);
    } catch (RuntimeException e) {
      pool.close();
      throw new EventStoreException("cannot migrate the event store at " + where + ": " + rootMessage(e), e);
    }
    log.info("event store: {} at {}", vendor.folder, where);
    return new EventStore(pool, vendor, where, vendor == Vendor.SQLITE ? Path.of(where) : null);
  }

  private static void migrate(DataSource source, Vendor vendor) {
    Flyway.configure()
        .dataSource(source)
        .locations("classpath:db/migration/" + vendor.folder)
        .load()
        .migrate();
  }

  public Vendor vendor() {
    return vendor;
  }

  /** The database file or URL (without a password), for logs and health. */
  public String where() {
    return where;
  }

  /**
   * Writes the events of {@code frames} in one transaction, in order: all of them or, if anything
   * fails, none.
   *
   * @param receivedAtMillis the {@code received_at} of every event of the batch
   * @return how many events were written
   * @throws EventStoreException if the transaction failed (it was rolled back)
   */
  public int append(List<FrameEvents> frames, long receivedAtMillis) {
    if (sqliteFile != null && !Files.exists(sqliteFile)) {
      recreate();
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (vendor == Vendor.POSTGRESQL) {
          // One writer at a time across nodes: ids commit in increasing order (readers go on).
          try (Statement lock = c.createStatement()) {
            lock.execute("LOCK TABLE events IN EXCLUSIVE MODE");
          }
        }
        int written = 0;
        try (PreparedStatement insert = c.prepareStatement(INSERT)) {
          for (FrameEvents frame : frames) {
            for (Map<String, Object> event : frame.events()) {
              bind(insert, frame, event, receivedAtMillis);
              insert.addBatch();
              written++;
            }
          }
          insert.executeBatch();
        }
        c.commit();
        return written;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(rollback); // SQLite ends the transaction itself on a full disk: keep the reason
        }
        // Never reuse it: after SQLite rolled a transaction back by itself (a full disk) its driver
        // still believes one is open, and the next batch's rows would be committed one by one.
        pool.evictConnection(c);
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      throw new EventStoreException("writing " + frames.size() + " frames' events failed: " + rootMessage(e), e);
    }
  }

  /**
   * The SQLite file (or {@code DATA_DIR}) was deleted while the server ran: the open connections
   * would go on writing into the deleted file, lost at the next restart. So a new database is made
   * where it was, its ids going on after the deleted one's (readers holding a position, sinks and
   * tails, skip nothing), and the listeners are told (the sinks store their definitions again).
   * What the deleted database held is gone.
   */
  private synchronized void recreate() {
    if (Files.exists(sqliteFile)) {
      return; // made meanwhile
    }
    long last;
    try {
      last = latestId(); // idle connections still read the deleted file
    } catch (RuntimeException e) {
      last = 0;
    }
    try {
      Files.createDirectories(sqliteFile.getParent());
      pool.getHikariPoolMXBean().softEvictConnections(); // new connections open the new file
      migrate(pool, vendor);
      if (last > 0) {
        try (Connection c = pool.getConnection(); Statement next = c.createStatement()) {
          next.executeUpdate("INSERT INTO sqlite_sequence (name, seq) VALUES ('events', " + last + ")");
        }
      }
    } catch (IOException | SQLException | RuntimeException e) {
      throw new EventStoreException("the event store's file " + sqliteFile + " was deleted and cannot be made again: "
          + rootMessage(e), e);
    }
    log.warn("event store: {} was deleted while running; a new, empty database was made there (ids go on after {})",
        sqliteFile, last);
    for (Runnable listener : recreatedListeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        log.warn("event store: a listener of the new database failed: {}", e.toString());
      }
    }
  }

  private static void bind(PreparedStatement insert, FrameEvents frame, Map<String, Object> event, long receivedAt)
      throws SQLException {
    Map<String, Object> fields = new LinkedHashMap<>(event);
    COLUMN_KEYS.forEach(fields::remove);
    insert.setString(1, Optional.ofNullable(text(event.get("type"))).orElse("unknown"));
    insert.setString(2, frame.stream());
    insert.setString(3, frame.pipelineId());
    insert.setInt(4, frame.pipelineVersion());
    insert.setString(5, text(event.get("node")));
    insert.setLong(6, frame.frameTimeMillis());
    insert.setLong(7, receivedAt);
    insert.setString(8, text(event.get("label")));
    insert.setString(9, text(event.get("line")));
    insert.setString(10, text(event.get("zone")));
    // Named by Snapshots, which removes any "snapshot" a tool put in an event.
    insert.setString(12, text(event.get(Snapshots.KEY)));
    try {
      insert.setString(11, JSON.writeValueAsString(fields));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("an event of node " + event.get("node") + " is not JSON: " + e.getMessage(), e);
    }
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  /** One event by id. */
  public Optional<StoredEvent> get(long id) {
    List<StoredEvent> found = select("SELECT " + COLUMNS + " FROM events WHERE id = ?", List.of(id));
    return found.stream().findFirst();
  }

  /** A page of the events {@code query} selects, in its order, with the next page's cursor. */
  public EventPage query(EventQuery query) {
    Sql sql = new Sql("SELECT " + COLUMNS + " FROM events");
    filter(sql, query);
    query.after().ifPresent(after -> sql.and(query.ascending() ? "id > ?" : "id < ?", after));
    sql.text.append(" ORDER BY id ").append(query.ascending() ? "ASC" : "DESC").append(" LIMIT ?");
    sql.params.add(query.limit() + 1); // one more: whether a next page exists
    List<StoredEvent> rows = select(sql.text.toString(), sql.params);
    if (rows.size() <= query.limit()) {
      return new EventPage(rows, OptionalLong.empty());
    }
    List<StoredEvent> page = rows.subList(0, query.limit());
    return new EventPage(page, OptionalLong.of(page.get(page.size() - 1).id()));
  }

  /** The aggregate {@code counts} asks for, computed by the database (GROUP BY). */
  public List<EventCounts.Row> counts(EventCounts counts) {
    List<String> keys = new ArrayList<>();
    // The bucket is a validated long, written into the SQL as a literal: the same expression must
    // appear in SELECT and GROUP BY, which two bind parameters would not be for PostgreSQL.
    counts.bucketMillis().ifPresent(b -> keys.add("(time_ms / " + b + ") * " + b));
    keys.addAll(counts.groupBy()); // each checked against EventCounts.GROUPABLE
    Sql sql = new Sql("SELECT " + (keys.isEmpty() ? "" : String.join(", ", keys) + ", ") + "COUNT(*) FROM events");
    filter(sql, counts.filter());
    if (!keys.isEmpty()) {
      String byKeys = String.join(", ", keys);
      sql.text.append(" GROUP BY ").append(byKeys).append(" ORDER BY ").append(byKeys);
    }
    try (Connection c = pool.getConnection(); PreparedStatement statement = sql.prepare(c);
        ResultSet rs = statement.executeQuery()) {
      List<EventCounts.Row> rows = new ArrayList<>();
      while (rs.next()) {
        int column = 1;
        OptionalLong bucket = OptionalLong.empty();
        if (counts.bucketMillis().isPresent()) {
          bucket = OptionalLong.of(rs.getLong(column++));
        }
        Map<String, String> group = new LinkedHashMap<>();
        for (String name : counts.groupBy()) {
          group.put(name, rs.getString(column++));
        }
        rows.add(new EventCounts.Row(bucket, group, rs.getLong(column)));
      }
      return rows;
    } catch (SQLException e) {
      throw new EventStoreException("counting events failed: " + rootMessage(e), e);
    }
  }

  @Override
  public List<StoredEvent> readAfter(long afterId, int limit) {
    return select("SELECT " + COLUMNS + " FROM events WHERE id > ? ORDER BY id ASC LIMIT ?", List.of(afterId, limit));
  }

  @Override
  public long latestId() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(id), 0) FROM events")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new EventStoreException("reading the latest event id failed: " + rootMessage(e), e);
    }
  }

  /**
   * Deletes the events whose frame time is before {@code cutoffMillis}, at most {@code chunk} per
   * transaction (a long delete would hold the writer back).
   *
   * @return how many were deleted
   */
  public long deleteBefore(long cutoffMillis, int chunk) {
    long deleted = 0;
    try (Connection c = pool.getConnection();
        PreparedStatement delete = c.prepareStatement(
            "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE time_ms < ? ORDER BY id LIMIT ?)")) {
      while (true) {
        delete.setLong(1, cutoffMillis);
        delete.setInt(2, chunk);
        int n = delete.executeUpdate();
        deleted += n;
        if (n < chunk) {
          return deleted;
        }
      }
    } catch (SQLException e) {
      throw new EventStoreException("deleting events before " + cutoffMillis + " failed: " + rootMessage(e), e);
    }
  }

  /**
   * Sets {@code snapshot} to null on the events naming one of {@code names} (their files were deleted).
   *
   * @return how many events were changed
   */
  public int clearSnapshots(List<String> names) {
    int changed = 0;
    // A name starts with its event's time_ms (Snapshots): the time index finds the row.
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement update =
          c.prepareStatement("UPDATE events SET snapshot = NULL WHERE time_ms = ? AND snapshot = ?")) {
        for (String name : names) {
          update.setLong(1, Snapshots.timeOf(name));
          update.setString(2, name);
          changed += update.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      return changed;
    } catch (SQLException | RuntimeException e) {
      throw new EventStoreException("clearing " + names.size() + " snapshots failed: " + rootMessage(e), e);
    }
  }

  /** The pool's data source (the sinks keep their positions in the same database). */
  public DataSource dataSource() {
    return pool;
  }

  /** Closes the pool. */
  @Override
  public void close() {
    pool.close();
  }

  private static void filter(Sql sql, EventQuery query) {
    sql.in("stream", query.streams());
    sql.in("type", query.types());
    sql.in("label", query.labels());
    sql.in("line", query.lines());
    sql.in("zone", query.zones());
    query.sinceMillis().ifPresent(since -> sql.and("time_ms >= ?", since));
    query.untilMillis().ifPresent(until -> sql.and("time_ms < ?", until));
  }

  private List<StoredEvent> select(String text, List<?> params) {
    try (Connection c = pool.getConnection(); PreparedStatement statement = Sql.prepare(c, text, params);
        ResultSet rs = statement.executeQuery()) {
      List<StoredEvent> events = new ArrayList<>();
      while (rs.next()) {
        events.add(row(rs));
      }
      return events;
    } catch (SQLException e) {
      throw new EventStoreException("reading events failed: " + rootMessage(e), e);
    }
  }

  private static StoredEvent row(ResultSet rs) throws SQLException {
    Map<String, Object> fields;
    try {
      fields = JSON.readValue(rs.getString("fields"), MAP);
    } catch (JsonProcessingException e) {
      throw new SQLException("event " + rs.getLong("id") + " has fields that are not JSON", e);
    }
    // label, line and zone are columns (for filters and counts) and fields of the event alike.
    for (String key : List.of("label", "line", "zone")) {
      String value = rs.getString(key);
      if (value != null) {
        fields.put(key, value);
      }
    }
    return new StoredEvent(
        rs.getLong("id"),
        rs.getString("type"),
        rs.getString("stream"),
        rs.getString("pipeline_id"),
        rs.getInt("pipeline_version"),
        rs.getString("node"),
        rs.getLong("time_ms"),
        rs.getLong("received_at_ms"),
        fields,
        rs.getString("snapshot"));
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  /** A WHERE clause built from fixed column names and bound values. */
  private static final class Sql {
    final StringBuilder text;
    final List<Object> params = new ArrayList<>();
    boolean hasWhere;

    Sql(String select) {
      text = new StringBuilder(select);
    }

    void and(String condition, Object... values) {
      text.append(hasWhere ? " AND " : " WHERE ").append(condition);
      hasWhere = true;
      params.addAll(List.of(values));
    }

    void in(String column, List<String> values) {
      if (!values.isEmpty()) {
        and(column + " IN (" + String.join(", ", values.stream().map(v -> "?").toList()) + ")", values.toArray());
      }
    }

    PreparedStatement prepare(Connection c) throws SQLException {
      return prepare(c, text.toString(), params);
    }

    static PreparedStatement prepare(Connection c, String text, List<?> params) throws SQLException {
      PreparedStatement statement = c.prepareStatement(text);
      for (int i = 0; i < params.size(); i++) {
        statement.setObject(i + 1, params.get(i));
      }
      return statement;
    }
  }
}
