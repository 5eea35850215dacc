#!/usr/bin/env bash
# Overload without casualties on a model, live cameras (docs/benchmarks.md, "Overload on a model"):
# the YOLOv8n-sized batch-1 model (make_models.py) behind INFERENCE_QUEUE_SIZE=4. First what the
# model serves (C results/s) with one closed-loop session per concurrent run; then 3 x (queue +
# concurrent runs) live cameras (ffmpeg serving 320x240 testsrc2 MPEG-TS over tcp://, all intra),
# each at C / (that / 3) fps: three times what the model serves, for SECONDS, each with a watcher on
# /ws/sources/{id}. Expected: no camera stops or reconnects, every decoded frame is processed or
# dropped (latest-frame-wins), the model refuses frames when its queue is full
# (inference_busy_frames_total), and the answers' staleness stays flat: p99 of the first fifth ~
# p99 of the last. Staleness of an answer = how far its frame is behind the camera's newest decoded
# frame when the answer arrives, in seconds of video: (frames decoded by then - 1 - frame_index) / fps,
# the decoded count read from GET /sources every 0.25 s and interpolated. This is what framewire adds
# (decode to answer); whether decoding kept up with the cameras' pace is reported beside it
# ("decode pace": frames decoded in the window / (cameras x fps x window), 1.0 = kept up). An earlier
# version timed frames by frame_index / fps, which also counted the cameras' own pacing lag.
#   scripts/bench/overload_cameras.sh [SECONDS=60]
# Env: MODEL (yolov8n_b1). Needs Debian's python3-websockets (scripts/test.sh installs it).
source "$(dirname "$0")/common.sh"
require_jar
DURATION="${1:-60}"
MODEL="${MODEL:-yolov8n_b1}"
QUEUE=4
machine
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$WORK/models"
yolov8n_sized_models "$WORK/models"
ffmpeg -loglevel error -f lavfi -i testsrc2=size=320x240:rate=1 -frames:v 1 -q:v 3 "$WORK/frame.jpg"
write_pipeline "$WORK/pipelines" detect '{"id":"detect","name":"detect","nodes":[{"id":"objects","plugin_id":"onnx","tool_id":"detect","params":{"model":"'"$MODEL"'.onnx"}}],"edges":[],"entry_nodes":["objects"],"output_nodes":["objects"]}'
PORT=$(free_port)
MODELS_DIR="$WORK/models" PIPELINES_DIR="$WORK/pipelines" SOURCES_MAX=64 INFERENCE_QUEUE_SIZE=$QUEUE \
  start_framewire "$PORT" "$WORK/server.log"
runs=$(curl -s "http://127.0.0.1:$PORT/models" | grep -o '"concurrent_runs":[0-9]*' | cut -d: -f2)
load --url "ws://127.0.0.1:$PORT/ws/video/stream?pipeline_id=detect" --sessions "$runs" --jpeg "$WORK/frame.jpg" \
  --duration 10s --warmup 3s --progress 0 --json >"$WORK/capacity.json"
capacity=$(json_field "$WORK/capacity.json" results_per_s)
cameras=$((3 * (QUEUE + runs)))
fps=$(awk -v c="$capacity" -v s="$cameras" 'BEGIN {printf "%.2f", c / (s / 3)}')
echo "model serves $capacity results/s with $runs closed-loop session(s) ($runs concurrent run(s)); queue $QUEUE"
echo "offering $cameras cameras x $fps fps = $(awk -v s="$cameras" -v f="$fps" 'BEGIN {print s * f}') fps for ${DURATION} s"

ids=()
for n in $(seq "$cameras"); do
  port=$(free_port)
  ffmpeg -hide_banner -nostdin -loglevel error -re -f lavfi -i "testsrc2=size=320x240:rate=$fps" \
    -c:v mpeg2video -g 1 -q:v 4 -f mpegts "tcp://127.0.0.1:$port?listen=1" >"$WORK/camera$n.log" 2>&1 &
  SERVER_PIDS+=("$!")
  sleep 0.2
  curl -sf -X POST -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/sources" \
    -d "{\"id\":\"cam$n\",\"url\":\"tcp://127.0.0.1:$port\",\"pipeline_id\":\"detect\"}" >/dev/null ||
    { echo "POST /sources cam$n failed" >&2; exit 1; }
  ids+=("cam$n")
done
sleep 5 # every camera open and past its first frames before the measured window
busy0=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^inference_busy_frames_total/ { n += $2 } END { printf "%d", n }')
/usr/bin/python3 - "$PORT" "$DURATION" "$fps" "${ids[@]}" >"$WORK/watch.txt" <<'PY'
import asyncio, json, sys, time, urllib.request
import websockets

port, duration, fps, ids = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4:]
answers = {i: [] for i in ids}  # (arrival, frame_index)
decoded = []  # (time, {id: frames_decoded})
start = None

