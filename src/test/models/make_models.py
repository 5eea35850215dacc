#!/usr/bin/env python3
"""Builds the small ONNX models the tests and benchmarks use, with known outputs.

Run from the repository root with Debian's python3-onnx (apt-get install python3-onnx):

    /usr/bin/python3 src/test/models/make_models.py

It writes src/test/resources/models/*.onnx. The generated files are committed, so neither the
tests nor CI run this script; rerun it only to change a model (the output is deterministic).

Models (NCHW float32 input named "images", values 0..1, like Ultralytics exports):
  yolov8_const.onnx   [N,3,64,64] -> [N, 4+3, 16] constant boxes (YOLOv8 layout), names metadata
  yolov5_const.onnx   [N,3,64,64] -> [N, 16, 5+3] the same boxes in YOLOv5 layout with objectness
  yolov8_batch1.onnx  [1,3,64,64] -> [1, 4+3, 16] as yolov8_const, batch dimension fixed at 1
  classify_means.onnx [N,3,32,32] -> [N,3]        softmax of the per-channel means (probabilities)
  classify_logits.onnx[N,3,32,32] -> [N,3]        the per-channel means themselves (logits)
  conv_det.onnx       [N,3,320,320] -> [N, 4+2, 1600]  three strided 3x3 convs and a 1x1 head,
                      seeded random weights: real work for the benchmark (YOLOv8 layout)
  tiny.onnx           [N,3,8,8] -> [N,3]          softmax of channel means on 8x8: per-call cost dominates
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "models")
OPSET = 13
DET_NAMES = "{0: 'person', 1: 'car', 2: 'dog'}"
COLOUR_NAMES = "{0: 'red', 1: 'green', 2: 'blue'}"

# Boxes in input pixels (64x64): cx, cy, w, h, then one score per class (person, car, dog).
# Anchor 1 overlaps anchor 0 with the same class (NMS removes it); anchor 2 is the same box as
# anchor 1 with another class (class-wise NMS keeps it); anchor 3 is under the default confidence.
ANCHORS = [
    (32, 32, 20, 20, 0.9, 0.0, 0.0),
    (33, 33, 20, 20, 0.8, 0.0, 0.0),
    (33, 33, 20, 20, 0.0, 0.7, 0.0),
    (50, 10, 8, 8, 0.0, 0.0, 0.1),
    (10, 50, 8, 8, 0.0, 0.0, 0.6),
] + [(0, 0, 0, 0, 0.0, 0.0, 0.0)] * 11  # 16 anchors: neither layout's shape fits the other


def save(graph, name, metadata=None):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="framewire make_models.py")
    model.ir_version = 7
    for key, value in (metadata or {}).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    path = os.path.join(OUT, name)
    onnx.save(model, path)
    print(f"{path}: {os.path.getsize(path)} bytes")


def image_input(batch, size):
    return helper.make_tensor_value_info("images", TensorProto.FLOAT, [batch, 3, size, size])


def constant_detector(name, table, out_shape, batch="N"):
    """output = table (broadcast over the batch) + 0 * sum(images): one row per image."""
    const = numpy_helper.from_array(table.astype(np.float32)[None, ...], "table")
    nodes = [
        helper.make_node("ReduceSum", ["images"], ["sum"], keepdims=1),  # [N,1,1,1]
        helper.make_node("Reshape", ["sum", "shape3"], ["sum3"]),        # [N,1,1]
        helper.make_node("Mul", ["sum3", "zero"], ["zeros"]),
        helper.make_node("Add", ["zeros", "table"], ["output0"]),
    ]
    graph = helper.make_graph(
        nodes, name, [image_input(batch, 64)],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [batch] + out_shape)],
        initializer=[const,
                     numpy_helper.from_array(np.array([-1, 1, 1], dtype=np.int64), "shape3"),
                     numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero")])
    save(graph, name, {"names": DET_NAMES, "imgsz": "[64, 64]", "task": "detect"})


def yolov8_table():
    a = np.array(ANCHORS, dtype=np.float32)  # [anchors, 4+nc]
    return a.T.copy()                         # [4+nc, anchors]


def yolov5_table():
    rows = []
    for cx, cy, w, h, *scores in ANCHORS:
        best = max(scores)
        # objectness = best class score, class confidences scaled so that obj * cls = the v8 score
        obj = best
        cls = [s / best if best > 0 else 0.0 for s in scores]
        rows.append([cx, cy, w, h, obj] + cls)
    return np.array(rows, dtype=np.float32)   # [anchors, 5+nc]


def classifier(name, size, softmax, batch="N", names=COLOUR_NAMES):
    nodes = [helper.make_node("ReduceMean", ["images"], ["means"], axes=[2, 3], keepdims=0)]
    if softmax:
        nodes.append(helper.make_node("Softmax", ["means"], ["output0"], axis=1))
    else:
        nodes.append(helper.make_node("Identity", ["means"], ["output0"]))
    graph = helper.make_graph(
        nodes, name, [image_input(batch, size)],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [batch, 3])])
    save(graph, name, {"names": names, "task": "classify"})


def conv_detector(name):
    rng = np.random.default_rng(20261125)
    nc = 2
    inits, nodes = [], []
    channels = [3, 8, 16, 32]
    x = "images"
    for i in range(3):
        cin, cout = channels[i], channels[i + 1]
        w = (rng.standard_normal((cout, cin, 3, 3)) * np.sqrt(2.0 / (cin * 9))).astype(np.float32)
        b = np.zeros(cout, dtype=np.float32)
        inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
        nodes.append(helper.make_node("Conv", [x, f"w{i}", f"b{i}"], [f"c{i}"],
                                      kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]))
        nodes.append(helper.make_node("Relu", [f"c{i}"], [f"r{i}"]))
        x = f"r{i}"
    # 1x1 head: 4 box channels (scaled to input pixels) and nc class scores through a sigmoid.
    wh = (rng.standard_normal((4 + nc, 32, 1, 1)) * 0.1).astype(np.float32)
    bh = np.array([160, 160, 40, 40] + [-4.0] * nc, dtype=np.float32)
    inits += [numpy_helper.from_array(wh, "wh"), numpy_helper.from_array(bh, "bh"),
              numpy_helper.from_array(np.array([0, 4 + nc, -1], dtype=np.int64), "flat"),
              numpy_helper.from_array(np.array([4, nc], dtype=np.int64), "splits")]
    nodes += [
        helper.make_node("Conv", [x, "wh", "bh"], ["head"], kernel_shape=[1, 1]),  # [N,6,40,40]
        helper.make_node("Reshape", ["head", "flat"], ["raw"]),                     # [N,6,1600]
        helper.make_node("Split", ["raw", "splits"], ["boxes", "logits"], axis=1),
        helper.make_node("Sigmoid", ["logits"], ["scores"]),
        helper.make_node("Concat", ["boxes", "scores"], ["output0"], axis=1),
    ]
    graph = helper.make_graph(
        nodes, name, [image_input("N", 320)],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, ["N", 4 + nc, 1600])],
        initializer=inits)
    save(graph, name, {"names": "{0: 'blob', 1: 'spot'}", "imgsz": "[320, 320]", "task": "detect"})


def main():
    os.makedirs(OUT, exist_ok=True)
    constant_detector("yolov8_const.onnx", yolov8_table(), [7, 16])
    constant_detector("yolov5_const.onnx", yolov5_table(), [16, 8])
    constant_detector("yolov8_batch1.onnx", yolov8_table(), [7, 16], batch=1)
    classifier("classify_means.onnx", 32, softmax=True)
    classifier("classify_logits.onnx", 32, softmax=False)
    conv_detector("conv_det.onnx")
    classifier("tiny.onnx", 8, softmax=True)


if __name__ == "__main__":
    main()
