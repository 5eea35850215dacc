-- Jobs (io.framewire.jobs): one row per analysis job, its request and where it stands. Results live
-- in DATA_DIR/jobs/<id>/results.jsonl. seq keeps submission order (the queue's order after a restart).
-- Times are epoch milliseconds; started_at and finished_at are NULL until then, frames_total while unknown.
CREATE TABLE jobs (
  id           TEXT   NOT NULL PRIMARY KEY,
  seq          BIGINT NOT NULL,
  pipeline_id  TEXT   NOT NULL,
  input        TEXT   NOT NULL,
  input_kind   TEXT   NOT NULL,
  stride       INTEGER NOT NULL,
  max_frames   BIGINT NOT NULL,
  state        TEXT   NOT NULL,
  frames_done  BIGINT NOT NULL,
  frames_total BIGINT,
  error        TEXT,
  created_at   BIGINT NOT NULL,
  started_at   BIGINT,
  finished_at  BIGINT
);