def read_sources():
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/sources", timeout=5) as response:
        listed = json.load(response)
    listed = listed.get("sources", listed) if isinstance(listed, dict) else listed
    return {s["id"]: s["frames_decoded"] for s in listed}

async def poll():
    while time.monotonic() - start < duration + 0.5:
        before = time.monotonic()
        counts = await asyncio.to_thread(read_sources)
        decoded.append(((before + time.monotonic()) / 2, counts))
        await asyncio.sleep(0.25)

def decoded_at(source_id, t):
    """Frames the camera had decoded at time t, interpolated between two readings."""
    for (t0, c0), (t1, c1) in zip(decoded, decoded[1:]):
        if t0 <= t <= t1:
            a, b = c0.get(source_id, 0), c1.get(source_id, 0)
            return a + (b - a) * (t - t0) / (t1 - t0) if t1 > t0 else b
    return None

async def watch(ws, source_id):
    try:
        while time.monotonic() - start < duration:
            try:
                message = await asyncio.wait_for(ws.recv(), timeout=1)
            except asyncio.TimeoutError:
                continue
            answer = json.loads(message)
            if "result" in answer:
                answers[source_id].append((time.monotonic(), answer["frame_index"]))
    finally:
        await ws.close()

async def main():
    global start
    # Every watcher connected before the window starts, so its first fifth is as full as the others.
    sockets = await asyncio.gather(*(websockets.connect(f"ws://127.0.0.1:{port}/ws/sources/{i}", max_size=None) for i in ids))
    start = time.monotonic()
    await asyncio.gather(poll(), *(watch(ws, i) for ws, i in zip(sockets, ids)))

asyncio.run(main())
fifths = [[] for _ in range(5)]
for source_id, seen in answers.items():
    for arrival, index in seen:
        newest = decoded_at(source_id, arrival)
        if newest is not None:
            fifths[min(4, int((arrival - start) / duration * 5))].append(max(0.0, (newest - 1 - index) / fps))
first, last = decoded[0], decoded[-1]
pace = sum(last[1].get(i, 0) - first[1].get(i, 0) for i in ids) / (len(ids) * fps * (last[0] - first[0]))
print("decode_pace", round(pace, 3))
def p99(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(0.99 * len(values)))] if values else float("nan")
everything = [v for f in fifths for v in f]
print("answers", len(everything))
print("staleness_p50_s", round(sorted(everything)[len(everything) // 2], 3) if everything else "nan")
print("staleness_p99_s", round(p99(everything), 3))
print("p99_by_fifth_s", " ".join(str(round(p99(f), 3)) for f in fifths))
print("p99_last/first", round(p99(fifths[4]) / p99(fifths[0]), 2) if fifths[0] and p99(fifths[0]) > 0 else "nan")
PY
cat "$WORK/watch.txt"
busy=$(curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^inference_busy_frames_total/ { n += $2 } END { printf "%d", n }')
echo "inference_busy_frames_total during the window: $((busy - busy0))"
curl -s "http://127.0.0.1:$PORT/sources" | /usr/bin/python3 -c '
import json, sys
sources = json.load(sys.stdin)
sources = sources.get("sources", sources) if isinstance(sources, dict) else sources
states = {}
for s in sources:
    states[s["state"]] = states.get(s["state"], 0) + 1
decoded = sum(s["frames_decoded"] for s in sources)
processed = sum(s["frames_processed"] for s in sources)
dropped = sum(s["frames_dropped"] for s in sources)
print("cameras by state", states, "reconnects", sum(s["reconnects"] for s in sources))
print("frames decoded", decoded, "processed", processed, "dropped", dropped,
      "unaccounted", decoded - processed - dropped, "(at most one in flight per camera)")'
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
