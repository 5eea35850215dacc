#!/usr/bin/env bash
# Benchmark 5: parallel branches. Two independent 20 ms branches joined by an echo node should
# take ~20 ms per frame, not 40; the same two sleeps in sequence are shown beside it for contrast.
# One session, closed loop.
#   scripts/bench/branches.sh [SECONDS=20]
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-20}"
machine
write_pipeline "$WORK/pipelines" parallel20 '{"id":"parallel20","name":"Two 20 ms branches","nodes":[{"id":"a","plugin_id":"debug","tool_id":"sleep","params":{"ms":20}},{"id":"b","plugin_id":"debug","tool_id":"sleep","params":{"ms":20}},{"id":"join","plugin_id":"debug","tool_id":"echo","params":{}}],"edges":[{"from_node":"a","to_node":"join"},{"from_node":"b","to_node":"join"}],"entry_nodes":["a","b"],"output_nodes":["join"]}'
write_pipeline "$WORK/pipelines" serial20 '{"id":"serial20","name":"Two 20 ms steps in sequence","nodes":[{"id":"a","plugin_id":"debug","tool_id":"sleep","params":{"ms":20}},{"id":"b","plugin_id":"debug","tool_id":"sleep","params":{"ms":20}}],"edges":[{"from_node":"a","to_node":"b"}],"entry_nodes":["a"],"output_nodes":["b"]}'
PORT=$(free_port)
PIPELINES_DIR="$WORK/pipelines" start_framewire "$PORT" "$WORK/framewire.log" ${JAVA_OPTS:-}
for p in parallel20 serial20; do
  out="$WORK/$p.json"
  load --url "ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=$p" --duration "${DURATION}s" \
    --warmup 3s --progress 0 --json >"$out"
  printf '%-10s results %6s  results/s %6.1f  per-frame p50 %7s ms  p99 %7s ms  errors %s\n' "$p" \
    "$(json_field "$out" results)" "$(json_field "$out" results_per_s)" \
    "$(json_field "$out" latency_ms.p50)" "$(json_field "$out" latency_ms.p99)" "$(json_field "$out" errors)"
done
