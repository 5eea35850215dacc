#!/usr/bin/env bash
# Soak: 20 sessions at 15 fps on the `motion` pipeline for 10 minutes against target/framewire.jar
# on 127.0.0.1, reporting each minute the live heap after a full GC, live threads, open sessions and
# frame counters. Not part of the tests; bounded in time; stops its server on exit.
#   scripts/soak_sessions.sh [MINUTES=10] [SESSIONS=20] [FPS=15] [PIPELINE=motion]
source "$(dirname "$0")/bench/common.sh"
require_jar
MINUTES="${1:-10}"
SESSIONS="${2:-20}"
FPS="${3:-15}"
PIPELINE="${4:-motion}"

PORT=$(free_port)
STREAM_MAX_SESSIONS=$((SESSIONS + 8)) start_framewire "$PORT" "$WORK/framewire.log"
echo "soak: $SESSIONS sessions x $FPS fps on '$PIPELINE' for $MINUTES min, server pid $SERVER_PID, port $PORT"

java -jar "$JAR" bench --url "ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=$PIPELINE" \
  --sessions "$SESSIONS" --fps "$FPS" --warmup 0s --duration "${MINUTES}m" --progress 0 \
  --jpeg-kb 40 >"$WORK/load.txt" 2>&1 &
LOAD_PID=$!

metric() { curl -s "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 == m { printf "%d", $2 }'; }
printf '%-6s %-16s %-12s %-8s %-9s %-10s %-10s %-9s\n' minute heap_after_gc_mb task_holders threads sessions received processed dropped
for minute in $(seq 1 "$MINUTES"); do
  sleep 60
  threads=$(awk '/^Threads:/ { print $2 }' "/proc/$SERVER_PID/status")
  class_histogram "$SERVER_PID"
  printf '%-6s %-16s %-12s %-8s %-9s %-10s %-10s %-9s\n' "$minute" "$(histogram_heap_mb)" "$(histogram_task_holders)" "$threads" \
    "$(metric stream_sessions_active)" "$(metric stream_frames_received_total)" \
    "$(metric stream_frames_processed_total)" "$(metric stream_frames_dropped_total)"
done

wait "$LOAD_PID" || true
echo "--- load tool report"
cat "$WORK/load.txt"
sleep 2
class_histogram "$SERVER_PID"
echo "--- after the load ended: sessions $(metric stream_sessions_active), threads $(awk '/^Threads:/ { print $2 }' "/proc/$SERVER_PID/status"), heap after GC $(histogram_heap_mb) MB, TaskHolders $(histogram_task_holders)"
echo "--- errors by code"
curl -s "http://127.0.0.1:$PORT/metrics" | grep '^stream_errors_total' || echo "(none)"
