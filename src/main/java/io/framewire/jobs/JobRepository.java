package io.framewire.jobs;

import io.framewire.events.EventStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code jobs} table ({@code V3__jobs.sql}) in the event store's database. Plain JDBC, one short
 * statement per call, the same SQL on SQLite and PostgreSQL; every call blocks, so callers run it
 * off the actors' threads.
 */
final class JobRepository {

  private static final String COLUMNS = "id, seq, pipeline_id, input, input_kind, stride, max_frames, state, "
      + "frames_done, frames_total, error, created_at, started_at, finished_at";

  private final DataSource dataSource;

  JobRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Stores a new job, or replaces the row of one with its id (a state change). */
  void save(JobRecord job) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM jobs WHERE id = ?");
          PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (" + COLUMNS
              + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        delete.setString(1, job.id());
        delete.executeUpdate();
        bind(insert, job);
        insert.executeUpdate();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new EventStoreException("could not store job '" + job.id() + "'", e);
    }
  }

  /** Every stored job, in submission order. */
  List<JobRecord> list() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs ORDER BY seq");
        ResultSet rs = ps.executeQuery()) {
      List<JobRecord> jobs = new ArrayList<>();
      while (rs.next()) {
        jobs.add(new JobRecord(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getString(4),
            JobRecord.InputKind.valueOf(rs.getString(5)), rs.getInt(6), rs.getLong(7), JobState.parse(rs.getString(8)),
            rs.getLong(9), nullable(rs, 10, -1), rs.getString(11), rs.getLong(12), nullable(rs, 13, 0),
            nullable(rs, 14, 0)));
      }
      return jobs;
    } catch (SQLException e) {
      throw new EventStoreException("could not read the jobs", e);
    }
  }

  /** @return whether there was such a job */
  boolean delete(String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM jobs WHERE id = ?")) {
      ps.setString(1, id);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new EventStoreException("could not delete job '" + id + "'", e);
    }
  }

  private static void bind(PreparedStatement ps, JobRecord job) throws SQLException {
    ps.setString(1, job.id());
    ps.setLong(2, job.seq());
    ps.setString(3, job.pipelineId());
    ps.setString(4, job.input());
    ps.setString(5, job.kind().name());
    ps.setInt(6, job.stride());
    ps.setLong(7, job.maxFrames());
    ps.setString(8, job.state().json());
    ps.setLong(9, job.framesDone());
    setNullable(ps, 10, job.framesTotal(), -1);
    ps.setString(11, job.error());
    ps.setLong(12, job.createdAt());
    setNullable(ps, 13, job.startedAt(), 0);
    setNullable(ps, 14, job.finishedAt(), 0);
  }

  private static void setNullable(PreparedStatement ps, int index, long value, long none) throws SQLException {
    if (value == none) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, value);
    }
  }

  private static long nullable(ResultSet rs, int index, long none) throws SQLException {
    long value = rs.getLong(index);
    return rs.wasNull() ? none : value;
  }
}
