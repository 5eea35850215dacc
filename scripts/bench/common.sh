# Shared helpers for scripts/bench/*.sh. Source it; do not run it.
# Every server started here binds 127.0.0.1 on a free port and is stopped on exit, and every wait
# is bounded, so a benchmark script always ends by itself.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JAR="${JAR:-$ROOT/target/framewire.jar}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/framewire-bench.XXXXXX")"
CLK_TCK="$(getconf CLK_TCK)"
SERVER_PIDS=()

cleanup() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    stop_server "$pid"
  done
}
trap cleanup EXIT

require_jar() {
  if [[ ! -f "$JAR" ]]; then
    echo "no $JAR: build it first with: mvn -q -DskipTests package" >&2
    exit 2
  fi
}

# A TCP port on 127.0.0.1 that nothing listens on (bash probe, no extra tools).
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

# wait_port PORT SECONDS: until something accepts on 127.0.0.1:PORT.
wait_port() {
  local port="$1" deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.2
  done
  echo "nothing listening on 127.0.0.1:$port after $2 s" >&2
  return 1
}

# launcher_opts GC: the JVM options bin/framewire execs java with for FRAMEWIRE_GC=GC (a stub
# `java` first on PATH prints them instead of running), without the class-data archive.
launcher_opts() {
  mkdir -p "$WORK/stub"
  printf '#!/bin/sh\necho "$@"\n' >"$WORK/stub/java"
  chmod +x "$WORK/stub/java"
  FRAMEWIRE_GC="$1" FRAMEWIRE_CDS=off FRAMEWIRE_JAR="$JAR" JAVA_OPTS="" PATH="$WORK/stub:$PATH" \
    sh "$ROOT/bin/framewire" | sed 's/ -jar .*//'
}

# start_framewire PORT LOGFILE [JVM options...]: framewire on 127.0.0.1:PORT; sets SERVER_PID.
# Extra environment (PIPELINES_DIR, STREAM_MAX_SESSIONS, TOOL_THREADS, LOG_LEVEL) passes through.
start_framewire() {
  local port="$1" log="$2"
  shift 2
  HTTP_HOST=127.0.0.1 HTTP_PORT="$port" LOG_LEVEL="${LOG_LEVEL:-WARN}" \
    java "$@" -jar "$JAR" >"$log" 2>&1 &
  SERVER_PID=$!
  SERVER_PIDS+=("$SERVER_PID")
  wait_port "$port" 60 || { tail -20 "$log" >&2; exit 1; }
}

# start_bare_echo PORT LOGFILE [JVM options...]: the bare pekko-http echo server; sets SERVER_PID.
# BARE_TUNED=1 starts it with framewire's thread layout (--tuned) instead of Pekko's defaults.
start_bare_echo() {
  local port="$1" log="$2" tuned=()
  shift 2
  if [[ "${BARE_TUNED:-0}" == 1 ]]; then tuned=(--tuned); fi
  LOG_LEVEL="${LOG_LEVEL:-WARN}" java "$@" -cp "$JAR" io.framewire.bench.BareEchoServer "${tuned[@]}" 127.0.0.1 "$port" >"$log" 2>&1 &
  SERVER_PID=$!
  SERVER_PIDS+=("$SERVER_PID")
  wait_port "$port" 60 || { tail -20 "$log" >&2; exit 1; }
}

stop_server() {
  local pid="$1"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || return 0
      sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
}

# cpu_ticks PID: user + system CPU of the whole process so far, in clock ticks (/proc/PID/stat).
cpu_ticks() {
  # Fields after the ")" that ends the command name: utime is the 12th, stime the 13th.
  sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

# ctx_switches PID: voluntary + involuntary context switches of all the process's threads so far.
ctx_switches() {
  cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {n += $2} END {print n}'
}

ticks_to_us() {
  awk -v t="$1" -v hz="$CLK_TCK" 'BEGIN {printf "%.0f", t * 1e6 / hz}'
}

# measure_cpu PID URL OUT [load options...]: one closed-loop warm-up run of WARMUP s (4 or SESSIONS
# sessions), then the measured run of DURATION s with the extra load options, its --json report in
# OUT. Sets ANSWERED (results + dropped), CPU_US_PER_FRAME and CS_PER_FRAME (the server's CPU and
# context switches, all threads, over the measured run only). With THREADS=FILE_PREFIX it also
# snapshots per-thread CPU around the measured run (thread_cpu.sh) into FILE_PREFIX.before/.after.
measure_cpu() {
  local pid="$1" url="$2" out="$3"
  shift 3
  load --url "$url" --sessions "${SESSIONS:-4}" --duration "${WARMUP}s" --warmup 0 --progress 0 --json >/dev/null
  local before after cs_before cs_after
  before=$(cpu_ticks "$pid")
  cs_before=$(ctx_switches "$pid")
  if [[ -n "${THREADS:-}" ]]; then "$(dirname "${BASH_SOURCE[0]}")/thread_cpu.sh" snapshot "$pid" "$THREADS.before"; fi
  load --url "$url" --sessions "${SESSIONS:-4}" "$@" --duration "${DURATION}s" --warmup 0 --progress 0 --json >"$out"
  after=$(cpu_ticks "$pid")
  cs_after=$(ctx_switches "$pid")
  if [[ -n "${THREADS:-}" ]]; then "$(dirname "${BASH_SOURCE[0]}")/thread_cpu.sh" snapshot "$pid" "$THREADS.after"; fi
  ANSWERED=$(( $(json_field "$out" results) + $(json_field "$out" dropped) ))
  local cpu_us
  cpu_us=$(ticks_to_us $((after - before)))
  CPU_US_PER_FRAME=$(awk -v u="$cpu_us" -v n="$ANSWERED" 'BEGIN{printf "%.1f", n ? u/n : 0}')
  CS_PER_FRAME=$(awk -v c=$((cs_after - cs_before)) -v n="$ANSWERED" 'BEGIN{printf "%.1f", n ? c/n : 0}')
}

# awk functions for the per-round summaries: sort(x, n) sorts x[1..n] in place, median(x, n).
AWK_MEDIAN='
  function sort(x, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && x[j-1] > x[j]; j--) { t = x[j]; x[j] = x[j-1]; x[j-1] = t } }
  function median(x, n) { sort(x, n); return n % 2 ? x[(n+1)/2] : (x[n/2] + x[n/2+1]) / 2 }'

