-- The event store (docs/events.md). Times are epoch milliseconds (UTC).
CREATE TABLE events (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type             TEXT    NOT NULL,
  stream           TEXT    NOT NULL,
  pipeline_id      TEXT    NOT NULL,
  pipeline_version INTEGER NOT NULL,
  node             TEXT,
  time_ms          BIGINT  NOT NULL,
  received_at_ms   BIGINT  NOT NULL,
  label            TEXT,
  line             TEXT,
  zone             TEXT,
  fields           TEXT    NOT NULL,
  snapshot         TEXT
);

CREATE INDEX events_time ON events (time_ms);
CREATE INDEX events_stream_id ON events (stream, id);
CREATE INDEX events_type_id ON events (type, id);
