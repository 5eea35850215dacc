#!/usr/bin/env bash
# Live cameras per CPU core: how many 720p H.264 cameras at 15 fps one framewire process serves, per
# core it uses, with the built-in `motion` pipeline and with a detector (`onnx/detect` on
# conv_det.onnx from src/test/models/make_models.py: three strided convs at 320x320, seeded random
# weights, real work). Each camera is Debian's ffmpeg serving a 720p H.264 file as a live MPEG-TS
# stream (-re -stream_loop -1, stream copy, -listen 1) on 127.0.0.1, added with POST /sources.
# Cameras are added in steps (COUNTS); each step is measured for DURATION s after WARMUP s: the
# server's CPU (user+sys, all threads, /proc) and each camera's processed frames (GET /sources).
# Steps stop once a camera falls below MIN_RATE (14.5) results/s: it no longer keeps up (the machine
# is saturated, by this server or by others: the load average is printed with each step).
# Reference in the same run: ffmpeg alone decoding one such camera to RGB24 (what framewire hands the
# tools) for DURATION s, its CPU from /usr/bin/time.
#   cameras per core = results/s of all cameras / 15 / cores the server used (the whole JVM)
#   scripts/bench/camera_capacity.sh        (COUNTS="1 2 4 8" PIPELINES="motion detect" DURATION=20 WARMUP=10)
source "$(dirname "$0")/common.sh"
require_jar
COUNTS="${COUNTS:-1 2 4 8}" PIPELINES="${PIPELINES:-motion detect}" DURATION="${DURATION:-20}" WARMUP="${WARMUP:-10}"
MIN_RATE="${MIN_RATE:-14.5}"
machine
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

VIDEO="$WORK/720p15.mp4"
ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=15 -t 20 \
  -c:v libx264 -preset veryfast -g 30 -pix_fmt yuv420p "$VIDEO"
echo "video: $(ffprobe -v error -select_streams v:0 -show_entries stream=codec_name,width,height,r_frame_rate \
  -of csv=p=0 "$VIDEO") (codec,width,height,fps), $(du -h "$VIDEO" | cut -f1) for 20 s"

CAMERA_PIDS=()
# camera PORT: a live stream of the file on http://127.0.0.1:PORT/ (one client, like a simple camera).
camera() {
  ffmpeg -hide_banner -nostdin -loglevel error -re -stream_loop -1 -i "$VIDEO" -c copy -f mpegts \
    -listen 1 "http://127.0.0.1:$1/" 2>>"$WORK/cameras.log" &
  CAMERA_PIDS+=("$!")
  SERVER_PIDS+=("$!")
  # A TCP probe would use up the one client: wait until ffmpeg's socket listens (/proc/net/tcp).
  local hex; hex=$(printf '%04X' "$1")
  for _ in $(seq 100); do
    awk -v p=":$hex" '$2 ~ p"$" && $4 == "0A" {f=1} END {exit !f}' /proc/net/tcp && return 0
    sleep 0.1
  done
  echo "camera on port $1 did not listen" >&2; exit 1
}
stop_cameras() {
  local pid
  for pid in "${CAMERA_PIDS[@]}"; do stop_server "$pid"; done
  CAMERA_PIDS=()
}

# Reference: ffmpeg alone decoding one camera to RGB24 for DURATION s.
port=$(free_port); camera "$port"
/usr/bin/time -f "%U %S" -o "$WORK/ref.time" ffmpeg -hide_banner -nostdin -loglevel error \
  -i "http://127.0.0.1:$port/" -t "$DURATION" -pix_fmt rgb24 -f null - || true
stop_cameras
read -r ru rs <"$WORK/ref.time"
REF=$(awk -v u="$ru" -v s="$rs" -v d="$DURATION" 'BEGIN {printf "%.1f", d / (u + s)}')
echo "ffmpeg decode -> rgb24 alone: $(awk -v u="$ru" -v s="$rs" 'BEGIN {print u + s}') CPU-s for ${DURATION} s of one camera: $REF cameras per core"

write_pipeline "$WORK/pipelines" detect '{"id":"detect","name":"detect","nodes":[{"id":"d","plugin_id":"onnx","tool_id":"detect","params":{"model":"conv_det.onnx"}}],"edges":[],"entry_nodes":["d"],"output_nodes":["d"]}'
export MODELS_DIR="$ROOT/src/test/resources/models" PIPELINES_DIR="$WORK/pipelines" SOURCES_MAX=64

# processed ID...: frames_processed of each source, one per line.
processed() {
  local status; status=$(curl -s "http://127.0.0.1:$FW_PORT/sources")
  local id
  for id in "$@"; do
    grep -o "\"id\":\"$id\"[^}]*" <<<"$status" | grep -o '"frames_processed":[0-9]*' | cut -d: -f2
  done
}

printf '%-8s %7s %14s %14s %10s %16s %10s %12s\n' pipeline cameras "min results/s" "mean results/s" cores_used cameras/core "vs ffmpeg" load_avg
for pipeline in $PIPELINES; do
  FW_PORT=$(free_port)
  start_framewire "$FW_PORT" "$WORK/fw-$pipeline.log" ${JAVA_OPTS:-}
  fw=$SERVER_PID
  ids=()
  for n in $COUNTS; do
    while ((${#ids[@]} < n)); do
      port=$(free_port); camera "$port"
      id="cam${#ids[@]}"
      curl -s -o /dev/null -w '' -X POST "http://127.0.0.1:$FW_PORT/sources" -H 'Content-Type: application/json' \
        -d "{\"id\":\"$id\",\"url\":\"http://127.0.0.1:$port/\",\"pipeline_id\":\"$pipeline\"}"
      ids+=("$id")
    done
    sleep "$WARMUP"
    mapfile -t f0 < <(processed "${ids[@]}")
    c0=$(cpu_ticks "$fw"); t0=$(date +%s.%N)
    sleep "$DURATION"
    mapfile -t f1 < <(processed "${ids[@]}")
    c1=$(cpu_ticks "$fw"); t1=$(date +%s.%N)
    rates=()
    for i in "${!ids[@]}"; do
      rates+=("$(awk -v a="${f0[$i]:-0}" -v b="${f1[$i]:-0}" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.2f", (b - a) / (t1 - t0)}')")
    done
    min=$(printf '%s\n' "${rates[@]}" | sort -g | head -1)
    mean=$(printf '%s\n' "${rates[@]}" | awk '{s += $1} END {printf "%.2f", s / NR}')
    cores=$(awk -v c=$((c1 - c0)) -v hz="$CLK_TCK" -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.2f", c / hz / (t1 - t0)}')
    # Cameras kept at 15 fps per core: results/s of all cameras / 15 / cores used (a camera that
    # drops frames counts as the fraction it processed; its dropped frames were still decoded).
    per_core=$(printf '%s\n' "${rates[@]}" | awk -v c="$cores" '{s += $1} END {printf "%.1f", (c > 0) ? s / 15 / c : 0}')
    printf '%-8s %7s %14s %14s %10s %16s %9.2fx %12s\n' "$pipeline" "$n" "$min" "$mean" "$cores" "$per_core" \
      "$(awk -v a="$per_core" -v b="$REF" 'BEGIN {print a / b}')" "$(cut -d' ' -f1 /proc/loadavg)"
    if awk -v m="$min" -v r="$MIN_RATE" 'BEGIN {exit !(m < r)}'; then
      echo "  ($pipeline: a camera fell below $MIN_RATE results/s at $n cameras: stopping here)"
      break
    fi
  done
  stop_server "$fw"
  stop_cameras
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
