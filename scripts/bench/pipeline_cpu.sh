#!/usr/bin/env bash
# Server CPU per answered frame of framewire's pipelines side by side (default: `echo`, which does
# not decode, and `inspect`, which decodes to gray and takes the mean), as echo_cpu.sh measures
# it: bin/framewire's JVM options, fresh JVM per pipeline and round, 4 sessions closed loop, the
# generated 21 KB JPEG (--jpeg-kb / JPEG_KB changes its size), warm-up run, then the measured run.
#   scripts/bench/pipeline_cpu.sh [SECONDS=15] [WARMUP_SECONDS=20]     (ROUNDS=2, PIPELINES="echo inspect")
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-15}"
WARMUP="${2:-20}"
ROUNDS="${ROUNDS:-2}"
PIPELINES="${PIPELINES:-echo inspect}"
OPTS="$(launcher_opts "${FRAMEWIRE_GC:-parallel}")"
machine
for round in $(seq "$ROUNDS"); do
  for pipeline in $PIPELINES; do
    PORT=$(free_port)
    # shellcheck disable=SC2086
    start_framewire "$PORT" "$WORK/$pipeline.log" $OPTS ${JAVA_OPTS:-}
    measure_cpu "$SERVER_PID" "ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=$pipeline" "$WORK/$pipeline.$round.json" \
      --jpeg-kb "${JPEG_KB:-21}"
    stop_server "$SERVER_PID"
    printf 'round %s %-10s CPU %7.1f us/frame  ctx switches %4.1f/frame  results/s %8.1f  errors %s\n' "$round" "$pipeline" \
      "$CPU_US_PER_FRAME" "$CS_PER_FRAME" "$(json_field "$WORK/$pipeline.$round.json" results_per_s)" \
      "$(json_field "$WORK/$pipeline.$round.json" errors)"
  done
done
