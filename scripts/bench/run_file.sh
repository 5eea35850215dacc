#!/usr/bin/env bash
# `framewire run` on a 60 s 720p H.264 file (1800 frames, 30 fps; made here by Debian's ffmpeg from its
# testsrc2 pattern, libx264 veryfast) against references measured in the same round, JVM start
# included: whole commands, CPU = user+sys and wall from /usr/bin/time. Per round, in turn:
#   ffmpeg-rgb24    ffmpeg -i f.mp4 -pix_fmt rgb24 -f rawvideo /dev/null (decode → RGB24, the CPU reference)
#   run-echo        bin/framewire run echo f.mp4 (the launcher: its JVM options and run's CDS archive)
#   run-echo-jar    java -jar framewire.jar run echo f.mp4 (no launcher: JVM defaults, no archive)
#   python          scripts/bench/python_run_on_file.py: the Python original's run_on_file work (OpenCV
#                   decode + one JPEG encode per frame, with Debian's python3-opencv where installed;
#                   emulated with ffmpeg + numpy without cv2)
#   run-motion      bin/framewire run motion f.mp4
#   run-detect      bin/framewire run over the first DETECT_FRAMES frames with onnx/detect on
#                   src/test/resources/models/$MODEL (frames/s; the model's input is 320x320)
# Ratios per round: run-echo CPU / ffmpeg-rgb24 CPU (target ≤ 1.3) and run-echo wall / python wall
# (target ≤ 0.5). The load average before each round is printed: the machine may be shared.
#   scripts/bench/run_file.sh [ROUNDS=3]      env: MODEL (conv_det.onnx), DETECT_FRAMES (600)
source "$(dirname "$0")/common.sh"
require_jar
ROUNDS="${1:-3}"
MODEL="${MODEL:-conv_det.onnx}"
DETECT_FRAMES="${DETECT_FRAMES:-600}"
machine
VIDEO="$WORK/720p60s.mp4"
ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -t 60 \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p "$VIDEO"
echo "video: $(du -h "$VIDEO" | cut -f1), $(ffprobe -v error -count_frames -select_streams v:0 \
  -show_entries stream=nb_read_frames,width,height -of csv=p=0 "$VIDEO") (width,height,frames)"
# The Python original with real OpenCV where a python3 has it (Debian: apt-get install python3-opencv).
PYTHON=python3
for candidate in /usr/bin/python3 python3; do
  if "$candidate" -c 'import cv2, numpy' 2>/dev/null; then PYTHON="$candidate"; break; fi
done
"$PYTHON" -c 'import cv2' 2>/dev/null && echo "python: $("$PYTHON" --version), OpenCV $("$PYTHON" -c 'import cv2; print(cv2.__version__)')" \
  || echo "python: no cv2 here (apt-get install python3-opencv): run_on_file emulated with ffmpeg (decode → BGR24, numpy) + ffmpeg mjpeg per frame"

write_pipeline "$WORK/pipelines" detect '{"id":"detect","name":"detect","nodes":[{"id":"d","plugin_id":"onnx","tool_id":"detect","params":{"model":"'"$MODEL"'"}}],"edges":[],"entry_nodes":["d"],"output_nodes":["d"]}'
export MODELS_DIR="$ROOT/src/test/resources/models"
# The launcher's archive for run lives beside the jar: a private copy keeps the run from touching it.
export FRAMEWIRE_CDS_ARCHIVE="$WORK/framewire.jsa"
LAUNCHER="$ROOT/bin/framewire"

# timed NAME LINES CMD...: runs CMD, checks it printed LINES result lines, records wall and CPU for NAME.
declare -A WALL CPU
timed() {
  local name="$1" frames="$2"
  shift 2
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/stderr" || {
    echo "$name failed: $(tail -3 "$WORK/stderr")" >&2
    exit 1
  }
  local lines
  lines=$(wc -l <"$WORK/out")
  [[ "$lines" == "$frames" ]] || { echo "$name: expected $frames result lines, got $lines" >&2; exit 1; }
  read -r wall user sys <"$WORK/time"
  WALL[$name]=$wall
  CPU[$name]=$(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u + s}')
  [[ "$frames" == 0 ]] && frames=1800 # ffmpeg writes frames, not lines
  printf '%-14s %7s %7s %9.0f\n' "$name" "$wall" "${CPU[$name]}" "$(awk -v f="$frames" -v w="$wall" 'BEGIN{print f/w}')"
}

# Natives extracted once (~/.javacpp/cache), and the launcher's run archive written: not measured.
"$LAUNCHER" run echo "$VIDEO" --max-frames 30 >/dev/null
"$LAUNCHER" run echo "$VIDEO" --max-frames 1 >/dev/null
ls "$WORK"/framewire-run.jsa >/dev/null

for round in $(seq "$ROUNDS"); do
  echo "--- round $round, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-14s %7s %7s %9s\n' what wall_s cpu_s frames/s
  timed ffmpeg-rgb24 0 ffmpeg -y -hide_banner -nostdin -loglevel error -i "$VIDEO" -pix_fmt rgb24 -f rawvideo /dev/null
  timed run-echo 1800 "$LAUNCHER" run echo "$VIDEO"
  timed run-echo-jar 1800 java -jar "$JAR" run echo "$VIDEO"
  timed python 1800 "$PYTHON" "$ROOT/scripts/bench/python_run_on_file.py" "$VIDEO"
  timed run-motion 1800 "$LAUNCHER" run motion "$VIDEO"
  PIPELINES_DIR="$WORK/pipelines" timed run-detect "$DETECT_FRAMES" "$LAUNCHER" run detect "$VIDEO" --max-frames "$DETECT_FRAMES"
  awk -v e="${CPU[run-echo]}" -v j="${CPU[run-echo-jar]}" -v f="${CPU[ffmpeg-rgb24]}" \
      -v ew="${WALL[run-echo]}" -v pw="${WALL[python]}" -v pc="${CPU[python]}" 'BEGIN {
    printf "ratios: run-echo CPU / ffmpeg-rgb24 %.2f (java -jar: %.2f); run-echo wall / python wall %.2f (CPU %.2f)\n",
      e / f, j / f, ew / pw, e / pc }'
done
