#!/usr/bin/env bash
# Scaling benchmark (docs/scaling.md): a CPU-heavy pipeline (debug/spin, a fixed CPU time per frame,
# placement worker) on 1 process vs 1 front + 2 workers as separate JVMs on this machine; then the
# cost of one remote hop: p50 of a 1-node pipeline (debug/echo, placement worker) on 1 process vs
# a front + 1 worker, and the bytes on the wire per frame each way (ss counters of the Artery sockets).
#   scripts/bench/cluster.sh [SECONDS=20] [SESSIONS=8] [SPIN_MS=20]
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-20}"
SESSIONS="${2:-8}"
SPIN_MS="${3:-20}"
machine
write_pipeline "$WORK/pipelines" spin "{\"id\":\"spin\",\"name\":\"spin\",\"nodes\":[{\"id\":\"s\",\"plugin_id\":\"debug\",\"tool_id\":\"spin\",\"params\":{\"ms\":$SPIN_MS},\"placement\":\"worker\"}],\"edges\":[],\"entry_nodes\":[\"s\"],\"output_nodes\":[\"s\"]}"
write_pipeline "$WORK/pipelines" hop '{"id":"hop","name":"hop","nodes":[{"id":"e","plugin_id":"debug","tool_id":"echo","placement":"worker"}],"edges":[],"entry_nodes":["e"],"output_nodes":["e"]}'
export PIPELINES_DIR="$WORK/pipelines" CLUSTER_HOST=127.0.0.1

# start_node NAME ROLES CLUSTER_PORT SEED_PORT: a cluster node (HTTP on a free port); sets NODE_HTTP.
start_node() {
  local name="$1" roles="$2" cport="$3" seed="$4"
  NODE_HTTP=$(free_port)
  FRAMEWIRE_ROLES="$roles" CLUSTER_PORT="$cport" CLUSTER_SEED_NODES="127.0.0.1:$seed" \
    start_framewire "$NODE_HTTP" "$WORK/$name.log"
}

# await_workers HTTP_PORT N: until the front's /health shows N reachable workers (bounded).
await_workers() {
  local deadline=$((SECONDS + 90))
  until curl -s "http://127.0.0.1:$1/health" | grep -q "\"workers_reachable\":$2"; do
    ((SECONDS < deadline)) || { echo "front never saw $2 workers" >&2; exit 1; }
    sleep 0.5
  done
}

# wire_bytes PORT: bytes received so far on the established sockets whose local port is PORT.
wire_bytes() {
  ss -tinH state established "( sport = :$1 )" | grep -o 'bytes_received:[0-9]*' | cut -d: -f2 |
    awk '{n += $1} END {print n + 0}'
}

run() { # run LABEL PORT PIPELINE SESSIONS FPS
  local out="$WORK/$1.json"
  load --url "ws://127.0.0.1:$2/ws/video/stream?pipeline_id=$3" --sessions "$4" --fps "$5" \
    --duration "${DURATION}s" --warmup 5s --progress 0 --json >"$out" || true
  printf '%-34s %10.1f %9s %9s %8s %s\n' "$1" "$(json_field "$out" results_per_s)" \
    "$(json_field "$out" latency_ms.p50)" "$(json_field "$out" latency_ms.p99)" \
    "$(json_field "$out" errors)" "$(errors_by_code "$out")"
}

printf '%-34s %10s %9s %9s %8s\n' setup results/s p50_ms p99_ms errors
# 1. One process (front and worker roles, no cluster): every node local.
PORT=$(free_port)
start_framewire "$PORT" "$WORK/single.log"
run "spin ${SPIN_MS}ms, 1 process" "$PORT" spin "$SESSIONS" 0
run "hop (echo), 1 process" "$PORT" hop 1 50
stop_server "$SERVER_PID"

# 2. A front and one worker: the remote hop and its bytes.
SEED=$(free_port); W1=$(free_port)
start_node front front "$SEED" "$SEED"; FRONT_HTTP=$NODE_HTTP; FRONT_PID=$SERVER_PID
start_node w1 worker "$W1" "$SEED"; W1_PID=$SERVER_PID
await_workers "$FRONT_HTTP" 1
to_worker=$(wire_bytes "$W1"); to_front=$(wire_bytes "$SEED")
run "hop (echo), front + 1 worker" "$FRONT_HTTP" hop 1 50
frames=$(json_field "$WORK/hop (echo), front + 1 worker.json" results)
to_worker=$(( $(wire_bytes "$W1") - to_worker )); to_front=$(( $(wire_bytes "$SEED") - to_front ))
# The warm-up's frames crossed the wire too: count them from the front's metrics.
calls=$(curl -s "http://127.0.0.1:$FRONT_HTTP/metrics" | awk '/^remote_node_calls_total\{outcome="ok"/ {print int($2)}')
echo "hop bytes: $calls remote calls; front->worker $to_worker B ($((to_worker / calls)) B/frame), worker->front $to_front B ($((to_front / calls)) B/frame); jpeg $(json_field "$WORK/hop (echo), front + 1 worker.json" jpeg_bytes) B"

# 3. The same front with a second worker: the CPU-heavy pipeline spread over two worker JVMs.
W2=$(free_port)
start_node w2 worker "$W2" "$SEED"
await_workers "$FRONT_HTTP" 2
run "spin ${SPIN_MS}ms, front + 2 workers" "$FRONT_HTTP" spin "$SESSIONS" 0
