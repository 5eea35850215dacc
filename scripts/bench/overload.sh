#!/usr/bin/env bash
# Benchmark 3: latency under overload. A 50 ms pipeline (at most 20 fps per session) offered
# 60 fps by one session for 60 s: p99, and p99 in the first vs last fifth (drift).
#   scripts/bench/overload.sh [SECONDS=60] [FPS=60]
source "$(dirname "$0")/common.sh"
require_jar
# bin/framewire's JVM options (what the README runs) unless JAVA_OPTS is given; JAVA_OPTS= for the JVM's defaults.
JAVA_OPTS="${JAVA_OPTS-$(launcher_opts "${FRAMEWIRE_GC:-parallel}")}"
DURATION="${1:-60}"
FPS="${2:-60}"
machine
write_pipeline "$WORK/pipelines" sleep50 '{"id":"sleep50","name":"Sleep 50 ms","nodes":[{"id":"s","plugin_id":"debug","tool_id":"sleep","params":{"ms":50}}],"edges":[],"entry_nodes":["s"],"output_nodes":["s"]}'
PORT=$(free_port)
PIPELINES_DIR="$WORK/pipelines" start_framewire "$PORT" "$WORK/framewire.log" ${JAVA_OPTS:-}
load --url "ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=sleep50" --fps "$FPS" \
  --duration "${DURATION}s" --warmup 5s --progress 10s | tee "$WORK/report.txt"
