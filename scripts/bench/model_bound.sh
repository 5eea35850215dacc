#!/usr/bin/env bash
# Model-bound throughput (docs/benchmarks.md, "Model-bound throughput"): the same YOLOv8n-sized
# ONNX model run by ONNX Runtime Java alone (io.framewire.bench.ModelLimit, its best layout of
# parallel runs x intra-op threads) as the limit, against framewire end to end (JPEG over WebSocket,
# decode, letterbox, model, NMS, JSON) with SESSIONS closed-loop sessions, for a batch-1 export and
# a dynamic-batch one (generated: src/test/models/make_models.py, yolov8n_sized_models). The limit's
# layouts are tried once; then ROUNDS rounds alternate limit and framewire, so each ratio comes from
# the same minute of a shared machine.
#   scripts/bench/model_bound.sh [SECONDS=15] [ROUNDS=3]
# Env: SESSIONS (default 4), FRAME (a JPEG to send; default a generated 1280x720 ffmpeg testsrc2
#      frame), MODELS ("yolov8n_b1 yolov8n_dyn"), JFR=1 (a JFR recording of framewire in $WORK),
#      INFERENCE_* passed to framewire as set (unset: auto), PROVIDER=cuda (limit and framewire on CUDA;
#      needs a jar built with onnxruntime_gpu: see gpu_inference.sh).
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-15}"
ROUNDS="${2:-3}"
SESSIONS="${SESSIONS:-4}"
MODELS="${MODELS:-yolov8n_b1 yolov8n_dyn}"
PROVIDER="${PROVIDER:-cpu}"
machine
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$WORK/models"
(cd "$ROOT" && /usr/bin/python3 -c 'import sys; sys.path.insert(0, "src/test/models"); import make_models; make_models.yolov8n_sized_models(sys.argv[1])' "$WORK/models") >/dev/null
FRAME="${FRAME:-$WORK/frame.jpg}"
if [[ ! -f "$FRAME" ]]; then
  ffmpeg -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=1 -frames:v 1 -q:v 3 "$FRAME"
fi
echo "frame: $FRAME ($(stat -c %s "$FRAME") bytes), sessions $SESSIONS, ${DURATION} s per measurement, provider $PROVIDER"
LIMIT_OPTS=()
[[ "$PROVIDER" == cuda ]] && LIMIT_OPTS=(--cuda)
limit() { # MODEL [ModelLimit options]: the limit's output lines
  local model="$1"
  shift
  java ${LIMIT_JAVA_OPTS:-} -cp "${LIMIT_CP:-$JAR}" io.framewire.bench.ModelLimit "$WORK/models/$model.onnx" "${LIMIT_OPTS[@]}" "$@"
}

for model in $MODELS; do
  write_pipeline "$WORK/pipelines" "$model" '{"id":"'"$model"'","name":"'"$model"'","nodes":[{"id":"objects","plugin_id":"onnx","tool_id":"detect","params":{"model":"'"$model"'.onnx"}}],"edges":[],"entry_nodes":["objects"],"output_nodes":["objects"]}'
done
models_json() { # plan|counters: GET /models, one line per model
  curl -s "http://127.0.0.1:$PORT/models" | /usr/bin/python3 -c '
import json, sys
for m in json.load(sys.stdin)["models"]:
    if sys.argv[1] == "plan":
        batches = " ".join(f"{b[\"batch\"]}:{b[\"ms_per_frame\"]}ms" for b in m["measured_batches"])
        print(f"  {m[\"model\"]}: {m[\"batch_mode\"]} batch, max_batch {m[\"max_batch\"]}, {m[\"concurrent_runs\"]} run(s) x {m[\"intra_op_threads\"]} thread(s) ({m[\"chosen_by\"]}); per frame by batch: {batches}")
    else:
        print(f"  {m[\"model\"]}: runs {m[\"runs\"]}, frames {m[\"frames\"]}, mean batch {m[\"mean_batch\"]}, {m[\"ms_per_frame\"]} ms per frame in runs")
' "$1"
}
PORT=$(free_port)
JFR_OPTS=()
[[ "${JFR:-0}" == 1 ]] && JFR_OPTS=("-XX:StartFlightRecording=filename=$WORK/framewire.jfr,settings=profile")
MODELS_DIR="$WORK/models" PIPELINES_DIR="$WORK/pipelines" STREAM_MAX_SESSIONS=256 INFERENCE_PROVIDER="$PROVIDER" \
  start_framewire "$PORT" "$WORK/server.log" ${FRAMEWIRE_JAVA_OPTS:-} "${JFR_OPTS[@]}"
FW_PID=$SERVER_PID
echo "framewire's plans (GET /models):"
models_json plan

printf '%-12s %5s %12s %14s %12s %7s %8s %10s %9s\n' model round limit_fps limit_layout fw_results/s ratio fw_p50 fw_cpu_ms/f load1
for model in $MODELS; do
  best=$(limit "$model" --seconds 4 --warmup 2 | tee "$WORK/$model-layouts.txt" | awk '/^best/ {print $2, $3}')
  layout="$(echo "$best" | sed 's/runs=\([0-9]*\) threads=\([0-9]*\)/\1x\2/')"
  sed 's/^/  limit layouts: /' "$WORK/$model-layouts.txt" >&2
  url="ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=$model"
  load --url "$url" --sessions "$SESSIONS" --jpeg "$FRAME" --duration 3s --warmup 2s --progress 0 --json >/dev/null || true
  for round in $(seq "$ROUNDS"); do
    lfps=$(limit "$model" --layouts "$layout" --seconds "$DURATION" --warmup 2 | awk '/^best/ {sub("fps=", "", $5); print $5}')
    c0=$(cpu_ticks "$FW_PID")
    load --url "$url" --sessions "$SESSIONS" --jpeg "$FRAME" --duration "${DURATION}s" --warmup 2s --progress 0 --json >"$WORK/$model-$round.json" || true
    c1=$(cpu_ticks "$FW_PID")
    rps=$(json_field "$WORK/$model-$round.json" results_per_s)
    printf '%-12s %5s %12s %14s %12s %7s %8s %10s %9s\n' "$model" "$round" "$lfps" "$layout" "$rps" \
      "$(awk -v a="$rps" -v b="$lfps" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')" \
      "$(json_field "$WORK/$model-$round.json" latency_ms.p50)" \
      "$(awk -v t="$((c1 - c0))" -v r="$rps" -v d="$DURATION" -v hz="$CLK_TCK" 'BEGIN {printf "%.1f", (r > 0) ? t * 1000 / hz / (r * d) : 0}')" \
      "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
echo "framewire's counters (GET /models):"
models_json counters
if [[ "${JFR:-0}" == 1 ]]; then
  jcmd "$FW_PID" JFR.dump filename="$WORK/framewire.jfr" >/dev/null
  echo "JFR recording: $WORK/framewire.jfr (scripts/bench/jfr_top.sh)"
fi
