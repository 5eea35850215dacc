#!/usr/bin/env bash
# Benchmark 4: scaling with sessions. 1, 10, 50, 200 sessions at 15 fps each, 5 ms pipeline:
# results/s, p99, errors, and server heap used after a full GC (jcmd GC.run, then /metrics) at the
# end of each step. STREAM_MAX_SESSIONS is raised to 256 (framewire's default cap is 32).
# TOOL_THREADS passes through; JAVA_OPTS too (e.g. JAVA_OPTS=-XX:+UseParallelGC: any collector).
#   scripts/bench/sessions.sh [SECONDS_PER_STEP=20] [SESSION_COUNTS="1 10 50 200"]
source "$(dirname "$0")/common.sh"
require_jar
# bin/framewire's JVM options (what the README runs) unless JAVA_OPTS is given; JAVA_OPTS= for the JVM's defaults.
JAVA_OPTS="${JAVA_OPTS-$(launcher_opts "${FRAMEWIRE_GC:-parallel}")}"
DURATION="${1:-20}"
COUNTS="${2:-1 10 50 200}"
machine
write_pipeline "$WORK/pipelines" sleep5 '{"id":"sleep5","name":"Sleep 5 ms","nodes":[{"id":"s","plugin_id":"debug","tool_id":"sleep","params":{"ms":5}}],"edges":[],"entry_nodes":["s"],"output_nodes":["s"]}'
PORT=$(free_port)
STREAM_MAX_SESSIONS="${STREAM_MAX_SESSIONS:-256}" PIPELINES_DIR="$WORK/pipelines" \
  start_framewire "$PORT" "$WORK/framewire.log" ${JAVA_OPTS:-}
echo "heap after GC, idle: $(heap_after_gc "$SERVER_PID" "$PORT")"
printf '%8s %10s %10s %9s %9s %9s %8s %8s %s\n' sessions sent results/s p50_ms p99_ms max_ms dropped errors heap_after_gc
for n in $COUNTS; do
  out="$WORK/s$n.json"
  load --url "ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=sleep5" --sessions "$n" --fps 15 \
    --duration "${DURATION}s" --warmup 5s --progress 0 --json >"$out" || true
  printf '%8s %10s %10.1f %9s %9s %9s %8s %8s %s %s\n' "$n" "$(json_field "$out" frames_sent)" \
    "$(json_field "$out" results_per_s)" "$(json_field "$out" latency_ms.p50)" \
    "$(json_field "$out" latency_ms.p99)" "$(json_field "$out" latency_ms.max)" \
    "$(json_field "$out" dropped)" "$(json_field "$out" errors)" "$(heap_after_gc "$SERVER_PID" "$PORT")" \
    "$(errors_by_code "$out")"
done
