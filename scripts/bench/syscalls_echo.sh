#!/usr/bin/env bash
# System calls of framewire's echo path (or the bare echo server with BARE=1) under the
# echo_cpu.sh load: strace -c -f on the server for a few seconds of steady closed-loop load.
# strace slows the server down a lot: read the call counts per frame, not the times.
#   scripts/bench/syscalls_echo.sh [TRACE_SECONDS=6]
source "$(dirname "$0")/common.sh"
require_jar
TRACE="${1:-6}"
command -v strace >/dev/null || { echo "needs strace (apt-get install strace)" >&2; exit 2; }
machine
PORT=$(free_port)
if [[ -n "${BARE:-}" ]]; then
  start_bare_echo "$PORT" "$WORK/server.log"
else
  start_framewire "$PORT" "$WORK/server.log"
fi
url="ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=echo"
load --url "$url" --sessions 4 --duration 20s --warmup 0 --progress 0 --json >/dev/null
load --url "$url" --sessions 4 --duration "$((TRACE + 6))s" --warmup 0 --progress 0 --json >"$WORK/load.json" &
LOAD_PID=$!
sleep 3
timeout -s INT "$TRACE" strace -c -f -q -p "$SERVER_PID" -o "$WORK/strace.txt" 2>/dev/null || true
wait "$LOAD_PID"
echo "frames answered during the whole traced load run: $(json_field "$WORK/load.json" results) (strace covered ${TRACE} s of it)"
head -12 "$WORK/strace.txt"
