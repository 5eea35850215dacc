#!/usr/bin/env bash
# thread_cpu.sh snapshot PID FILE | thread_cpu.sh diff BEFORE AFTER
# Per-thread CPU of a JVM from /proc/PID/task/*/stat, grouped by thread name (Java's, from jcmd,
# else the OS's first 15 characters) without trailing digits, split into user and system time. JFR
# samples only threads running Java code; this shows where the rest goes (kernel time in socket
# calls and thread wake-ups, GC, JIT, native code such as ONNX Runtime's runs).
set -euo pipefail
case "$1" in
  snapshot)
    # Java's thread names (the OS keeps only 15 characters) by native id, where jcmd can read them.
    declare -A java_name=()
    while read -r nid name; do
      java_name[$((nid))]="${name// /_}"
    done < <(jcmd "$2" Thread.print 2>/dev/null | sed -n 's/^"\([^"]*\)".* nid=\(0x[0-9a-f]*\).*/\2 \1/p')
    for f in /proc/"$2"/task/*/stat; do
      # comm may contain spaces; fields after ") " are: state ppid ... utime(12) stime(13)
      line=$(cat "$f" 2>/dev/null) || continue
      tid=${line%% *}
      name=${java_name[$tid]:-$(sed 's/^[0-9]* (\(.*\)) .*/\1/' <<<"$line" | tr ' ' '_')}
      echo "$tid $name $(sed 's/^.*) //' <<<"$line" | awk '{print $12, $13}')"
    done >"$3"
    ;;
  diff)
    hz=$(getconf CLK_TCK)
    awk -v hz="$hz" 'NR==FNR {u[$1]=$3; s[$1]=$4; next}
      {du=$3-u[$1]; ds=$4-s[$1]; g=$2; sub(/[-_#0-9]+$/, "", g); U[g]+=du; S[g]+=ds; TU+=du; TS+=ds}
      END {printf "%-40s %9s %9s\n", "thread group", "user s", "system s";
           for (g in U) if (U[g]+S[g] > 0) printf "%-40s %9.2f %9.2f\n", g, U[g]/hz, S[g]/hz | "sort -k2 -rn";
           close("sort -k2 -rn");
           printf "%-40s %9.2f %9.2f\n", "TOTAL", TU/hz, TS/hz}' "$2" "$3"
    ;;
  *) echo "usage: $0 snapshot PID FILE | diff BEFORE AFTER" >&2; exit 2 ;;
esac
