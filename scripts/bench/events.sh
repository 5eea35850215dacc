#!/usr/bin/env bash
# Benchmark: events written per second into the event store through the real EventWriter (bounded
# queue → groupedWeightedWithin batches of ≤ 500 events or 100 ms → one transaction per batch), kept
# flat out for SECONDS after a 3 s warm-up, into SQLite (a fresh DATA_DIR, WAL, synchronous=NORMAL)
# and into PostgreSQL (Debian's postgresql package: initdb in a temp dir, a free port, default
# durability: fsync on, synchronous_commit on). REPEAT runs of each, each into a fresh database.
#   scripts/bench/events.sh [SECONDS=10] [REPEAT=3] [EVENTS_PER_FRAME=1]
source "$(dirname "$0")/common.sh"
require_jar
SECS="${1:-10}"
REPEAT="${2:-3}"
PER_FRAME="${3:-1}"
machine
bench() {
  LOG_LEVEL=WARN timeout 300 java -cp "$JAR" io.framewire.bench.EventWriteBench "$@" 2>>"$WORK/bench.log" | grep "^{\"store\""
}

for i in $(seq "$REPEAT"); do
  bench sqlite "$WORK/sqlite$i" "$SECS" "$PER_FRAME"
done

PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [[ -z "$PG_BIN" || ! -x "$PG_BIN/initdb" ]]; then
  echo "PostgreSQL is not installed (apt-get install postgresql): skipping it" >&2
  exit 0
fi
as_pg=()
if [[ "$(id -u)" == 0 ]]; then as_pg=(runuser -u postgres --); fi # initdb refuses root
PG="$WORK/pg"
mkdir -p "$PG"
if [[ "$(id -u)" == 0 ]]; then chown postgres "$PG"; chmod 755 "$WORK"; fi
PG_PORT=$(free_port)
"${as_pg[@]}" "$PG_BIN/initdb" -D "$PG/data" -U framewire --auth=trust -E UTF8 >"$WORK/initdb.log" 2>&1
"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG/data" -w -t 60 -l "$PG/log" \
  -o "-p $PG_PORT -k $PG -c listen_addresses=127.0.0.1" start >/dev/null
trap '"${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG/data" -m immediate -w stop >/dev/null 2>&1 || true; cleanup' EXIT
echo "postgresql: $("$PG_BIN/postgres" --version)"
for i in $(seq "$REPEAT"); do
  "${as_pg[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U framewire "bench$i"
  bench postgresql "jdbc:postgresql://127.0.0.1:$PG_PORT/bench$i" framewire "$SECS" "$PER_FRAME"
done
