#!/usr/bin/env bash
# Benchmark: does storing events slow frames? Frame latency p99 of 200 sessions at 15 fps (3,000
# frames/s) on one server with its event store on (SQLite in a fresh DATA_DIR), two pipelines that
# differ only in a param: debug/sleep 5 ms → debug/event, `events` raising an event on every 60th
# frame of each session (200 × 15 / 60 = 50 events/s stored), `base` only on each session's frame 0
# (every = 10^9: 200 events, in the load's warm-up, then none). ROUNDS rounds,
# each runs both (alternating which goes first); per round the ratio events p99 / base p99, and the
# events stored per second during the events run (/metrics: stored over its warm-up + measured
# seconds) and the events dropped so far. With MQTT=1 (the default) the events also go to an MQTT
# sink: Debian's mosquitto started here on a free port, the sink created with POST /sinks (QoS 1,
# from the latest event) after the warm-up, before the rounds; per run its deliveries per second
# and its lag (sink_lag_events) at the run's end. MQTT=0: the store only.
# JAVA_OPTS as sessions.sh: bin/framewire's options unless given.
#   [MQTT=1] scripts/bench/events_sessions.sh [SECONDS=20] [ROUNDS=3] [SESSIONS=200]
source "$(dirname "$0")/common.sh"
require_jar
JAVA_OPTS="${JAVA_OPTS-$(launcher_opts "${FRAMEWIRE_GC:-parallel}")}"
DURATION="${1:-20}"
ROUNDS="${2:-3}"
N="${3:-200}"
MQTT="${MQTT:-1}"
machine
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
write_pipeline "$WORK/pipelines" base '{"id":"base","name":"base","nodes":[{"id":"s","plugin_id":"debug","tool_id":"sleep","params":{"ms":5}},{"id":"e","plugin_id":"debug","tool_id":"event","params":{"every":1000000000}}],"edges":[{"from_node":"s","to_node":"e"}],"entry_nodes":["s"],"output_nodes":["s","e"]}'
write_pipeline "$WORK/pipelines" events '{"id":"events","name":"events","nodes":[{"id":"s","plugin_id":"debug","tool_id":"sleep","params":{"ms":5}},{"id":"e","plugin_id":"debug","tool_id":"event","params":{"every":60}}],"edges":[{"from_node":"s","to_node":"e"}],"entry_nodes":["s"],"output_nodes":["s","e"]}'
PORT=$(free_port)
STREAM_MAX_SESSIONS="${STREAM_MAX_SESSIONS:-256}" PIPELINES_DIR="$WORK/pipelines" DATA_DIR="$WORK/data" \
  EVENTS_ENABLED=true start_framewire "$PORT" "$WORK/framewire.log" ${JAVA_OPTS:-}

metric() { # metric NAME_WITH_LABELS: its value on /metrics (0 if absent)
  curl -s --max-time 10 "http://127.0.0.1:$PORT/metrics" | awk -v m="$1" '$1 == m { v = $2 } END { print v + 0 }'
}
run() { # run PIPELINE OUT
  load --url "ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=$1" --sessions "$N" --fps 15 \
    --duration "${DURATION}s" --warmup 5s --progress 0 --json >"$2" || true
}

# A warm-up of each pipeline (JIT, thread pools, the store's first batches), not reported.
for p in base events; do
  load --url "ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=$p" --sessions "$N" --fps 15 \
    --duration 10s --warmup 0s --progress 0 --json >/dev/null || true
done

if [[ "$MQTT" == 1 ]]; then
  [[ -x /usr/sbin/mosquitto ]] || { echo "no /usr/sbin/mosquitto: apt-get install mosquitto, or MQTT=0" >&2; exit 2; }
  MQTT_PORT=$(free_port)
  mkdir -p "$WORK/mosquitto"
  printf '%s\n' "listener $MQTT_PORT 127.0.0.1" "allow_anonymous true" "user $(id -un)" \
    "log_dest file $WORK/mosquitto/mosquitto.log" >"$WORK/mosquitto/mosquitto.conf"
  /usr/sbin/mosquitto -c "$WORK/mosquitto/mosquitto.conf" >"$WORK/mosquitto/stdout.log" 2>&1 &
  SERVER_PIDS+=("$!")
  wait_port "$MQTT_PORT" 10 || { cat "$WORK/mosquitto/stdout.log" >&2; exit 1; }
  curl -sf --max-time 10 -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/sinks" \
    -d "{\"id\":\"bench\",\"type\":\"mqtt\",\"url\":\"tcp://127.0.0.1:$MQTT_PORT\",\"topic\":\"framewire/{stream}/{type}\",\"qos\":1}" \
    >/dev/null || { echo "POST /sinks failed" >&2; tail -20 "$WORK/framewire.log" >&2; exit 1; }
  echo "MQTT sink 'bench' → mosquitto $(/usr/sbin/mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') on port $MQTT_PORT, QoS 1"
fi

printf '%5s %8s %9s %9s %9s %8s %8s %10s %9s %10s %6s %8s\n' round pipeline results/s p50_ms p99_ms max_ms errors \
  stored/s dropped mqtt_sent/s lag ratio
for r in $(seq "$ROUNDS"); do
  order="base events"
  if ((r % 2 == 0)); then order="events base"; fi
  for p in $order; do
    stored0=$(metric events_stored_total)
    sent0=$(metric 'sink_deliveries_total{sink="bench",outcome="delivered",}')
    run "$p" "$WORK/r$r-$p.json"
    stored=$(awk -v a="$stored0" -v b="$(metric events_stored_total)" -v t=$((DURATION + 5)) 'BEGIN { printf "%.1f", (b - a) / t }')
    sent=$(awk -v a="$sent0" -v b="$(metric 'sink_deliveries_total{sink="bench",outcome="delivered",}')" \
      -v t=$((DURATION + 5)) 'BEGIN { printf "%.1f", (b - a) / t }')
    lag=$(metric 'sink_lag_events{sink="bench",}')
    dropped=$(metric 'events_dropped_total{reason="queue_full",}')
    f="$WORK/r$r-$p.json"
    ratio=""
    if [[ -f "$WORK/r$r-base.json" && -f "$WORK/r$r-events.json" && "$p" == "${order##* }" ]]; then
      ratio=$(awk -v e="$(json_field "$WORK/r$r-events.json" latency_ms.p99)" -v b="$(json_field "$WORK/r$r-base.json" latency_ms.p99)" 'BEGIN { printf "%.3f", e / b }')
    fi
    printf '%5s %8s %9.1f %9s %9s %9s %8s %10s %9s %10s %6s %8s\n' "$r" "$p" "$(json_field "$f" results_per_s)" \
      "$(json_field "$f" latency_ms.p50)" "$(json_field "$f" latency_ms.p99)" "$(json_field "$f" latency_ms.max)" \
      "$(json_field "$f" errors)" "$stored" "$dropped" "$sent" "$lag" "$ratio"
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
