#!/usr/bin/env bash
# Overload without casualties on a model (docs/benchmarks.md, "Overload on a model"): the YOLOv8n-sized
# batch-1 model (make_models.py) behind a queue of INFERENCE_QUEUE_SIZE=4, first one closed-loop
# session per concurrent run to measure what the model serves (C results/s), then 3 x (queue + concurrent runs)
# sessions, three times what the model holds, each at C / (that / 3) fps: three times what it
# serves, for SECONDS. Expected: zero sessions closed (no errors), every frame answered (result or
# dropped, none unanswered), slow_down sent, p99 of the first fifth ~ p99 of the last.
#   scripts/bench/overload_model.sh [SECONDS=60]
# Env: MODEL (yolov8n_b1), FRAME (a JPEG; default a generated 640x480 testsrc2 frame).
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-60}"
MODEL="${MODEL:-yolov8n_b1}"
QUEUE=4
machine
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$WORK/models"
yolov8n_sized_models "$WORK/models"
FRAME="${FRAME:-$WORK/frame.jpg}"
[[ -f "$FRAME" ]] || ffmpeg -loglevel error -f lavfi -i testsrc2=size=640x480:rate=1 -frames:v 1 -q:v 3 "$FRAME"
write_pipeline "$WORK/pipelines" detect '{"id":"detect","name":"detect","nodes":[{"id":"objects","plugin_id":"onnx","tool_id":"detect","params":{"model":"'"$MODEL"'.onnx"}}],"edges":[],"entry_nodes":["objects"],"output_nodes":["objects"]}'
PORT=$(free_port)
MODELS_DIR="$WORK/models" PIPELINES_DIR="$WORK/pipelines" STREAM_MAX_SESSIONS=256 INFERENCE_QUEUE_SIZE=$QUEUE \
  start_framewire "$PORT" "$WORK/server.log"
URL="ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=detect"
runs=$(curl -s "http://127.0.0.1:$PORT/models" | grep -o '"concurrent_runs":[0-9]*' | cut -d: -f2)
load --url "$URL" --sessions "$runs" --jpeg "$FRAME" --duration 10s --warmup 3s --progress 0 --json >"$WORK/capacity.json"
capacity=$(json_field "$WORK/capacity.json" results_per_s)
sessions=$((3 * (QUEUE + runs)))
fps=$(awk -v c="$capacity" -v s="$sessions" 'BEGIN {printf "%.2f", c / (s / 3)}')
echo "model serves $capacity results/s with $runs closed-loop session(s) ($runs concurrent run(s)); queue $QUEUE"
echo "offering $sessions sessions x $fps fps = $(awk -v s="$sessions" -v f="$fps" 'BEGIN {print s * f}') fps for ${DURATION} s"
load --url "$URL" --sessions "$sessions" --fps "$fps" --jpeg "$FRAME" --duration "${DURATION}s" --warmup 5s \
  --drain-timeout 30s --progress 0 --json >"$WORK/overload.json" || true
for f in sessions_connected frames_sent results dropped unanswered errors slow_down_warnings results_per_s; do
  printf '%-20s %s\n' "$f" "$(json_field "$WORK/overload.json" "$f")"
done
printf '%-20s %s\n' errors_by_code "$(errors_by_code "$WORK/overload.json")"
printf '%-20s %s\n' p50_ms "$(json_field "$WORK/overload.json" latency_ms.p50)"
printf '%-20s %s\n' p99_ms "$(json_field "$WORK/overload.json" latency_ms.p99)"
first=$(json_field "$WORK/overload.json" p99_first_fifth_ms)
last=$(json_field "$WORK/overload.json" p99_last_fifth_ms)
printf '%-20s %s\n' p99_first_fifth_ms "$first" p99_last_fifth_ms "$last"
printf '%-20s %s\n' p99_last/first "$(awk -v a="$last" -v b="$first" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')"
curl -s "http://127.0.0.1:$PORT/metrics" | grep '^inference_busy_frames_total' || true
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
