#!/usr/bin/env bash
# jfr_top.sh FILE.jfr [N=25]: top methods of jdk.ExecutionSample by self and inclusive samples.
set -euo pipefail
FILE="$1"
N="${2:-25}"
SAMPLES="$(mktemp)"
trap 'rm -f "$SAMPLES"' EXIT
jfr print --events jdk.ExecutionSample --stack-depth 64 "$FILE" >"$SAMPLES"
total=$(grep -c 'jdk.ExecutionSample' "$SAMPLES" || true)
echo "execution samples: $total"
echo "--- top $N by self samples (the frame on top of the stack)"
awk '/stackTrace = \[/ {getline; sub(/^ +/, ""); sub(/ +line:.*/, ""); print}' "$SAMPLES" |
  sort | uniq -c | sort -rn | head -"$N"
echo "--- top $N by inclusive samples (anywhere in the stack, once per sample)"
awk '/stackTrace = \[/ {in_st=1; delete seen; next}
     in_st && /^ *\]/ {in_st=0; next}
     in_st {line=$0; sub(/^ +/, "", line); sub(/ +line:.*/, "", line); if (!(line in seen)) {seen[line]=1; print line}}' "$SAMPLES" |
  sort | uniq -c | sort -rn | head -"$N"
