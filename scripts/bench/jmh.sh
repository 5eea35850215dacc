#!/usr/bin/env bash
# Benchmark 6: JMH micro-benchmarks (validator, JSON encoding, DAG dispatch), built only with -Pbench.
#   scripts/bench/jmh.sh [JMH arguments, default: -f 1 -wi 3 -w 2s -i 5 -r 2s]
set -euo pipefail
cd "$(dirname "$0")/../.."
ARGS="${*:--f 1 -wi 3 -w 2s -i 5 -r 2s}"
timeout 1800 mvn -q -Pbench -DskipTests test-compile exec:exec@jmh -Djmh.args="$ARGS"
