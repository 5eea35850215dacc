#!/usr/bin/env bash
# `framewire run` with a detector against the model-bound limit (issue 24): the YOLOv8n-sized
# models (make_models.py: batch 1 fixed and dynamic) in a one-node pipeline over a 720p H.264 file
# (ffmpeg testsrc2, libx264 veryfast), against ONNX Runtime Java alone on the same model in its best
# layout (io.framewire.bench.ModelLimit, as model_bound.sh). run's frames/s is measured from its
# --progress lines (time-stamped here) between the first that counts SHORT frames and the last, of a
# run of LONG frames: the JVM's start, the model's load and tuning are not in it. ROUNDS rounds
# alternate the limit and run.
#   scripts/bench/run_detect.sh [ROUNDS=3]      env: SHORT (30), LONG (150), MODELS
source "$(dirname "$0")/common.sh"
require_jar
ROUNDS="${1:-3}"
SHORT="${SHORT:-30}"
LONG="${LONG:-150}"
MODELS="${MODELS:-yolov8n_b1 yolov8n_dyn}"
machine
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$WORK/models"
yolov8n_sized_models "$WORK/models"
VIDEO="$WORK/720p.mp4"
ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -t 10 \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p "$VIDEO"
for model in $MODELS; do
  write_pipeline "$WORK/pipelines" "$model" '{"id":"'"$model"'","name":"'"$model"'","nodes":[{"id":"objects","plugin_id":"onnx","tool_id":"detect","params":{"model":"'"$model"'.onnx"}}],"edges":[],"entry_nodes":["objects"],"output_nodes":["objects"]}'
done
export MODELS_DIR="$WORK/models" PIPELINES_DIR="$WORK/pipelines" FRAMEWIRE_CDS_ARCHIVE="$WORK/framewire.jsa"
LAUNCHER="$ROOT/bin/framewire"
"$LAUNCHER" run echo "$VIDEO" --max-frames 1 >/dev/null # natives extracted, run's archive written: not measured
run_fps() { # run_fps MODEL: frames/s of run between SHORT frames and the end of LONG frames
  "$LAUNCHER" run "$1" "$VIDEO" --max-frames "$LONG" --progress >"$WORK/out" \
    2> >(perl -MTime::HiRes=time -ne '$| = 1; printf "%.3f %s", time, $_' >"$WORK/err") ||
    { echo "run $1 failed: $(tail -3 "$WORK/err")" >&2; exit 1; }
  sleep 0.5 # the time-stamping reader's last line
  [[ "$(wc -l <"$WORK/out")" == "$LONG" ]] || { echo "run $1: expected $LONG lines" >&2; exit 1; }
  awk -v short="$SHORT" '$3 == "frames," { if (!t0 && $2 >= short) { t0 = $1; f0 = $2 } t1 = $1; f1 = $2 }
    END { printf "%.2f", (t1 > t0) ? (f1 - f0) / (t1 - t0) : 0 }' "$WORK/err"
}
printf '%-12s %5s %9s %7s %10s %8s %7s\n' model round limit_fps layout run_fps ratio load1
for model in $MODELS; do
  best=$(java -cp "$JAR" io.framewire.bench.ModelLimit "$WORK/models/$model.onnx" --seconds 4 --warmup 2 | awk '/^best/ {print $2, $3}')
  layout="$(echo "$best" | sed 's/runs=\([0-9]*\) threads=\([0-9]*\)/\1x\2/')"
  for round in $(seq "$ROUNDS"); do
    lfps=$(java -cp "$JAR" io.framewire.bench.ModelLimit "$WORK/models/$model.onnx" --layouts "$layout" --seconds 10 --warmup 2 |
      awk '/^best/ {sub("fps=", "", $5); print $5}')
    rfps=$(run_fps "$model")
    printf '%-12s %5s %9.2f %7s %10s %8s %7s\n' "$model" "$round" "$lfps" "$layout" "$rfps" \
      "$(awk -v a="$rfps" -v b="$lfps" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done
