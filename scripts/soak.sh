#!/usr/bin/env bash
# Soak of the whole stack against target/framewire.jar on 127.0.0.1 (issue 25), bounded in time,
# every process it starts stopped on exit:
#   - 4 live cameras: ffmpeg serving MPEG-TS over tcp:// (`-listen`, like a simple camera), a red
#     "person" and a green "car" blob crossing the picture; camera 1's ffmpeg is killed and started
#     again every CAMERA_KILL_EVERY minutes (the source reconnects by itself);
#   - 8 WebSocket sessions at SESSION_FPS (the load tool, a JPEG of two blobs);
#   - pipelines onnx/detect (blob_det.onnx, the test models' blob detector) → track/bytetrack →
#     analytics/lines and analytics/zones, so tracks cross a line and enter/leave a zone;
#     `soak_cam` is replaced (PUT /pipelines, confidence alternating) every EDIT_EVERY minutes;
#   - events stored (SQLite in a fresh DATA_DIR, snapshots on) and sent to an MQTT sink (QoS 1) on
#     Debian's mosquitto, which is stopped for a minute at MQTT_STOPS (minutes); a mosquitto_sub
#     (persistent session, QoS 1) counts the distinct event ids that reached the broker.
# Each minute: live heap after a full GC, RSS, threads, open file descriptors, the scheduler's live
# timers, the event store's size (database + snapshots), events stored, sink lag and deliveries,
# frame counters and errors. At the end: every stored event delivered? (sink position = latest id,
# and the ids mosquitto_sub saw against the store's), errors by code, slopes after warm-up.
#   scripts/soak.sh [MINUTES=60]
# Needs: ffmpeg, /usr/sbin/mosquitto, mosquitto_sub (Debian's mosquitto-clients), jcmd, curl.
source "$(dirname "$0")/bench/common.sh"
require_jar
# A copy: a rebuild of target/framewire.jar during the hour would pull classes from under the JVM.
cp "$JAR" "$WORK/framewire.jar"
JAR="$WORK/framewire.jar"
MINUTES="${1:-60}"
SESSIONS="${SESSIONS:-8}"
SESSION_FPS="${SESSION_FPS:-5}"
CAMERA_FPS="${CAMERA_FPS:-10}"
CAMERA_KILL_EVERY="${CAMERA_KILL_EVERY:-5}"
EDIT_EVERY="${EDIT_EVERY:-2}"
MQTT_STOPS="${MQTT_STOPS:-20 40}"
JAVA_OPTS="${JAVA_OPTS-$(launcher_opts "${FRAMEWIRE_GC:-parallel}")}"
for tool in ffmpeg /usr/sbin/mosquitto mosquitto_sub jcmd curl; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is missing" >&2; exit 2; }
done
machine
echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- pipelines: the same graph for cameras and sessions; lines and zones in relative units
pipeline() { # pipeline ID CONFIDENCE
  printf '{"id":"%s","name":"soak %s","nodes":[
  {"id":"objects","plugin_id":"onnx","tool_id":"detect","params":{"model":"blob_det.onnx","confidence":%s}},
  {"id":"track","plugin_id":"track","tool_id":"bytetrack","params":{"min_hits":2}},
  {"id":"door","plugin_id":"analytics","tool_id":"lines","params":{"lines":[{"name":"door","from":[0.5,0],"to":[0.5,1]}],"units":"relative"}},
  {"id":"lot","plugin_id":"analytics","tool_id":"zones","params":{"zones":[{"name":"lot","points":[[0.6,0],[1,0],[1,1],[0.6,1]]}],"units":"relative","dwell_s":2}}],
 "edges":[{"from_node":"objects","to_node":"track"},{"from_node":"track","to_node":"door"},{"from_node":"track","to_node":"lot"}],
 "entry_nodes":["objects"],"output_nodes":["track","door","lot"]}' "$1" "$1" "$2"
}
write_pipeline "$WORK/pipelines" soak_cam "$(pipeline soak_cam 0.25)"
write_pipeline "$WORK/pipelines" soak_ws "$(pipeline soak_ws 0.25)"

# --- media: the sessions' JPEG, the cameras' scene (blobs crossing the door line and the lot)
ffmpeg -hide_banner -loglevel error -f lavfi -i "color=c=0x202020:s=320x240" \
  -vf "drawbox=x=60:y=60:w=36:h=36:color=red:t=fill,drawbox=x=200:y=140:w=48:h=32:color=0x00ff00:t=fill" \
  -frames:v 1 -y "$WORK/blobs.jpg"
