#!/usr/bin/env bash
# JFR CPU profile (and per-thread CPU split) of framewire's echo path under the echo_cpu.sh load (4 sessions, closed loop,
# 21 KB JPEG): prints the hottest methods by self samples and by inclusive samples.
#   scripts/bench/profile_echo.sh [SECONDS=30] [OUT.jfr]
source "$(dirname "$0")/common.sh"
require_jar
# bin/framewire's JVM options (what the README runs) unless JAVA_OPTS is given; JAVA_OPTS= for the JVM's defaults.
JAVA_OPTS="${JAVA_OPTS-$(launcher_opts "${FRAMEWIRE_GC:-parallel}")}"
DURATION="${1:-30}"
JFR_FILE="${2:-$WORK/echo.jfr}"
machine
PORT=$(free_port)
start_framewire "$PORT" "$WORK/framewire.log" ${JAVA_OPTS:-}
url="ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=echo"
load --url "$url" --sessions 4 --duration 15s --warmup 0 --progress 0 --json >/dev/null
jcmd "$SERVER_PID" JFR.start name=echo settings=profile >/dev/null
"$(dirname "$0")/thread_cpu.sh" snapshot "$SERVER_PID" "$WORK/threads.before"
load --url "$url" --sessions 4 --duration "${DURATION}s" --warmup 0 --progress 0
"$(dirname "$0")/thread_cpu.sh" snapshot "$SERVER_PID" "$WORK/threads.after"
jcmd "$SERVER_PID" JFR.dump name=echo filename="$JFR_FILE" >/dev/null
jcmd "$SERVER_PID" JFR.stop name=echo >/dev/null
echo "recording: $JFR_FILE"
echo "--- server CPU by thread during the profiled run"
"$(dirname "$0")/thread_cpu.sh" diff "$WORK/threads.before" "$WORK/threads.after"
"$(dirname "$0")/jfr_top.sh" "$JFR_FILE"
