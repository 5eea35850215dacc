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
  blob_det.onnx       [N,3,256,256] -> [N, 4+2, 512]  a real detector of solid colour blobs (YOLOv8
                      layout, names {0: 'person', 1: 'car'}): red things are persons, green things
                      cars; boxes exact to about a pixel. See blob_detector() for how it works.
  yolo11_int8_batch1.onnx  [1,3,640,640] -> [1, 84, 400]  dynamically quantized (DynamicQuantizeLinear,
                      ConvInteger) with a YOLO11n export's interface and COCO names: a red 32x32 cell
                      is a person, a green one a car. See int8_yolo11_detector().
  yolo11_int8_dynamic.onnx [batch,3,height,width] -> [batch, 84, anchors]  the same, exported dynamic
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


def blob_detector(name, size=256, stride=16, inner=5, outer=9, min_area=16):
    """A detector that follows bright red (person) and green (car) blobs, with fixed ops only.

    Per class, a colour mask m: red is R > 0.5 and G, B < 0.3, green is G > 0.5 and R, B < 0.3 (the
    letterbox's grey 114 padding is neither). The image is cut into stride x stride cells; each cell
    holds the sums of m, m*x, m*y, m*x^2, m*y^2 (x, y: pixel centres, relative to the image centre to
    keep float32 sums precise). Each cell is an anchor (16 x 16 = 256 per class, 512 in all: anchors
    0..255 are red ones, scoring only for person, 256..511 green ones, scoring only for car). Its
    window is the inner x inner cells around it (80 px): from the window's sums, the blob's pixel
    count n, mean (cx, cy) and variance give the box: a filled rectangle of w pixels has variance
    (w^2 - 1) / 12, so w = sqrt(12 var + 1), exact for an axis-aligned rectangle inside the window.
    The score says how much of the blob the window holds: ratio = n / (n_outer + min_area), n_outer
    the count in the outer x outer cells around the anchor (144 px), and score = clip(10 ratio - 9,
    0, 1). A blob of at most (inner - 1) x stride = 64 px a side lies whole in some anchor's window:
    that anchor scores near 1 (0.85 for 32 x 32 px, 0.96 for 64 x 64) with the exact box; an anchor
    whose window holds less than 90 % of the blob scores 0, and one holding more gives a box that
    overlaps the best one by IoU > 0.9, so class-wise NMS keeps one box per blob. Blobs smaller than
    min_area / 0.1 = 144 px score 0 (JPEG specks). Limits: blobs of one colour must be further apart
    than the outer window (about 100 px in the model's input), or they merge; larger blobs are missed.
    """
    assert size % stride == 0
    cells = size // stride
    anchors = cells * cells
    centre = size / 2.0
    coords = np.arange(size, dtype=np.float32) + 0.5 - centre
    xs = coords.reshape(1, 1, 1, size)  # broadcast over rows
    ys = coords.reshape(1, 1, size, 1)  # broadcast over columns
    scale_inner = float(stride * stride * inner * inner)  # AveragePool means back to sums
    scale_outer = float(stride * stride * outer * outer)
    onehot = np.zeros((1, 2, 2 * anchors), dtype=np.float32)
    onehot[0, 0, :anchors] = 1
    onehot[0, 1, anchors:] = 1
    inits = [
        numpy_helper.from_array(xs, "xs"),
        numpy_helper.from_array(ys, "ys"),
        numpy_helper.from_array(xs * xs, "xxs"),
        numpy_helper.from_array(ys * ys, "yys"),
        numpy_helper.from_array(np.array(0.5, dtype=np.float32), "high"),
        numpy_helper.from_array(np.array(0.3, dtype=np.float32), "low"),
        numpy_helper.from_array(np.array([0, 5, 2 * anchors], dtype=np.int64), "inner_shape"),
        numpy_helper.from_array(np.array([0, 1, 2 * anchors], dtype=np.int64), "outer_shape"),
        numpy_helper.from_array(np.array([1, 1, 1, 1, 1], dtype=np.int64), "five_ones"),
        numpy_helper.from_array(np.array(scale_inner, dtype=np.float32), "scale_inner"),
        numpy_helper.from_array(np.array(scale_outer, dtype=np.float32), "scale_outer"),
        numpy_helper.from_array(np.array(1e-6, dtype=np.float32), "tiny"),
        numpy_helper.from_array(np.array(float(min_area), dtype=np.float32), "min_area"),
        numpy_helper.from_array(np.array(12.0, dtype=np.float32), "twelve"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"),
        numpy_helper.from_array(np.array(10.0, dtype=np.float32), "ten"),
        numpy_helper.from_array(np.array(9.0, dtype=np.float32), "nine"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
        numpy_helper.from_array(np.array(centre, dtype=np.float32), "centre"),
        numpy_helper.from_array(onehot, "onehot"),
    ]
    n = helper.make_node
    nodes = [
        n("Split", ["images"], ["r", "g", "b"], axis=1),                      # [N,1,S,S] each
        n("Greater", ["r", "high"], ["r_hi"]), n("Less", ["r", "low"], ["r_lo"]),
        n("Greater", ["g", "high"], ["g_hi"]), n("Less", ["g", "low"], ["g_lo"]),
        n("Less", ["b", "low"], ["b_lo"]),
        n("And", ["r_hi", "g_lo"], ["red0"]), n("And", ["red0", "b_lo"], ["red"]),
        n("And", ["g_hi", "r_lo"], ["green0"]), n("And", ["green0", "b_lo"], ["green"]),
        n("Concat", ["red", "green"], ["mask_b"], axis=1),                     # [N,2,S,S]
        n("Cast", ["mask_b"], ["m"], to=TensorProto.FLOAT),
        n("Mul", ["m", "xs"], ["mx"]), n("Mul", ["m", "ys"], ["my"]),
        n("Mul", ["m", "xxs"], ["mxx"]), n("Mul", ["m", "yys"], ["myy"]),
        # Channels quantity-major, class-minor: [m_r, m_g, mx_r, mx_g, ..., myy_r, myy_g].
        n("Concat", ["m", "mx", "my", "mxx", "myy"], ["moments"], axis=1),   # [N,10,S,S]
        n("AveragePool", ["moments"], ["cells"], kernel_shape=[stride, stride], strides=[stride, stride]),
        n("AveragePool", ["cells"], ["win"], kernel_shape=[inner, inner], pads=[inner // 2] * 4,
          count_include_pad=1),                                                 # [N,10,C,C]
        n("Reshape", ["win", "inner_shape"], ["win_flat"]),                     # [N,5,2A]: class-major anchors
        n("Split", ["win_flat", "five_ones"], ["s0", "s1", "s2", "s3", "s4"], axis=1),  # [N,1,2A] each
        n("Slice", ["cells", "slice_start", "slice_end", "slice_axes"], ["cell_counts"]),  # [N,2,C,C]
        n("AveragePool", ["cell_counts"], ["wide"], kernel_shape=[outer, outer], pads=[outer // 2] * 4,
          count_include_pad=1),
        n("Reshape", ["wide", "outer_shape"], ["wide_flat"]),                   # [N,1,2A]
        # Box: mean and variance per axis.
        n("Max", ["s0", "tiny"], ["s0_safe"]),
        n("Div", ["s1", "s0_safe"], ["mean_x"]), n("Div", ["s2", "s0_safe"], ["mean_y"]),
        n("Div", ["s3", "s0_safe"], ["ex2"]), n("Div", ["s4", "s0_safe"], ["ey2"]),
        n("Mul", ["mean_x", "mean_x"], ["mx2"]), n("Mul", ["mean_y", "mean_y"], ["my2"]),
        n("Sub", ["ex2", "mx2"], ["var_x"]), n("Sub", ["ey2", "my2"], ["var_y"]),
        n("Mul", ["var_x", "twelve"], ["v12x"]), n("Mul", ["var_y", "twelve"], ["v12y"]),
        n("Add", ["v12x", "one"], ["w2"]), n("Add", ["v12y", "one"], ["h2"]),
        n("Relu", ["w2"], ["w2p"]), n("Relu", ["h2"], ["h2p"]),
        n("Sqrt", ["w2p"], ["bw"]), n("Sqrt", ["h2p"], ["bh"]),
        n("Add", ["mean_x", "centre"], ["bx"]), n("Add", ["mean_y", "centre"], ["by"]),
        # Score: the share of the neighbourhood's blob pixels that the window holds.
        n("Mul", ["s0", "scale_inner"], ["count"]),
        n("Mul", ["wide_flat", "scale_outer"], ["count_wide"]),
        n("Add", ["count_wide", "min_area"], ["count_wide_eps"]),
        n("Div", ["count", "count_wide_eps"], ["ratio"]),
        n("Mul", ["ratio", "ten"], ["ratio10"]), n("Sub", ["ratio10", "nine"], ["raw_score"]),
        n("Clip", ["raw_score", "zero", "one"], ["score"]),                     # [N,1,2A]
        n("Mul", ["score", "onehot"], ["scores"]),                              # [N,2,2A]
        n("Concat", ["bx", "by", "bw", "bh", "scores"], ["output0"], axis=1),   # [N,6,2A]
    ]
    inits += [numpy_helper.from_array(np.array([0], dtype=np.int64), "slice_start"),
              numpy_helper.from_array(np.array([2], dtype=np.int64), "slice_end"),
              numpy_helper.from_array(np.array([1], dtype=np.int64), "slice_axes")]
    graph = helper.make_graph(
        nodes, name, [image_input("N", size)],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, ["N", 4 + 2, 2 * anchors])],
        initializer=inits)
    save(graph, name, {"names": "{0: 'person', 1: 'car'}", "imgsz": f"[{size}, {size}]", "task": "detect"})


COCO_NAMES = [
    "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
    "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
    "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
    "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard",
    "tennis racket", "bottle", "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple",
    "sandwich", "orange", "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch",
    "potted plant", "bed", "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard",
    "cell phone", "microwave", "oven", "toaster", "sink", "refrigerator", "book", "clock", "vase",
    "scissors", "teddy bear", "hair drier", "toothbrush"]


def int8_yolo11_detector(name, batch):
    """A dynamically quantized (int8) detector with a YOLO11 export's interface, with known outputs.

    As onnxruntime.quantization.quantize_dynamic rewrites a Conv: DynamicQuantizeLinear turns the
    float input into uint8 with one scale and zero point for the whole tensor (so for the whole batch),
    ConvInteger convolves it with uint8 weights and their zero point, and the int32 result is cast to
    float and scaled by input scale x weight scale. Input and output are a YOLO11n export's: images
    [1 or batch, 3, 640, 640] (dynamic: [batch, 3, height, width], imgsz 640), output0 [.., 84, ..]
    (4 box rows + 80 COCO class scores, the YOLOv8 layout), and its metadata (names, imgsz, stride,
    task, batch, Ultralytics' description and version).

    What it detects: the input is cut into 20 x 20 cells of 32 x 32 px, one anchor each (400 anchors,
    row-major). Each anchor's box is its cell; its 'person' score is mean(R) - mean(G) - mean(B) over
    the cell and its 'car' score mean(G) - mean(R) - mean(B), at least 0 (the 32 x 32 kernel weights
    are 128 +-1 with zero point 128, weight scale 1/1024); all other classes score 0. A pure red cell
    scores 1 for person, a pure green one 1 for car, a cell half red 0.5; gray, white and the
    letterbox's padding score 0. Quantization is exact for inputs whose values are k/255 with a 0 and a
    255 somewhere in the tensor (scale 1/255, zero point 0).
    """
    size, cell = 640, 32
    cells = size // cell
    anchors = cells * cells
    w = np.full((2, 3, cell, cell), 127, dtype=np.uint8)  # -1 after the zero point
    w[0, 0] = 129  # person: +R -G -B
    w[1, 1] = 129  # car: +G -R -B
    centres = (np.arange(cells, dtype=np.float32) + 0.5) * cell
    cy, cx = np.meshgrid(centres, centres, indexing="ij")
    boxes = np.stack([cx.ravel(), cy.ravel(), np.full(anchors, cell, np.float32), np.full(anchors, cell, np.float32)])
    inits = [
        numpy_helper.from_array(w, "w_q"),
        numpy_helper.from_array(np.array(128, dtype=np.uint8), "w_zp"),
        numpy_helper.from_array(np.array(1.0 / (cell * cell), dtype=np.float32), "w_scale"),
        numpy_helper.from_array(np.zeros((1, 2, 1, 1), dtype=np.float32), "bias"),
        numpy_helper.from_array(np.array([0, 2, -1], dtype=np.int64), "flat"),
        numpy_helper.from_array(np.array([1, 1], dtype=np.int64), "one_each"),
        numpy_helper.from_array(boxes[None, ...].astype(np.float32), "boxes"),
        numpy_helper.from_array(np.zeros((1, 4, 1), dtype=np.float32), "zeros4"),
        numpy_helper.from_array(np.zeros((1, 1, 1), dtype=np.float32), "zeros1"),
        numpy_helper.from_array(np.zeros((1, 77, 1), dtype=np.float32), "zeros77"),
    ]
    n = helper.make_node
    nodes = [
        n("DynamicQuantizeLinear", ["images"], ["x_q", "x_scale", "x_zp"]),
        n("ConvInteger", ["x_q", "w_q", "x_zp", "w_zp"], ["conv_i"], kernel_shape=[cell, cell], strides=[cell, cell]),
        n("Cast", ["conv_i"], ["conv_f"], to=TensorProto.FLOAT),
        n("Mul", ["x_scale", "w_scale"], ["scale"]),
        n("Mul", ["conv_f", "scale"], ["conv"]),
        n("Add", ["conv", "bias"], ["biased"]),
        n("Relu", ["biased"], ["cell_scores"]),                         # [N,2,20,20]
        n("Reshape", ["cell_scores", "flat"], ["scores"]),              # [N,2,400]
        n("Split", ["scores", "one_each"], ["person", "car"], axis=1),  # [N,1,400] each
        # Zeros shaped by the batch: a score row times a zero constant broadcasts to [N,k,400].
        n("Mul", ["person", "zeros4"], ["z4"]), n("Add", ["z4", "boxes"], ["box_rows"]),
        n("Mul", ["person", "zeros1"], ["z1"]),
        n("Mul", ["person", "zeros77"], ["z77"]),
        n("Concat", ["box_rows", "person", "z1", "car", "z77"], ["output0"], axis=1),  # [N,84,400]
    ]
    dynamic = batch != 1
    inputs = [helper.make_tensor_value_info(
        "images", TensorProto.FLOAT, ["batch", 3, "height", "width"] if dynamic else [1, 3, size, size])]
    outputs = [helper.make_tensor_value_info(
        "output0", TensorProto.FLOAT, ["batch", 84, "anchors"] if dynamic else [1, 84, anchors])]
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=inits)
    names = "{" + ", ".join(f"{i}: '{label}'" for i, label in enumerate(COCO_NAMES)) + "}"
    save(graph, name, {
        "description": "Ultralytics YOLO11n model (framewire test stand-in, int8 dynamic quantization)",
        "author": "framewire make_models.py", "version": "8.3.0", "task": "detect", "stride": "32",
        "batch": "1" if not dynamic else "8", "imgsz": f"[{size}, {size}]", "names": names,
        "args": "{'batch': %s, 'half': False, 'dynamic': %s, 'int8': True, 'nms': False}"
                % ("1" if not dynamic else "8", dynamic)})


def main():
    os.makedirs(OUT, exist_ok=True)
    constant_detector("yolov8_const.onnx", yolov8_table(), [7, 16])
    constant_detector("yolov5_const.onnx", yolov5_table(), [16, 8])
    constant_detector("yolov8_batch1.onnx", yolov8_table(), [7, 16], batch=1)
    classifier("classify_means.onnx", 32, softmax=True)
    classifier("classify_logits.onnx", 32, softmax=False)
    conv_detector("conv_det.onnx")
    classifier("tiny.onnx", 8, softmax=True)
    blob_detector("blob_det.onnx")
    int8_yolo11_detector("yolo11_int8_batch1.onnx", batch=1)
    int8_yolo11_detector("yolo11_int8_dynamic.onnx", batch="N")


if __name__ == "__main__":
    main()


# --- YOLOv8n-sized benchmark models (issue 24) ----------------------------------------------------
# Not committed (12.6 MB each): scripts/bench/model_bound.sh writes them into its work folder with
#   /usr/bin/python3 -c 'import sys; sys.path.insert(0, "src/test/models"); import make_models; \
#       make_models.yolov8n_sized_models("OUT_DIR")'
# The same layers as Ultralytics' YOLOv8n export (BN fused into the convs, SiLU as Sigmoid*Mul,
# 640x640, 80 classes, DFL head, output [N, 84, 8400]), random seeded weights: the same cost per
# frame as the real model. A constant added to the class logits makes ~24 anchors score above 0.25
# (a few overlapping), so the decode and NMS see what a photo with objects gives them.

class _Yolo:
    """Builds the graph; each conv is Conv(+bias) -> SiLU, as an Ultralytics export after fusing."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)
        self.nodes, self.inits, self.n = [], [], 0

    def name(self, prefix):
        self.n += 1
        return f"{prefix}{self.n}"

    def const(self, array, prefix="k"):
        name = self.name(prefix)
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def conv(self, x, cin, cout, k=1, s=1, act=True, scale=1.0, bias=0.0):
        w = (self.rng.standard_normal((cout, cin, k, k)) * np.sqrt(1.0 / (cin * k * k)) * scale).astype(np.float32)
        b = np.full(cout, bias, dtype=np.float32)
        out = self.name("conv")
        self.nodes.append(helper.make_node("Conv", [x, self.const(w, "w"), self.const(b, "b")], [out],
                                           kernel_shape=[k, k], strides=[s, s], pads=[k // 2] * 4))
        if not act:
            return out
        sig, y = self.name("sig"), self.name("silu")
        self.nodes += [helper.make_node("Sigmoid", [out], [sig]), helper.make_node("Mul", [out, sig], [y])]
        return y

    def op(self, kind, inputs, **attrs):
        out = self.name(kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [out], **attrs))
        return out

    def split(self, x, sizes, axis=1):
        outs = [self.name("part") for _ in sizes]
        self.nodes.append(helper.make_node("Split", [x, self.const(np.array(sizes, dtype=np.int64))], outs, axis=axis))
        return outs

    def c2f(self, x, cin, cout, n, shortcut):
        c = cout // 2
        y = self.split(self.conv(x, cin, 2 * c), [c, c])
        for _ in range(n):
            z = self.conv(self.conv(y[-1], c, c, 3), c, c, 3)
            y.append(self.op("Add", [y[-1], z]) if shortcut else z)
        return self.conv(self.op("Concat", y, axis=1), (2 + n) * c, cout)

    def sppf(self, x, cin, cout):
        c = cin // 2
        y = [self.conv(x, cin, c)]
        for _ in range(3):
            y.append(self.op("MaxPool", [y[-1]], kernel_shape=[5, 5], strides=[1, 1], pads=[2, 2, 2, 2]))
        return self.conv(self.op("Concat", y, axis=1), 4 * c, cout)

    def up(self, x):
        return self.op("Resize", [x, "", self.const(np.array([1, 1, 2, 2], dtype=np.float32))], mode="nearest")


def yolov8n_sized(path, batch, seed=20261206, size=640, nc=80):
    m = _Yolo(seed)
    x = m.conv("images", 3, 16, 3, 2)
    x = m.conv(x, 16, 32, 3, 2)
    x = m.c2f(x, 32, 32, 1, True)
    x = m.conv(x, 32, 64, 3, 2)
    p3 = m.c2f(x, 64, 64, 2, True)
    x = m.conv(p3, 64, 128, 3, 2)
    p4 = m.c2f(x, 128, 128, 2, True)
    x = m.conv(p4, 128, 256, 3, 2)
    x = m.c2f(x, 256, 256, 1, True)
    p5 = m.sppf(x, 256, 256)
    h4 = m.c2f(m.op("Concat", [m.up(p5), p4], axis=1), 384, 128, 1, False)
    o3 = m.c2f(m.op("Concat", [m.up(h4), p3], axis=1), 192, 64, 1, False)
    o4 = m.c2f(m.op("Concat", [m.conv(o3, 64, 64, 3, 2), h4], axis=1), 192, 128, 1, False)
    o5 = m.c2f(m.op("Concat", [m.conv(o4, 128, 128, 3, 2), p5], axis=1), 384, 256, 1, False)
    levels, c3 = [], max(64, min(nc, 100))
    for feat, c in ((o3, 64), (o4, 128), (o5, 256)):
        box = m.conv(m.conv(m.conv(feat, c, 64, 3), 64, 64, 3), 64, 64, 1, act=False)
        cls = m.conv(m.conv(m.conv(feat, c, c3, 3), c3, c3, 3), c3, nc, 1, act=False, scale=0.05, bias=-6.0)
        cat = m.op("Concat", [box, cls], axis=1)
        levels.append(m.op("Reshape", [cat, m.const(np.array([0, 64 + nc, -1], dtype=np.int64))]))
    box, cls = m.split(m.op("Concat", levels, axis=2), [64, nc])
    # DFL: softmax over 16 bins per side, expectation by a 1x1 conv with weights 0..15.
    a = sum((size // s) ** 2 for s in (8, 16, 32))
    d = m.op("Reshape", [box, m.const(np.array([0, 4, 16, a], dtype=np.int64))])
    d = m.op("Softmax", [m.op("Transpose", [d], perm=[0, 2, 1, 3])], axis=1)
    d = m.op("Conv", [d, m.const(np.arange(16, dtype=np.float32).reshape(1, 16, 1, 1))], kernel_shape=[1, 1])
    d = m.op("Reshape", [d, m.const(np.array([0, 4, a], dtype=np.int64))])
    lt, rb = m.split(d, [2, 2])
    anchors, strides = [], []
    for s in (8, 16, 32):
        g = size // s
        ys, xs = np.meshgrid(np.arange(g) + 0.5, np.arange(g) + 0.5, indexing="ij")
        anchors.append(np.stack([xs.ravel(), ys.ravel()]))
        strides.append(np.full(g * g, s))
    anchor = m.const(np.concatenate(anchors, 1)[None].astype(np.float32))
    stride = m.const(np.concatenate(strides)[None, None].astype(np.float32))
    x1y1, x2y2 = m.op("Sub", [anchor, lt]), m.op("Add", [anchor, rb])
    cxy = m.op("Div", [m.op("Add", [x1y1, x2y2]), m.const(np.array(2, dtype=np.float32))])
    xywh = m.op("Mul", [m.op("Concat", [cxy, m.op("Sub", [x2y2, x1y1])], axis=1), stride])
    # ~24 anchors of the 80x80 level get a class logit high enough to pass the default 0.25.
    lift = np.zeros((1, nc, a), dtype=np.float32)
    rng = np.random.default_rng(seed + 1)
    for anchor_index in rng.choice(6400, 16, replace=False):
        for near in (0, 1, 80)[: 1 + anchor_index % 3]:
            lift[0, int(rng.integers(0, 4)), min(6399, anchor_index + near)] = 8.0
    scores = m.op("Sigmoid", [m.op("Add", [cls, m.const(lift)])])
    m.nodes.append(helper.make_node("Concat", [xywh, scores], ["output0"], axis=1))
    graph = helper.make_graph(m.nodes, "yolov8n_sized", [image_input(batch, size)],
                              [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [batch, 4 + nc, a])],
                              initializer=m.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="framewire make_models.py")
    model.ir_version = 7
    names = "{" + ", ".join(f"{i}: 'class{i}'" for i in range(nc)) + "}"
    for key, value in {"names": names, "imgsz": f"[{size}, {size}]", "task": "detect",
                       "batch": "1" if batch == 1 else "dynamic"}.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    onnx.save(model, path)
    params = sum(int(np.prod(t.dims)) for t in m.inits)
    print(f"{path}: {os.path.getsize(path)} bytes, {params} constants")


def yolov8n_sized_models(out_dir):
    """yolov8n_b1.onnx (batch fixed at 1) and yolov8n_dyn.onnx (dynamic batch) into out_dir."""
    os.makedirs(out_dir, exist_ok=True)
    yolov8n_sized(os.path.join(out_dir, "yolov8n_b1.onnx"), 1)
    yolov8n_sized(os.path.join(out_dir, "yolov8n_dyn.onnx"), "N")
