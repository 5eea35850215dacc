#!/usr/bin/env bash
# The model-bound benchmark on an NVIDIA GPU (docs/benchmarks.md, "Model-bound throughput", GPU
# columns): ONNX Runtime alone vs framewire end to end with INFERENCE_PROVIDER=cuda, batching
# measured at load (INFERENCE_MAX_BATCH=auto), forced on (16) and off (1). No Maven at run time: the
# built target/framewire.jar, with the onnxruntime_gpu jar first on the classpath (its classes and
# natives win over the CPU runtime's in the fat jar; the same version, so the same Java API).
#   scripts/bench/gpu_inference.sh ORT_GPU_JAR [SECONDS=15] [ROUNDS=2]
# Needs on the machine: JDK 17+ (java, jcmd); target/framewire.jar (built anywhere with
# `mvn -DskipTests package`); ORT_GPU_JAR = com.microsoft.onnxruntime:onnxruntime_gpu:1.29.0 (the
# pom's onnxruntime.version); the NVIDIA driver and the CUDA 12 / cuDNN 9 libraries that ONNX Runtime
# 1.29 needs, findable by the dynamic loader (LD_LIBRARY_PATH); /usr/bin/python3 with onnx and numpy
# (the models are generated); ffmpeg (the test frame; or FRAME=some.jpg); curl.
# Env: SESSIONS (default "4 16"), MODELS as model_bound.sh, BATCHES (default "auto 16 1").
set -euo pipefail
ORT_GPU_JAR="$(realpath "${1:?usage: gpu_inference.sh ORT_GPU_JAR [SECONDS] [ROUNDS]}")"
DURATION="${2:-15}"
ROUNDS="${3:-2}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JAR="${JAR:-$ROOT/target/framewire.jar}"
[[ -f "$JAR" ]] || { echo "no $JAR: build it with mvn -DskipTests package" >&2; exit 2; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
export PROVIDER=cuda LIMIT_CP="$ORT_GPU_JAR:$JAR" FRAMEWIRE_CP="$ORT_GPU_JAR:$JAR"
for sessions in ${SESSIONS:-4 16}; do
  for batch in ${BATCHES:-auto 16 1}; do
    echo "=== INFERENCE_PROVIDER=cuda INFERENCE_MAX_BATCH=$batch, $sessions sessions"
    # The limit of the dynamic-batch model is also measured at batch 16 (a GPU's best case).
    INFERENCE_MAX_BATCH="$batch" SESSIONS="$sessions" LIMIT_BATCH_DYN=16 \
      "$ROOT/scripts/bench/model_bound.sh" "$DURATION" "$ROUNDS"
  done
done
