package io.framewire.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds pipeline results that always serialize: the Python original returned the whole payload,
 * {@code image_bytes} included, and every streamed frame then failed to serialize.
 *
 * <p>Top level: {@code image_bytes} and keys starting with {@code _} (values nodes share
 * internally, such as a decoded image) are removed. At every level: values that are not JSON
 * (byte[], arbitrary objects, non-finite floats, non-string map keys) are dropped.
 */
public final class JsonSafe {

  public static final String IMAGE_BYTES = "image_bytes";

  /** Marks a value to drop: {@code null} itself is valid JSON and is kept. */
  private static final Object DROP = new Object();

  private JsonSafe() {}

  /** Copies the public, JSON-safe part of one node's outputs into {@code result}. */
  public static void mergeOutputs(Map<String, Object> result, Map<String, Object> outputs) {
    for (Map.Entry<String, Object> entry : outputs.entrySet()) {
      String key = entry.getKey();
      if (key == null || key.startsWith("_") || key.equals(IMAGE_BYTES)) {
        continue;
      }
      Object value = sanitize(entry.getValue());
      if (value != DROP) {
        result.put(key, value);
      }
    }
  }

  /**
   * A node's input or output as it may cross the network to or from a cluster worker: every
   * JSON-safe entry, internal {@code _} keys included (downstream nodes see those), without
   * {@code image_bytes} and the shared decoded frame (the frame travels as its JPEG bytes).
   */
  public static Map<String, Object> wireSafe(Map<String, Object> values) {
    Map<String, Object> safe = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      String key = entry.getKey();
      if (key == null || key.equals(IMAGE_BYTES) || key.equals(io.framewire.api.image.DecodedFrame.KEY)) {
        continue;
      }
      Object value = sanitize(entry.getValue());
      if (value != DROP) {
        safe.put(key, value);
      }
    }
    return safe;
  }

  private static Object sanitize(Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte || value instanceof BigInteger || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Double d) {
      return Double.isFinite(d) ? d : DROP;
    }
    if (value instanceof Float f) {
      return Float.isFinite(f) ? f : DROP;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (entry.getKey() instanceof String key) {
          Object safe = sanitize(entry.getValue());
          if (safe != DROP) {
            copy.put(key, safe);
          }
        }
      }
      return copy;
    }
    if (value instanceof Collection<?> collection) {
      return sanitizeAll(collection);
    }
    if (value instanceof Object[] array) {
      return sanitizeAll(Arrays.asList(array)); // not List.of: it rejects nulls
    }
    if (value instanceof JsonNode node) {
      // Already JSON, unless it wraps binary data or an arbitrary object.
      return node.isBinary() || node.isPojo() ? DROP : node;
    }
    return DROP; // byte[] and every other object
  }

  private static List<Object> sanitizeAll(Collection<?> values) {
    List<Object> copy = new ArrayList<>(values.size());
    for (Object element : values) {
      Object safe = sanitize(element);
      if (safe != DROP) {
        copy.add(safe);
      }
    }
    return copy;
  }
}