# load ARGS...: the load tool against 127.0.0.1, bounded by a generous timeout as a last resort.
load() {
  timeout 900 java -cp "$JAR" io.framewire.bench.LoadTool "$@"
}

# json_field FILE FIELD: a top-level number or the latency_ms.X number from a --json report.
json_field() {
  local file="$1" field="$2"
  if [[ "$field" == latency_ms.* ]]; then
    grep -o "\"latency_ms\":{[^}]*}" "$file" | grep -o "\"${field#latency_ms.}\":[-0-9.eE]*" | head -1 | cut -d: -f2
  else
    grep -o "\"$field\":[-0-9.eE]*" "$file" | head -1 | cut -d: -f2
  fi
}

errors_by_code() {
  grep -o '"errors_by_code":{[^}]*}' "$1" | cut -d: -f2-
}

# heap_after_gc PID PORT: heap used after a full GC (jcmd GC.run), e.g. "23456K", whatever the
# collector: the JVM's own figure (MemoryMXBean, all heap pools), `jvm_memory_bytes_used{area="heap"}`
# on framewire's /metrics at 127.0.0.1:PORT. (GC.heap_info's layout differs per collector: the first
# "used" is the whole heap with G1 but only the young generation with Parallel or Serial.)
heap_after_gc() {
  jcmd "$1" GC.run >/dev/null 2>&1 || true
  # awk reads to the end: leaving early would make curl fail writing (and the script stop, pipefail).
  curl -s --max-time 10 "http://127.0.0.1:$2/metrics" |
    awk '/^jvm_memory_bytes_used\{area="heap",?\}/ && !done { printf "%dK", $2 / 1024; done = 1 }'
}

# write_pipeline DIR ID JSON: one pipeline definition file for PIPELINES_DIR.
write_pipeline() {
  mkdir -p "$1"
  printf '%s\n' "$3" >"$1/$2.json"
}

machine() {
  echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') RAM, $(java -version 2>&1 | head -1)"
}

# class_histogram PID: $WORK/histogram.txt, a class histogram of PID's live objects (jcmd
# GC.class_histogram runs a full GC first and then counts only reachable objects). That GC is
# sometimes skipped (a thread in a JNI critical region, such as the JPEG decoder) and the histogram
# then counts garbage too: take two, keep the smaller. Read it with histogram_heap_mb and
# histogram_task_holders (the scheduler's live timers: pekko's TaskHolders not yet run or dropped).
class_histogram() {
  jcmd "$1" GC.class_histogram >"$WORK/histogram.a" 2>/dev/null || true
  jcmd "$1" GC.class_histogram >"$WORK/histogram.b" 2>/dev/null || true
  if (($(histogram_bytes "$WORK/histogram.a") <= $(histogram_bytes "$WORK/histogram.b"))); then
    mv "$WORK/histogram.a" "$WORK/histogram.txt"
  else
    mv "$WORK/histogram.b" "$WORK/histogram.txt"
  fi
}
histogram_bytes() { awk '/^Total/ { n = $3 } END { printf "%d", n }' "$1"; }
histogram_heap_mb() { awk '/^Total/ { printf "%.1f", $3 / 1048576 }' "$WORK/histogram.txt"; }
histogram_task_holders() {
  awk '/LightArrayRevolverScheduler\$TaskHolder$/ { n = $2 } END { printf "%d", n }' "$WORK/histogram.txt"
}

# yolov8n_sized_models DIR: yolov8n_b1.onnx (batch 1) and yolov8n_dyn.onnx (dynamic batch) in DIR,
# YOLOv8n's layer shapes with random weights (src/test/models/make_models.py; Debian's python3-onnx).
yolov8n_sized_models() {
  (cd "$ROOT" && /usr/bin/python3 -c 'import sys; sys.path.insert(0, "src/test/models"); import make_models; make_models.yolov8n_sized_models(sys.argv[1])' "$1") >/dev/null
}
