#!/usr/bin/env bash
# Benchmarks 1 and 2: server CPU per answered frame for framewire's `echo` pipeline against the bare
# pekko-http echo server, in the same run, with the same client: the bare server as Pekko configures
# it out of the box (the fixed reference) and with framewire's thread layout (`echo-server --tuned`).
# 21 KB generated JPEG, 4 sessions, closed loop. Server CPU is read from /proc/<pid>/stat (utime +
# stime of the whole JVM: JIT and GC included) around the measured run only, after a warm-up run.
# ROUNDS repeats the three servers in turn (fresh JVMs each round); ratios are computed per round
# and their median reported, so a burst of noise on this shared machine hits one round, not a ratio.
# JAVA_OPTS is passed to every server JVM (e.g. experiments with -Dpekko....).
#   scripts/bench/echo_cpu.sh [SECONDS=20] [WARMUP_SECONDS=30]     (ROUNDS=3, SESSIONS=4, FPS=)
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-20}"
WARMUP="${2:-30}"
SESSIONS="${SESSIONS:-4}"
ROUNDS="${ROUNDS:-3}"
# FPS=F offers F frames/s per session instead of a closed loop (CPU per frame at a known load).
RATE=()
if [[ -n "${FPS:-}" ]]; then RATE=(--fps "$FPS"); fi
machine

measure() { # measure NAME ROUND PID PORT PATH
  local name="$1" round="$2" pid="$3" port="$4" path="$5" out="$WORK/$1.$2.json"
  THREADS="$WORK/$name.threads" measure_cpu "$pid" "ws://127.0.0.1:$port$path" "$out" "${RATE[@]}"
  printf 'round %s %-14s answered %7d  results/s %8.1f  p50 %6.3f ms  p99 %6.3f ms  CPU %6.1f us/frame  ctx switches %4.1f/frame  errors %s\n' \
    "$round" "$name" "$ANSWERED" "$(json_field "$out" results_per_s)" "$(json_field "$out" latency_ms.p50)" \
    "$(json_field "$out" latency_ms.p99)" "$CPU_US_PER_FRAME" "$CS_PER_FRAME" "$(json_field "$out" errors)"
  "$(dirname "$0")/thread_cpu.sh" diff "$WORK/$name.threads.before" "$WORK/$name.threads.after" | sed -n "2,5s/^/      /p"
  echo "$round $name $CPU_US_PER_FRAME" >>"$WORK/per_frame"
}

# framewire runs with bin/framewire's JVM options (what the README runs; FRAMEWIRE_GC picks the collector).
FRAMEWIRE_OPTS="$(launcher_opts "${FRAMEWIRE_GC:-parallel}")"
PATH_ECHO="/ws/video/stream?pipeline_id=echo"
for round in $(seq "$ROUNDS"); do
  PORT=$(free_port)
  # shellcheck disable=SC2086
  start_framewire "$PORT" "$WORK/framewire.log" $FRAMEWIRE_OPTS ${JAVA_OPTS:-}
  measure framewire "$round" "$SERVER_PID" "$PORT" "$PATH_ECHO"
  stop_server "$SERVER_PID"

  PORT=$(free_port)
  BARE_TUNED=0 start_bare_echo "$PORT" "$WORK/bare.log" ${JAVA_OPTS:-}
  measure bare-echo "$round" "$SERVER_PID" "$PORT" "$PATH_ECHO"
  stop_server "$SERVER_PID"

  PORT=$(free_port)
  BARE_TUNED=1 start_bare_echo "$PORT" "$WORK/bare-tuned.log" ${JAVA_OPTS:-}
  measure bare-tuned "$round" "$SERVER_PID" "$PORT" "$PATH_ECHO"
  stop_server "$SERVER_PID"
done

# Per round: framewire / bare-echo and framewire / bare-tuned; then the median over the rounds.
awk "$AWK_MEDIAN"'
  {v[$1, $2] = $3; rounds[$1] = 1}
  END {
    n = 0
    for (r in rounds) {
      if (v[r, "bare-echo"] > 0 && v[r, "bare-tuned"] > 0) {
        n++; a[n] = v[r, "framewire"] / v[r, "bare-echo"]; b[n] = v[r, "framewire"] / v[r, "bare-tuned"]
        c[n] = v[r, "bare-tuned"] / v[r, "bare-echo"]
      }
    }
    if (n == 0) exit
    ma = median(a, n); mb = median(b, n); mc = median(c, n) # each sorts its array: a[1], a[n] are the range
    printf "median over %d rounds: framewire / bare-echo %.2fx (range %.2f-%.2f); framewire / bare-tuned %.2fx (%.2f-%.2f); bare-tuned / bare-echo %.2fx\n", \
      n, ma, a[1], a[n], mb, b[1], b[n], mc
  }' "$WORK/per_frame"
