-- Sinks (io.framewire.sinks): each sink's definition as JSON (credentials included: the store is the
-- server's own) and its committed position, the id of the last event its target acknowledged.
-- No foreign key to the events: retention may delete events a stopped sink never reached.
CREATE TABLE sinks (
  id          TEXT    NOT NULL PRIMARY KEY,
  definition  TEXT    NOT NULL,
  position    INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
