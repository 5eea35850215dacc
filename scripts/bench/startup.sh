#!/usr/bin/env bash
# Start time: from `java -jar` to the first 200 from /health, over RUNS fresh JVMs (median and range),
# plain and with an application class-data-sharing archive (AppCDS) made by a training run first.
# JAVA_OPTS is passed to every run.
#   scripts/bench/startup.sh [RUNS=5]
source "$(dirname "$0")/common.sh"
require_jar
RUNS="${1:-5}"
machine

# time_to_health LOG [JVM options...]: milliseconds from exec to the first 200 from /health.
time_to_health() {
  local log="$1" port start now
  shift
  port=$(free_port)
  start=$(date +%s%N)
  HTTP_HOST=127.0.0.1 HTTP_PORT="$port" LOG_LEVEL=WARN java "$@" ${JAVA_OPTS:-} -jar "$JAR" >"$log" 2>&1 &
  local pid=$!
  SERVER_PIDS+=("$pid")
  for _ in $(seq 3000); do
    if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/health" 2>/dev/null; then
      now=$(date +%s%N)
      echo $(( (now - start) / 1000000 ))
      stop_server "$pid"
      return 0
    fi
    sleep 0.01
  done
  echo "no /health after 30 s" >&2
  stop_server "$pid"
  return 1
}

summary() { # summary NAME FILE
  sort -n "$2" | awk -v name="$1" '{v[NR]=$1} END {printf "%-8s median %5d ms  range %d-%d ms  (%d runs)\n", name, v[int((NR+1)/2)], v[1], v[NR], NR}'
}

ARCHIVE="$WORK/framewire.jsa"
# Training run: start, answer /health, stop; the JVM writes the classes it loaded at exit.
time_to_health "$WORK/train.log" -XX:ArchiveClassesAtExit="$ARCHIVE" >/dev/null
[[ -f "$ARCHIVE" ]] || { echo "no archive written" >&2; tail -5 "$WORK/train.log" >&2; exit 1; }
echo "AppCDS archive: $(du -h "$ARCHIVE" | cut -f1)"

for i in $(seq "$RUNS"); do
  time_to_health "$WORK/plain.log" >>"$WORK/plain"
  time_to_health "$WORK/cds.log" -XX:SharedArchiveFile="$ARCHIVE" >>"$WORK/cds"
done
summary plain "$WORK/plain"
summary appcds "$WORK/cds"
