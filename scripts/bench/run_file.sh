#!/usr/bin/env bash
# `framewire run echo` and `run motion` on a 60 s 720p H.264 file (1800 frames, 30 fps; made here by
# Debian's ffmpeg from its testsrc2 pattern, libx264 veryfast): frames/s and CPU, JVM start included
# (the whole command, wall and user+sys from /usr/bin/time) and excluded (the run's own "N frames,
# F fps" progress line, timed from after start-up to the last result; CPU: whole command minus a
# start-up-only run with --max-frames 1). References in the same run, for ratios: Debian's ffmpeg
# decoding the same file (to nothing; to RGB24, what framewire hands the tools; and re-encoding each
# frame as JPEG, the Python original's per-frame work).
#   scripts/bench/run_file.sh [RUNS=3]
source "$(dirname "$0")/common.sh"
require_jar
RUNS="${1:-3}"
machine
VIDEO="$WORK/720p60s.mp4"
ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 -t 60 \
  -c:v libx264 -preset veryfast -pix_fmt yuv420p "$VIDEO"
echo "video: $(du -h "$VIDEO" | cut -f1), $(ffprobe -v error -count_frames -select_streams v:0 \
  -show_entries stream=nb_read_frames,width,height -of csv=p=0 "$VIDEO") (width,height,frames)"

timed() { # timed NAME CMD...: prints NAME wall user sys (s), one line per run
  local name="$1"
  shift
  /usr/bin/time -f "$name %e %U %S" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr"
  cat "$WORK/time"
}

# The JVM-side numbers need the natives extracted once (~/.javacpp/cache): a first run does that.
java -jar "$JAR" run echo "$VIDEO" --max-frames 1 >/dev/null

printf '%-26s %8s %8s %8s %10s %12s\n' what wall_s user_s sys_s frames/s "in-run fps"
for _ in $(seq "$RUNS"); do
  for line in \
      "$(timed ffmpeg-decode ffmpeg -hide_banner -nostdin -i "$VIDEO" -f null -)" \
      "$(timed ffmpeg-decode-rgb24 ffmpeg -hide_banner -nostdin -i "$VIDEO" -pix_fmt rgb24 -f null -)" \
      "$(timed ffmpeg-decode-jpeg ffmpeg -hide_banner -nostdin -i "$VIDEO" -c:v mjpeg -q:v 5 -f image2pipe -)" \
      "$(timed run-startup-only java -jar "$JAR" run echo "$VIDEO" --max-frames 1)"; do
    read -r name wall user sys <<<"$line"
    frames=1800; [[ "$name" == run-startup-only ]] && frames=1
    printf '%-26s %8s %8s %8s %10.0f %12s\n' "$name" "$wall" "$user" "$sys" "$(awk -v f="$frames" -v w="$wall" 'BEGIN{print f/w}')" "-"
  done
  for pipeline in echo motion; do
    line="$(timed "run-$pipeline" java -jar "$JAR" run "$pipeline" "$VIDEO" --progress)"
    read -r name wall user sys <<<"$line"
    inrun="$(tail -1 "$WORK/stderr" | sed -n 's/^\([0-9]*\) frames, \([0-9.]*\) fps.*/\2/p')"
    frames="$(tail -1 "$WORK/stderr" | sed -n 's/^\([0-9]*\) frames.*/\1/p')"
    [[ "$frames" == 1800 ]] || { echo "run $pipeline: expected 1800 frames, got: $(tail -1 "$WORK/stderr")" >&2; exit 1; }
    printf '%-26s %8s %8s %8s %10.0f %12s\n' "$name" "$wall" "$user" "$sys" "$(awk -v w="$wall" 'BEGIN{print 1800/w}')" "$inrun"
  done
done