camera_filter="[0][1]overlay=x='mod(t*64,400)-40':y=60[a];[a][2]overlay=x='320-mod(t*48,400)':y=150"
start_camera() { # start_camera N PORT: ffmpeg listening for one client at tcp://127.0.0.1:PORT
  ffmpeg -hide_banner -nostdin -loglevel error -re \
    -f lavfi -i "color=c=0x202020:s=320x240:r=$CAMERA_FPS" -f lavfi -i "color=c=red:s=36x36" \
    -f lavfi -i "color=c=0x00ff00:s=48x32" -filter_complex "$camera_filter" \
    -c:v mpeg2video -g 10 -q:v 4 -f mpegts "tcp://127.0.0.1:$2?listen=1" >"$WORK/camera$1.log" 2>&1 &
  CAMERA_PIDS[$1]=$!
}
declare -a CAMERA_PIDS CAMERA_PORTS
for n in 1 2 3 4; do
  CAMERA_PORTS[$n]=$(free_port)
  start_camera "$n" "${CAMERA_PORTS[$n]}"
  SERVER_PIDS+=("${CAMERA_PIDS[$n]}")
done

# --- the broker and its counting subscriber
MQTT_PORT=$(free_port)
mkdir -p "$WORK/mosquitto"
printf '%s\n' "listener $MQTT_PORT 127.0.0.1" "allow_anonymous true" "user $(id -un)" \
  "persistence true" "persistence_location $WORK/mosquitto/" "autosave_interval 1" \
  "log_dest file $WORK/mosquitto/mosquitto.log" >"$WORK/mosquitto/mosquitto.conf"
start_broker() {
  /usr/sbin/mosquitto -c "$WORK/mosquitto/mosquitto.conf" >>"$WORK/mosquitto/stdout.log" 2>&1 &
  BROKER_PID=$!
  SERVER_PIDS+=("$BROKER_PID")
  wait_port "$MQTT_PORT" 10 || { cat "$WORK/mosquitto/stdout.log" >&2; exit 1; }
}
start_broker
# -c -i: a persistent session, so what the broker queued for it survives the subscriber's reconnects.
mosquitto_sub -h 127.0.0.1 -p "$MQTT_PORT" -q 1 -c -i soak-counter -t 'framewire/#' >"$WORK/mqtt.jsonl" 2>"$WORK/mqtt_sub.log" &
SUB_PID=$!
SERVER_PIDS+=("$SUB_PID")

# --- framewire
PORT=$(free_port)
MODELS_DIR="$ROOT/src/test/resources/models" PIPELINES_DIR="$WORK/pipelines" DATA_DIR="$WORK/data" \
  EVENTS_ENABLED=true start_framewire "$PORT" "$WORK/framewire.log" ${JAVA_OPTS:-}
