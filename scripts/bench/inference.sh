#!/usr/bin/env bash
# Model inference with cross-session batching on and off (docs/benchmarks.md, "Model inference").
# Two servers run side by side on the same models: INFERENCE_MAX_BATCH=$MAX_BATCH (batching on;
# default auto, as measured at load) and INFERENCE_MAX_BATCH=1 (off). For each session count the two are measured one after the other, so
# their ratio comes from the same minutes of a shared machine. Per step: results/s, p50/p99, mean
# batch size (from /metrics: inference_batch_size sum/count deltas) and server CPU per result.
#   scripts/bench/inference.sh [SECONDS_PER_STEP=15] [SESSION_COUNTS="1 4 8 16"]
# Env: MODEL (conv_det.onnx | tiny.onnx, default conv_det.onnx), MAX_BATCH (default auto),
#      JPEG_KB (generated frame size, default 21: 320x240), INFERENCE_INTRA_OP_THREADS (default auto).
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-15}"
COUNTS="${2:-1 4 8 16}"
MODEL="${MODEL:-conv_det.onnx}"
MAX_BATCH="${MAX_BATCH:-auto}"
JPEG_KB="${JPEG_KB:-21}"
machine
echo "model $MODEL, max batch on=$MAX_BATCH off=1, intra-op threads ${INFERENCE_INTRA_OP_THREADS:-auto}, jpeg ${JPEG_KB} KB"
case "$MODEL" in
  conv_det.onnx) NODE='{"id":"m","plugin_id":"onnx","tool_id":"detect","params":{"model":"conv_det.onnx"}}' ;;
  *) NODE='{"id":"m","plugin_id":"onnx","tool_id":"classify","params":{"model":"'"$MODEL"'","top_k":1}}' ;;
esac
write_pipeline "$WORK/pipelines" model '{"id":"model","name":"model","nodes":['"$NODE"'],"edges":[],"entry_nodes":["m"],"output_nodes":["m"]}'
export MODELS_DIR="$ROOT/src/test/resources/models" PIPELINES_DIR="$WORK/pipelines" STREAM_MAX_SESSIONS=64

declare -A PORTS PIDS
for mode in on off; do
  PORTS[$mode]=$(free_port)
  batch=$MAX_BATCH; [[ $mode == off ]] && batch=1
  INFERENCE_MAX_BATCH=$batch start_framewire "${PORTS[$mode]}" "$WORK/$mode.log" ${JAVA_OPTS:-}
  PIDS[$mode]=$SERVER_PID
done

for mode in on off; do
  echo "$mode: $(curl -s "http://127.0.0.1:${PORTS[$mode]}/models" | grep -o '"max_batch":[0-9]*\|"concurrent_runs":[0-9]*\|"intra_op_threads":[0-9]*\|"chosen_by":"[a-z]*"' | head -4 | paste -sd' ')"
done

metric() { # PORT NAME: the model's sample value of NAME at /metrics (0 if absent)
  curl -s "http://127.0.0.1:$1/metrics" | awk -v n="$2{model=\"$MODEL\",}" '$1 == n {print $2; f=1} END {if (!f) print 0}'
}

printf '%-4s %8s %10s %8s %8s %10s %10s %12s %7s\n' mode sessions results/s p50_ms p99_ms mean_batch ms/run cpu_us/result errors
for n in $COUNTS; do
  for mode in off on; do
    port=${PORTS[$mode]} pid=${PIDS[$mode]} out="$WORK/$mode-$n.json"
    # Warm-up run (not counted), then the measured run with CPU and batch counters around it.
    load --url "ws://127.0.0.1:$port/ws/video/stream?pipeline_id=model" --sessions "$n" --jpeg-kb "$JPEG_KB" \
      --duration 3s --warmup 1s --progress 0 --json >/dev/null || true
    c0=$(cpu_ticks "$pid") s0=$(metric "$port" inference_batch_size_sum) k0=$(metric "$port" inference_batch_size_count)
    t0=$(metric "$port" inference_seconds_sum)
    load --url "ws://127.0.0.1:$port/ws/video/stream?pipeline_id=model" --sessions "$n" --jpeg-kb "$JPEG_KB" \
      --duration "${DURATION}s" --warmup 0s --progress 0 --json >"$out" || true
    c1=$(cpu_ticks "$pid") s1=$(metric "$port" inference_batch_size_sum) k1=$(metric "$port" inference_batch_size_count)
    t1=$(metric "$port" inference_seconds_sum)
    results=$(awk -v r="$(json_field "$out" results_per_s)" -v d="$DURATION" 'BEGIN {printf "%.0f", r * d}')
    printf '%-4s %8s %10.1f %8s %8s %10.2f %10.3f %12s %7s\n' "$mode" "$n" "$(json_field "$out" results_per_s)" \
      "$(json_field "$out" latency_ms.p50)" "$(json_field "$out" latency_ms.p99)" \
      "$(awk -v a="$s0" -v b="$s1" -v c="$k0" -v d="$k1" 'BEGIN {print (d > c) ? (b - a) / (d - c) : 0}')" \
      "$(awk -v a="$t0" -v b="$t1" -v c="$k0" -v d="$k1" 'BEGIN {print (d > c) ? (b - a) * 1000 / (d - c) : 0}')" \
      "$(awk -v t="$((c1 - c0))" -v r="$results" -v hz="$CLK_TCK" 'BEGIN {printf "%.0f", (r > 0) ? t * 1e6 / hz / r : 0}')" \
      "$(json_field "$out" errors)"
  done
done
