-- Jobs (io.framewire.jobs): one row per analysis job, its request and where it stands. Results live
-- in DATA_DIR/jobs/<id>/results.jsonl. seq keeps submission order (the queue's order after a restart).
-- Times are epoch milliseconds; started_at and finished_at are NULL until then, frames_total while unknown.
CREATE TABLE jobs (
  id           TEXT    NOT NULL PRIMARY KEY,
  seq          INTEGER  NOT NULL,
  pipeline_id  TEXT    NOT NULL,
  input        TEXT    NOT NULL,
  input_kind   TEXT    NOT NULL,
  stride       INTEGER NOT NULL,
  max_frames   INTEGER  NOT NULL,
  state        TEXT    NOT NULL,
  frames_done  INTEGER  NOT NULL,
  frames_total INTEGER,
  error        TEXT,
  created_at   INTEGER  NOT NULL,
  started_at   INTEGER,
  finished_at  INTEGER
);