api() { curl -s --max-time 10 "$@"; }
metric() { # metric NAME_WITH_LABELS: its value on /metrics (0 if absent)
  api "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 == m { v = $2 } END { printf "%d", v + 0 }'
}
api -f -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/sinks" \
  -d "{\"id\":\"soak\",\"type\":\"mqtt\",\"url\":\"tcp://127.0.0.1:$MQTT_PORT\",\"topic\":\"framewire/{stream}/{type}\",\"qos\":1}" \
  >/dev/null || { echo "POST /sinks failed" >&2; tail -20 "$WORK/framewire.log" >&2; exit 1; }
for n in 1 2 3 4; do
  api -f -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/sources" \
    -d "{\"id\":\"cam$n\",\"url\":\"tcp://127.0.0.1:${CAMERA_PORTS[$n]}\",\"pipeline_id\":\"soak_cam\"}" >/dev/null ||
    { echo "POST /sources cam$n failed" >&2; tail -20 "$WORK/framewire.log" >&2; exit 1; }
done
timeout $((MINUTES * 60 + 300)) java -cp "$JAR" io.framewire.bench.LoadTool --url "ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=soak_ws" --sessions "$SESSIONS" --fps "$SESSION_FPS" \
  --jpeg "$WORK/blobs.jpg" --warmup 0s --duration "${MINUTES}m" --progress 0 --json >"$WORK/load.json" 2>"$WORK/load.err" &
LOAD_PID=$!
echo "soak: $MINUTES min, 4 cameras x $CAMERA_FPS fps, $SESSIONS sessions x $SESSION_FPS fps, server pid $SERVER_PID port $PORT, work $WORK"

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }
threads() { awk '/^Threads:/ { print $2 }' "/proc/$SERVER_PID/status"; }
fds() { ls "/proc/$SERVER_PID/fd" | wc -l; }
store_mb() { du -sm "$WORK/data" | cut -f1; }
latest_id() { api "http://127.0.0.1:$PORT/events?limit=1" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2; }
errors_total() {
  api "http://127.0.0.1:$PORT/metrics" | awk '/^stream_errors_total/ { n += $2 } END { printf "%d", n }'
}

TABLE="$WORK/table.txt"
printf '%s\n' "| minute | heap after GC (MB) | RSS (MB) | threads | fds | timers | store (MB) | events stored | sink lag | delivered | sources running | session frames answered | dropped | errors | what happened |" \
  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|" | tee "$TABLE"
start=$SECONDS
broker_stopped_at=""
for minute in $(seq 1 "$MINUTES"); do
  happened=""
  # Wait for the end of this minute, doing the scheduled disturbances on the way.
  while ((SECONDS - start < minute * 60)); do
    sleep 1
    now=$(( (SECONDS - start) ))
    if [[ -n "$broker_stopped_at" ]] && ((now - broker_stopped_at >= 60)); then
      start_broker; broker_stopped_at=""; happened+="broker back; "
    fi
  done
  if ((minute % EDIT_EVERY == 0)) && ((minute < MINUTES)); then
    confidence=$( ((minute / EDIT_EVERY % 2)) && echo 0.3 || echo 0.25)
    code=$(api -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
      "http://127.0.0.1:$PORT/pipelines/soak_cam" -d "$(pipeline soak_cam "$confidence")")
    happened+="soak_cam edited ($code); "
  fi
  if ((minute % CAMERA_KILL_EVERY == 0)) && ((minute < MINUTES)); then
    kill -9 "${CAMERA_PIDS[1]}" 2>/dev/null || true
    wait "${CAMERA_PIDS[1]}" 2>/dev/null || true
    sleep 3
    start_camera 1 "${CAMERA_PORTS[1]}"
    SERVER_PIDS+=("${CAMERA_PIDS[1]}")
    happened+="cam1 killed+restarted; "
  fi
  for stop in $MQTT_STOPS; do
    if ((minute == stop)); then
      kill "$BROKER_PID" 2>/dev/null || true
      wait "$BROKER_PID" 2>/dev/null || true
      broker_stopped_at=$((SECONDS - start))
      happened+="broker stopped; "
    fi
  done
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "soak: the server (pid $SERVER_PID) is gone at minute $minute" >&2; tail -20 "$WORK/framewire.log" >&2; exit 1; }
  class_histogram "$SERVER_PID"
  running=$(api "http://127.0.0.1:$PORT/sources" | grep -o '"state":"running"' | wc -l)
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$minute" "$(histogram_heap_mb)" "$(rss_mb)" \
    "$(threads)" "$(fds)" "$(histogram_task_holders)" "$(store_mb)" "$(metric events_stored_total)" "$(metric 'sink_lag_events{sink="soak",}')" \
    "$(metric 'sink_deliveries_total{sink="soak",outcome="delivered",}')" "$running" \
    "$(metric stream_frames_processed_total)" "$(metric stream_frames_dropped_total)" "$(errors_total)" "${happened%; }" | tee -a "$TABLE"
done

wait "$LOAD_PID" || true
# Let the sink catch up (bounded), then compare what the store holds with what reached the broker.
for _ in $(seq 60); do
  [[ "$(metric 'sink_lag_events{sink="soak",}')" == 0 ]] && break
  sleep 1
done
sleep 2
stored=$(metric events_stored_total)
latest=$(latest_id)
received=$(grep -o '"id":[0-9]*' "$WORK/mqtt.jsonl" | sort -u | wc -l)
missing=$(comm -23 <(seq 1 "${latest:-0}" | sort) <(grep -o '"id":[0-9]*' "$WORK/mqtt.jsonl" | cut -d: -f2 | sort -u) | wc -l)
echo "--- events: stored $stored, latest id ${latest:-none}, distinct ids at the subscriber $received, ids 1..latest missing there: $missing, sink lag $(metric 'sink_lag_events{sink="soak",}'), dropped $(metric 'events_dropped_total{reason="queue_full",}')"
echo "--- load tool: $(tr -d '\n' <"$WORK/load.json" | cut -c1-600)"
echo "--- errors by code"
api "http://127.0.0.1:$PORT/metrics" | grep '^stream_errors_total' || echo "(none)"
echo "--- sources"
api "http://127.0.0.1:$PORT/sources" | grep -o '"id":"cam[0-9]","url":"[^"]*"[^}]*"reconnects":[0-9]*' | sed 's/"url":"[^"]*",//' || true
echo "--- log lines at WARN or above: $(grep -c -E '"level":"(WARN|ERROR)"|WARN|ERROR' "$WORK/framewire.log" || true)"
# Slopes after warm-up (minutes 6..end): least squares, per hour.
awk -F'|' -v from=6 'NR > 2 && $2 + 0 >= from { n++; x = $2 + 0; for (c = 3; c <= 8; c++) { y = $c + 0; sx[c] += x; sy[c] += y; sxx[c] += x*x; sxy[c] += x*y } }
  END { split("- - heap_MB RSS_MB threads fds timers store_MB", name, " ");
        printf "--- slopes per hour over minutes %d..: ", from;
        for (c = 3; c <= 8; c++) { d = n * sxx[c] - sx[c]^2; printf "%s %+.2f  ", name[c], d ? 60 * (n * sxy[c] - sx[c] * sy[c]) / d : 0 } print "" }' "$TABLE"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
