#!/usr/bin/env bash
# Benchmarks 1 and 2: server CPU per answered frame for framewire's `echo` pipeline, and for the
# bare pekko-http echo server (the platform limit), in the same run, with the same client.
# 21 KB generated JPEG, 4 sessions, closed loop. Server CPU is read from /proc/<pid>/stat
# (utime + stime of the whole JVM) around the measured run only, after a separate warm-up run.
# JAVA_OPTS is passed to both server JVMs (e.g. dispatcher experiments with -Dpekko....).
#   scripts/bench/echo_cpu.sh [SECONDS=20] [WARMUP_SECONDS=30]
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-20}"
WARMUP="${2:-30}"
SESSIONS="${SESSIONS:-4}"
# FPS=F offers F frames/s per session instead of a closed loop (CPU per frame at a known load).
RATE=()
if [[ -n "${FPS:-}" ]]; then RATE=(--fps "$FPS"); fi
machine

measure() { # measure NAME PID PORT PATH
  local name="$1" pid="$2" port="$3" path="$4" out="$WORK/$1.json"
  local url="ws://127.0.0.1:$port$path"
  load --url "$url" --sessions "$SESSIONS" --duration "${WARMUP}s" --warmup 0 --progress 0 --json >/dev/null
  local before after
  before=$(cpu_ticks "$pid")
  local cs_before cs_after
  cs_before=$(ctx_switches "$pid")
  "$(dirname "$0")/thread_cpu.sh" snapshot "$pid" "$WORK/$name.threads.before"
  load --url "$url" --sessions "$SESSIONS" "${RATE[@]}" --duration "${DURATION}s" --warmup 0 --progress 0 --json >"$out"
  after=$(cpu_ticks "$pid")
  cs_after=$(ctx_switches "$pid")
  "$(dirname "$0")/thread_cpu.sh" snapshot "$pid" "$WORK/$name.threads.after"
  local answered cpu_us
  answered=$(( $(json_field "$out" results) + $(json_field "$out" dropped) ))
  cpu_us=$(ticks_to_us $((after - before)))
  printf '%-10s answered %7d  results/s %8.1f  p50 %6.3f ms  p99 %6.3f ms  server CPU %5.2f s  = %6.1f us/frame  errors %s\n' \
    "$name" "$answered" "$(json_field "$out" results_per_s)" "$(json_field "$out" latency_ms.p50)" \
    "$(json_field "$out" latency_ms.p99)" "$(awk -v u="$cpu_us" 'BEGIN{print u/1e6}')" \
    "$(awk -v u="$cpu_us" -v n="$answered" 'BEGIN{printf "%.1f", n ? u/n : 0}')" "$(json_field "$out" errors)"
  echo "    context switches per answered frame: $(awk -v c=$((cs_after - cs_before)) -v n="$answered" 'BEGIN{printf "%.1f", n ? c/n : 0}')"
  "$(dirname "$0")/thread_cpu.sh" diff "$WORK/$name.threads.before" "$WORK/$name.threads.after" | sed -n "1,6s/^/    /p"
  echo "$name $(awk -v u="$cpu_us" -v n="$answered" 'BEGIN{printf "%.1f", n ? u/n : 0}')" >>"$WORK/per_frame"
}

PORT=$(free_port)
start_framewire "$PORT" "$WORK/framewire.log" ${JAVA_OPTS:-}
measure framewire "$SERVER_PID" "$PORT" "/ws/video/stream?pipeline_id=echo"
stop_server "$SERVER_PID"

PORT=$(free_port)
start_bare_echo "$PORT" "$WORK/bare.log" ${JAVA_OPTS:-}
measure bare-echo "$SERVER_PID" "$PORT" "/ws/video/stream?pipeline_id=echo"
stop_server "$SERVER_PID"

awk '{v[$1]=$2} END {if (v["bare-echo"] > 0) printf "framewire / bare-echo CPU per frame: %.2fx (target <= 30 us/frame; Python original ~160)\n", v["framewire"]/v["bare-echo"]}' "$WORK/per_frame"
