#!/usr/bin/env bash
# The levers of the echo path, one at a time: framewire's `echo` pipeline (4 sessions, closed loop,
# 21 KB JPEG, as echo_cpu.sh) with the shipped configuration and with each lever changed by JVM
# options alone, fresh JVM each, in turns over ROUNDS rounds. Reports per lever the median over the
# rounds of server CPU per answered frame, context switches per frame, and the ratio to `shipped`
# measured in the same round.
# `shipped` is the JVM options bin/framewire passes (FRAMEWIRE_GC=parallel, read from the launcher
# itself so they cannot drift from it); `java-jar` is `java -jar` with the JVM's defaults (G1 on a
# server-class machine); `bin-framewire-g1`/`-serial` are the launcher's options for those collectors.
#   scripts/bench/echo_levers.sh [SECONDS=15] [WARMUP_SECONDS=20]      (ROUNDS=1, LEVERS="a b …")
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-15}"
WARMUP="${2:-20}"
ROUNDS="${ROUNDS:-1}"
FJ="-Dpekko.actor.default-dispatcher.fork-join-executor"
SHIPPED="$(launcher_opts parallel)"
# Each lever is one change from `shipped` (bin/framewire's JVM options: what the README runs); the
# bin-framewire-* and java-jar levers replace those options instead (one collector per JVM).
declare -A OPTS=(
  [shipped]=""
  [java-jar]=""
  [pekko-ws-layer]="-Dframewire.stream.websocket-layer=pekko"
  [pekko-defaults]="-Dpekko.io.tcp.worker-dispatcher=pekko.actor.internal-dispatcher $FJ.parallelism-min=8"
  [tcp-own-pool]="-Dpekko.io.tcp.worker-dispatcher=pekko.actor.internal-dispatcher"
  [one-thread]="$FJ.parallelism-min=1 $FJ.parallelism-max=1"
  [throughput-100]="-Dpekko.actor.default-dispatcher.throughput=100"
  [affinity-pool]="-Dpekko.actor.default-dispatcher.executor=affinity-pool-executor -Dpekko.actor.default-dispatcher.affinity-pool-executor.parallelism-min=2 -Dpekko.actor.default-dispatcher.affinity-pool-executor.parallelism-max=2"
  [no-ws-keepalive]="-Dpekko.http.server.websocket.periodic-keep-alive-max-idle=infinite"
  [bin-framewire-g1]="$(launcher_opts g1)"
  [bin-framewire-serial]="$(launcher_opts serial)"
)
LEVERS="${LEVERS:-shipped java-jar pekko-ws-layer pekko-defaults tcp-own-pool one-thread throughput-100 affinity-pool no-ws-keepalive bin-framewire-g1 bin-framewire-serial}"
machine

for round in $(seq "$ROUNDS"); do
  for lever in $LEVERS; do
    PORT=$(free_port)
    base="$SHIPPED"
    case "$lever" in java-jar | bin-framewire-*) base="" ;; esac
    # shellcheck disable=SC2086
    start_framewire "$PORT" "$WORK/$lever.log" $base ${OPTS[$lever]} ${JAVA_OPTS:-}
    measure_cpu "$SERVER_PID" "ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=echo" "$WORK/$lever.$round.json"
    threads=$(ls "/proc/$SERVER_PID/task" | wc -l)
    stop_server "$SERVER_PID"
    echo "$round $lever $CPU_US_PER_FRAME $CS_PER_FRAME $threads $(json_field "$WORK/$lever.$round.json" latency_ms.p99)" |
      tee -a "$WORK/levers" | awk '{printf "round %s %-20s CPU %6.1f us/frame  ctx switches %4.1f/frame  threads %3d  p99 %s ms\n", $1, $2, $3, $4, $5, $6}'
  done
done

echo "--- median over $ROUNDS round(s); ratio = lever / shipped in the same round"
awk -v levers="$LEVERS" "$AWK_MEDIAN"'
  {cpu[$1, $2] = $3; cs[$1, $2] = $4; if ($1 > rounds) rounds = $1}
  END {
    printf "%-20s %14s %16s %10s\n", "lever", "CPU us/frame", "ctx sw/frame", "vs shipped"
    n = split(levers, names, " ")
    for (i = 1; i <= n; i++) {
      l = names[i]; k = 0; delete a; delete b; delete r
      for (round = 1; round <= rounds; round++) {
        if ((round, l) in cpu) { k++; a[k] = cpu[round, l]; b[k] = cs[round, l]; r[k] = cpu[round, l] / cpu[round, "shipped"] }
      }
      if (k) printf "%-20s %14.1f %16.1f %9.2fx\n", l, median(a, k), median(b, k), median(r, k)
    }
  }' "$WORK/levers"
