#!/usr/bin/env bash
# Tracking accuracy: track/bytetrack (default params) against a greedy IoU tracker on generated
# scenes (TrackingBenchScenes.crowd: occlusions, misses, label flicker, low scores, false positives);
# MOTA, IDF1 and ID switches per seed. Deterministic: the same arguments give the same numbers.
#   scripts/bench/tracking_accuracy.sh [objects frames seeds..., default: 20 600 1 2 3 4 5]
set -euo pipefail
cd "$(dirname "$0")/../.."
ARGS="${*:-20 600 1 2 3 4 5}"
timeout 900 mvn -q -Pbench -DskipTests test-compile exec:exec@tracking-accuracy -Dtracking.args="$ARGS"
