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
#      THREADS=1 (framewire's CPU per thread group in each round: thread_cpu.sh),
#      INFERENCE_* passed to framewire as set (unset: auto), FRAMEWIRE_GC / FRAMEWIRE_JAVA_OPTS (framewire's
#      JVM: bin/framewire's options by default), PROVIDER=cuda (limit and framewire on CUDA;
#      needs the onnxruntime_gpu jar: gpu_inference.sh), FRAMEWIRE_CP / LIMIT_CP (a classpath to run
#      framewire / the limit from instead of the jar), LIMIT_BATCH_DYN (the limit of *_dyn models
#      also at this batch size, e.g. 16 on a GPU).
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
yolov8n_sized_models "$WORK/models"
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
cat >"$WORK/models_json.py" <<'PY'
import json, sys
for m in json.load(sys.stdin)["models"]:
    if sys.argv[1] == "plan":
        batches = " ".join("%s:%sms" % (b["batch"], b["ms_per_frame"]) for b in m["measured_batches"])
        print("  %s: %s batch, max_batch %s, %s run(s) x %s thread(s) (%s); per frame by batch: %s" % (
            m["model"], m["batch_mode"], m["max_batch"], m["concurrent_runs"], m["intra_op_threads"], m["chosen_by"], batches))
    else:
        print("  %s: runs %s, frames %s, mean batch %s, %s ms per frame in runs" % (
            m["model"], m["runs"], m["frames"], m["mean_batch"], m["ms_per_frame"]))
PY
models_json() { # plan|counters: GET /models, one line per model
  curl -s "http://127.0.0.1:$PORT/models" | /usr/bin/python3 "$WORK/models_json.py" "$1"
}
PORT=$(free_port)
JFR_OPTS=()
[[ "${JFR:-0}" == 1 ]] && JFR_OPTS=("-XX:StartFlightRecording=filename=$WORK/framewire.jfr,settings=profile")
export MODELS_DIR="$WORK/models" PIPELINES_DIR="$WORK/pipelines" STREAM_MAX_SESSIONS=256 INFERENCE_PROVIDER="$PROVIDER"
# framewire runs with bin/framewire's JVM options (what the README runs; FRAMEWIRE_GC picks the
# collector) unless FRAMEWIRE_JAVA_OPTS is set ("" for the JVM's defaults).
FRAMEWIRE_JAVA_OPTS="${FRAMEWIRE_JAVA_OPTS-$(launcher_opts "${FRAMEWIRE_GC:-parallel}")}"
echo "framewire JVM options: ${FRAMEWIRE_JAVA_OPTS:-none (the JVM defaults)}"
if [[ -n "${FRAMEWIRE_CP:-}" ]]; then
  HTTP_HOST=127.0.0.1 HTTP_PORT="$PORT" LOG_LEVEL="${LOG_LEVEL:-WARN}" \
    java ${FRAMEWIRE_JAVA_OPTS:-} "${JFR_OPTS[@]}" -cp "$FRAMEWIRE_CP" io.framewire.App >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  SERVER_PIDS+=("$SERVER_PID")
  wait_port "$PORT" 120 || { tail -20 "$WORK/server.log" >&2; exit 1; }
else
  start_framewire "$PORT" "$WORK/server.log" ${FRAMEWIRE_JAVA_OPTS:-} "${JFR_OPTS[@]}"
fi
FW_PID=$SERVER_PID
echo "framewire's plans (GET /models):"
models_json plan

printf '%-12s %5s %9s %7s %12s %7s %9s %10s %10s %9s %7s\n' model round limit_fps layout fw_results/s ratio fw_p50_ms lim_cpu_ms fw_cpu_ms cpu_ratio load1
for model in $MODELS; do
  best=$(limit "$model" --seconds 4 --warmup 2 | tee "$WORK/$model-layouts.txt" | awk '/^best/ {print $2, $3}')
  layout="$(echo "$best" | sed 's/runs=\([0-9]*\) threads=\([0-9]*\)/\1x\2/')"
  sed 's/^/  limit layouts: /' "$WORK/$model-layouts.txt" >&2
  url="ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=$model"
  load --url "$url" --sessions "$SESSIONS" --jpeg "$FRAME" --duration 3s --warmup 2s --progress 0 --json >/dev/null || true
  for round in $(seq "$ROUNDS"); do
    limit "$model" --layouts "$layout" --seconds "$DURATION" --warmup 2 >"$WORK/$model-limit-$round.txt"
    lfps=$(awk '/^best/ {sub("fps=", "", $5); print $5}' "$WORK/$model-limit-$round.txt")
    lcpu=$(awk '/^best/ {sub("cpu_ms_per_frame=", "", $6); print $6}' "$WORK/$model-limit-$round.txt")
    c0=$(cpu_ticks "$FW_PID")
    [[ "${THREADS:-0}" == 1 ]] && "$(dirname "$0")/thread_cpu.sh" snapshot "$FW_PID" "$WORK/$model-$round.before"
    load --url "$url" --sessions "$SESSIONS" --jpeg "$FRAME" --duration "${DURATION}s" --warmup 2s --progress 0 --json >"$WORK/$model-$round.json" || true
    c1=$(cpu_ticks "$FW_PID")
    [[ "${THREADS:-0}" == 1 ]] && "$(dirname "$0")/thread_cpu.sh" snapshot "$FW_PID" "$WORK/$model-$round.after"
    rps=$(json_field "$WORK/$model-$round.json" results_per_s)
    # CPU per frame of the server (all its threads) over the measured window; the warm-up's 2 s of
    # frames are in the ticks too, so count them: results/s over warm-up + window.
    fcpu=$(awk -v t="$((c1 - c0))" -v r="$rps" -v d="$DURATION" -v hz="$CLK_TCK" 'BEGIN {printf "%.1f", (r > 0) ? t * 1000 / hz / (r * (d + 2)) : 0}')
    printf '%-12s %5s %9.2f %7s %12.2f %7s %9s %10s %10s %9s %7s\n' "$model" "$round" "$lfps" "$layout" "$rps" \
      "$(awk -v a="$rps" -v b="$lfps" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')" \
      "$(json_field "$WORK/$model-$round.json" latency_ms.p50)" "$lcpu" "$fcpu" \
      "$(awk -v a="$lcpu" -v b="$fcpu" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')" \
      "$(cut -d' ' -f1 /proc/loadavg)"
  done
  if [[ "${THREADS:-0}" == 1 ]]; then
    for round in $(seq "$ROUNDS"); do
      echo "  framewire's threads, $model round $round (CPU s over warm-up + window; results: $(json_field "$WORK/$model-$round.json" results)):"
      "$(dirname "$0")/thread_cpu.sh" diff "$WORK/$model-$round.before" "$WORK/$model-$round.after" | sed 's/^/    /'
    done
  fi
  if [[ -n "${LIMIT_BATCH_DYN:-}" && "$model" == *_dyn ]]; then
    limit "$model" --layouts "$layout" --batch "$LIMIT_BATCH_DYN" --seconds "$DURATION" --warmup 2 | sed "s/^/  limit at batch $LIMIT_BATCH_DYN: /"
  fi
done
echo "framewire's counters (GET /models):"
models_json counters
if [[ "${JFR:-0}" == 1 ]]; then
  jcmd "$FW_PID" JFR.dump filename="$WORK/framewire.jfr" >/dev/null
  echo "JFR recording: $WORK/framewire.jfr (scripts/bench/jfr_top.sh)"
fi
