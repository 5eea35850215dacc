package io.framewire.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.EventStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The sinks' table ({@code V2__sinks.sql}): definitions as JSON and each sink's committed position.
 * Plain JDBC, one short statement per call; every call blocks, so callers run it off the actors'
 * threads. The same SQL runs on SQLite and PostgreSQL.
 */
public final class SinkRepository {

  /** A stored sink: its definition and committed position. */
  public record Stored(SinkDefinition definition, long position) {}

  private final DataSource dataSource;
  private final ObjectMapper mapper;

  public SinkRepository(DataSource dataSource, ObjectMapper mapper) {
    this.dataSource = dataSource;
    this.mapper = mapper;
  }

  /**
   * Stores a new sink at {@code position}.
   *
   * @return false (and changes nothing) when a sink with its id exists
   */
  public boolean insert(SinkDefinition definition, long position) {
    String json;
    try {
      json = mapper.writeValueAsString(SinkJson.toJson(definition, false));
    } catch (Exception e) {
      throw new IllegalStateException("a sink definition did not serialize", e);
    }
    long now = System.currentTimeMillis();
    return update("INSERT INTO sinks (id, definition, position, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
        + " ON CONFLICT (id) DO NOTHING", ps -> {
          ps.setString(1, definition.id());
          ps.setString(2, json);
          ps.setLong(3, position);
          ps.setLong(4, now);
          ps.setLong(5, now);
        }) == 1;
  }

  /** Every stored sink, by id. A definition that no longer parses is an error (it was checked when stored). */
  public List<Stored> list() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT definition, position FROM sinks ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      List<Stored> sinks = new ArrayList<>();
      while (rs.next()) {
        sinks.add(new Stored(SinkJson.parse(mapper.readTree(rs.getString(1))), rs.getLong(2)));
      }
      return sinks;
    } catch (SQLException | java.io.IOException e) {
      throw new EventStoreException("could not read the sinks", e);
    }
  }

  /** The committed position of sink {@code id}, empty if there is no such sink. */
  public OptionalLong position(String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT position FROM sinks WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
      }
    } catch (SQLException e) {
      throw new EventStoreException("could not read the position of sink '" + id + "'", e);
    }
  }

  /**
   * Commits sink {@code id}'s position: every event up to {@code position} was acknowledged. Never
   * moves it back (a late commit of an older position changes nothing).
   */
  public void commit(String id, long position) {
    update("UPDATE sinks SET position = ?, updated_at = ? WHERE id = ? AND position < ?", ps -> {
      ps.setLong(1, position);
      ps.setLong(2, System.currentTimeMillis());
      ps.setString(3, id);
      ps.setLong(4, position);
    });
  }

  /** @return whether there was such a sink */
  public boolean delete(String id) {
    return update("DELETE FROM sinks WHERE id = ?", ps -> ps.setString(1, id)) == 1;
  }

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private int update(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new EventStoreException("could not update the sinks (" + sql.split(" ")[0] + ")", e);
    }
  }
}
