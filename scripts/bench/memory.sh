#!/usr/bin/env bash
# Memory ceiling: 30 sessions sending 4.9 MB frames at 6 fps each to a 250 ms pipeline (4 fps
# sustainable, so frames are also dropped) for SECONDS, against framewire started in each MODE:
#   default   java -jar target/framewire.jar          (JVM defaults: heap up to 1/4 of RAM)
#   bounded   bin/framewire as shipped                (capped heap, its default collector, ...)
#   parallel, serial, g1
#             bin/framewire with FRAMEWIRE_GC=MODE    (the same cap, that collector's flags)
# Reports peak RSS (sampled every second), the live set after a full GC in the middle of the load
# and after it, the load tool's answers (results, drops, unanswered, errors), and what the process
# gives back when idle: RSS IDLE seconds after the load ended with no GC forced, then RSS after an
# explicit full GC (jcmd GC.run); and the GC pauses (bin/framewire modes, from -Xlog:gc).
#   scripts/bench/memory.sh [SECONDS=60] [SESSIONS=30] [FPS=6] [JPEG_KB=4785]
#     MODES="default bounded" (any of the above)  IDLE=60  JAVA_OPTS (bin/framewire modes)
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-60}"
SESSIONS="${2:-30}"
FPS="${3:-6}"
JPEG_KB="${4:-4785}" # 4.9 MB (4,900,000 bytes) is 4785 KiB
IDLE="${IDLE:-60}"
machine
write_pipeline "$WORK/pipelines" sleep250 '{"id":"sleep250","name":"Sleep 250 ms","nodes":[{"id":"s","plugin_id":"debug","tool_id":"sleep","params":{"ms":250}}],"edges":[],"entry_nodes":["s"],"output_nodes":["s"]}'

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

run() {
  local mode="$1" port log pid peak=0 mid="" after rss idle_rss gc_env=()
  port=$(free_port)
  log="$WORK/framewire-$mode.log"
  if [[ "$mode" == default ]]; then
    PIPELINES_DIR="$WORK/pipelines" start_framewire "$port" "$log"
    pid=$SERVER_PID
  else
    if [[ "$mode" != bounded ]]; then gc_env=(FRAMEWIRE_GC="$mode"); fi
    # GC pauses go to a log of their own (summed below); JAVA_OPTS from the caller come after.
    env "${gc_env[@]}" JAVA_OPTS="-Xlog:gc:file=$WORK/gc-$mode.log ${JAVA_OPTS:-}" PIPELINES_DIR="$WORK/pipelines" HTTP_HOST=127.0.0.1 HTTP_PORT="$port" LOG_LEVEL=WARN \
      FRAMEWIRE_JAR="$JAR" FRAMEWIRE_CDS=off "$ROOT/bin/framewire" >"$log" 2>&1 &
    pid=$!
    SERVER_PIDS+=("$pid")
    wait_port "$port" 60 || { tail -20 "$log" >&2; exit 1; }
  fi
  load --url "ws://127.0.0.1:$port/ws/video/stream?pipeline_id=sleep250" --sessions "$SESSIONS" --fps "$FPS" \
    --jpeg-kb "$JPEG_KB" --duration "${DURATION}s" --warmup 5s --progress 0 --json >"$WORK/report-$mode.json" &
  local loader=$! start=$SECONDS
  while kill -0 "$loader" 2>/dev/null; do
    rss=$(rss_kb "$pid")
    ((rss > peak)) && peak=$rss
    if [[ -z "$mid" ]] && ((SECONDS - start >= (DURATION + 5) / 2)); then
      mid=$(heap_after_gc "$pid" "$port")
    fi
    sleep 1
  done
  wait "$loader" || true
  rss=$(rss_kb "$pid")
  local idle_trace="" t
  for ((t = 30; t <= IDLE; t += 30)); do
    sleep 30
    idle_trace+=" ${t}s $(($(rss_kb "$pid") / 1024))"
  done
  sleep $((IDLE % 30))
  idle_rss=$(rss_kb "$pid")
  after=$(heap_after_gc "$pid" "$port")
  local r="$WORK/report-$mode.json"
  printf '%-8s peak RSS %5d MB | live set after full GC: under load %8s, after %8s | results %s dropped %s unanswered %s errors %s %s\n' \
    "$mode" $((peak / 1024)) "$mid" "$after" "$(json_field "$r" results)" "$(json_field "$r" dropped)" \
    "$(json_field "$r" unanswered)" "$(json_field "$r" errors)" "$(errors_by_code "$r")"
  printf '%-8s RSS when the load ended %5d MB, %ss later (no jcmd GC) %5d MB, after an explicit full GC %5d MB (idle, MB:%s)\n' \
    "$mode" $((rss / 1024)) "$IDLE" $((idle_rss / 1024)) $(($(rss_kb "$pid") / 1024)) "$idle_trace"
  if [[ -f "$WORK/gc-$mode.log" ]]; then
    # Pauses of the run, not counting the ones jcmd GC.run asked for ("Diagnostic Command").
    grep -E '\] GC\([0-9]+\) Pause' "$WORK/gc-$mode.log" | grep -v 'Diagnostic Command' |
      awk -v m="$mode" '{ v = $NF; sub("ms", "", v); n++; s += v; if (v + 0 > x) x = v + 0; if ($0 ~ /Pause Full/) f++ }
        END { printf "%-8s GC pauses (load and idle, jcmd ones excluded): %d, %d of them full, total %.0f ms, longest %.1f ms\n", m, n, f, s, x }'
  fi
  grep -iE '"level":"(ERROR)"|OutOfMemory|idle heap release' "$log" | head -3 || true
  stop_server "$pid"
}

for mode in ${MODES:-default bounded}; do
  run "$mode"
done
