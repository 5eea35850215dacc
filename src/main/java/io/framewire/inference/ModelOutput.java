package io.framewire.inference;

/**
 * One image's share of a model run: the first output tensor's values for that image, row-major,
 * with its shape without the batch dimension (e.g. {@code [84, 8400]} for a YOLOv8 detector).
 */
public record ModelOutput(float[] values, long[] shape) {}
