#!/usr/bin/env bash
# A burst of connections over the per-address limit, and the honest client queued behind it.
# Per round (io.framewire.bench.ConnectionBurst): 127.0.0.2 first holds its LIMIT connections, then,
# with the server stopped (SIGSTOP), opens N more (each sending an unfinished request) and 127.0.0.1
# sends GET /health last into the same accept queue; the server is resumed and the round reports
# how fast the N were refused (connections/s, until the last was closed), the server's CPU time per
# refusal (all its threads; what bounds the rate on a quiet machine) and when /health answered.
# The reference in the same run: a bare Java loop that accepts and resets (SO_LINGER 0) every
# connection, the same N, no HTTP (its /health is reset: health_status=closed).
#   scripts/bench/connection_burst.sh [ROUNDS=5] [N=1500]
# BASE_JAR=path/to/other/framewire.jar measures that jar too (e.g. main's, built in another checkout).
source "$(dirname "$0")/common.sh"
require_jar
ROUNDS="${1:-5}"
N="${2:-1500}"
LIMIT="${CONNECTION_MAX_PER_ADDRESS:-256}"
machine
echo "burst of $N over a per-address limit of $LIMIT, $ROUNDS rounds; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

tool() {
  timeout 900 java -cp "$JAR" io.framewire.bench.ConnectionBurst "$@"
}

summary() { # summary NAME FILE: medians and ranges of the rounds' rate and /health time
  awk "$AWK_MEDIAN"'
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      r[NR] = v["rate_per_s"]; h[NR] = v["health_ms"]; c[NR] = v["server_cpu_us_per_refusal"]; s = s " " v["health_status"] }
    END {
      lo = r[1]; hi = r[1]; hl = h[1]; hh = h[1]
      for (i = 1; i <= NR; i++) { if (r[i] < lo) lo = r[i]; if (r[i] > hi) hi = r[i]; if (h[i] < hl) hl = h[i]; if (h[i] > hh) hh = h[i] }
      printf "%-10s refusals median %7.0f/s (%.0f-%.0f), server CPU %6.1f us each   first /health median %7.1f ms (%.1f-%.1f)  [%s ]\n",
        name, median(r, NR), lo, hi, median(c, NR), median(h, NR), hl, hh, s
    }' name="$1" "$2"
}

run_framewire() { # run_framewire NAME JAR
  local port log
  port=$(free_port)
  log="$WORK/$1.log"
  JAR="$2" CONNECTION_MAX_PER_ADDRESS="$LIMIT" CONNECTION_HEADER_TIMEOUT_MS=60000 start_framewire "$port" "$log"
  tool burst "$port" "$N" "$LIMIT" "$SERVER_PID" "$ROUNDS" | tee "$WORK/$1"
  stop_server "$SERVER_PID"
}

port=$(free_port)
java -cp "$JAR" io.framewire.bench.ConnectionBurst reset-server "$port" >"$WORK/reference.log" 2>&1 &
SERVER_PID=$!
SERVER_PIDS+=("$SERVER_PID")
wait_port "$port" 30
tool burst "$port" "$N" 0 "$SERVER_PID" "$ROUNDS" | tee "$WORK/reference"
stop_server "$SERVER_PID"

run_framewire framewire "$JAR"
if [[ -n "${BASE_JAR:-}" ]]; then
  run_framewire base "$BASE_JAR"
fi

echo
summary reference "$WORK/reference"
summary framewire "$WORK/framewire"
if [[ -n "${BASE_JAR:-}" ]]; then summary base "$WORK/base"; fi
awk "$AWK_MEDIAN"'
  FNR == 1 { f++ }
  { for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "rate_per_s") r[f, FNR] = kv[2] } n[f] = FNR }
  END {
    for (i = 1; i <= n[1]; i++) a[i] = r[1, i]; for (i = 1; i <= n[2]; i++) b[i] = r[2, i]
    printf "framewire refusal rate / reference: %.2f (medians)\n", median(b, n[2]) / median(a, n[1])
  }' "$WORK/reference" "$WORK/framewire"
