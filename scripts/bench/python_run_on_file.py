#!/usr/bin/env python3
"""The Python original's run_on_file() per-frame work, for scripts/bench/run_file.sh to time.

The original (ForgeSyte, shared/seed) decodes a video with OpenCV (cv2.VideoCapture: FFmpeg's
decoder, frames converted to BGR24), encodes each frame as JPEG (cv2.imencode) and hands the bytes to
run_on_frame(), whose result is one dict per frame. With OpenCV importable it does exactly that.
Without it (this machine: no cv2), it emulates that work with what is installed: FFmpeg decodes to
BGR24 frames read into numpy arrays (what VideoCapture.read() returns), and a second FFmpeg encodes
each frame to JPEG (mjpeg, quality 5 of 31, about libjpeg's 90) that Python reads back as bytes.
Either way it prints one JSON line per frame, like `framewire run`.

    python3 scripts/bench/python_run_on_file.py VIDEO [--pipeline echo]
"""
import json
import subprocess
import sys
import threading

import numpy as np


def run_on_frame(pipeline_id, frame_index, frame_bytes):
    # The echo pipeline: the frame's index and byte size (framewire's debug/echo for JPEG frames).
    return {"frame_index": frame_index, "bytes": len(frame_bytes)}


def frames_opencv(path):
    import cv2
    capture = cv2.VideoCapture(path)
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        ok, jpeg = cv2.imencode(".jpg", frame)
        yield jpeg.tobytes()
    capture.release()


def probe(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height", "-of", "csv=p=0", path],
                         check=True, capture_output=True, text=True).stdout.strip()
    width, height = out.split(",")[:2]
    return int(width), int(height)


def frames_ffmpeg(path):
    width, height = probe(path)
    size = width * height * 3
    decoder = subprocess.Popen(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-f", "rawvideo",
                                "-pix_fmt", "bgr24", "-"], stdout=subprocess.PIPE, bufsize=size)
    encoder = subprocess.Popen(["ffmpeg", "-v", "error", "-f", "rawvideo", "-pix_fmt", "bgr24",
                                "-s", f"{width}x{height}", "-i", "-", "-c:v", "mjpeg", "-q:v", "5",
                                "-f", "image2pipe", "-"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=1 << 20)

    def feed():
        # One frame at a time, as cap.read() gives it: a numpy array, then its bytes to the encoder.
        while True:
            raw = decoder.stdout.read(size)
            if len(raw) < size:
                break
            frame = np.frombuffer(raw, dtype=np.uint8).reshape(height, width, 3)
            encoder.stdin.write(frame.tobytes())
        encoder.stdin.close()

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    # Split the encoder's output into JPEGs at their end-of-image markers (FF D9; entropy-coded data
    # escapes FF as FF 00, so FF D9 only ends an image).
    buffer = b""
    while True:
        chunk = encoder.stdout.read1(1 << 20)
        if not chunk:
            break
        buffer += chunk
        while True:
            end = buffer.find(b"\xff\xd9")
            if end < 0:
                break
            yield buffer[:end + 2]
            buffer = buffer[end + 2:]
    feeder.join()
    decoder.wait()
    encoder.wait()


def run_on_file(path, pipeline_id="echo"):
    try:
        import cv2  # noqa: F401
        frames = frames_opencv(path)
    except ImportError:
        frames = frames_ffmpeg(path)
    out = sys.stdout
    for index, jpeg in enumerate(frames):
        out.write(json.dumps({"frame_index": index, "result": run_on_frame(pipeline_id, index, jpeg)}))
        out.write("\n")


if __name__ == "__main__":
    args = sys.argv[1:]
    pipeline = "echo"
    if "--pipeline" in args:
        i = args.index("--pipeline")
        pipeline = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    run_on_file(args[0], pipeline)
