package io.framewire.tools.codes;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BarcodeFormat;
import io.framewire.tools.Tool;
import io.framewire.tools.ToolPlugin;
import java.util.EnumSet;
import java.util.Set;

/** Plugin {@code codes}, tool {@code scan}: QR codes and barcodes with ZXing. Stateless, shared. */
public final class CodesPlugin implements ToolPlugin {

  @Override
  public String id() {
    return "codes";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("scan");
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    if (!"scan".equals(toolId)) {
      throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'codes'");
    }
    return new CodeScanner(tryHarder(params), formats(params));
  }

  private static boolean tryHarder(JsonNode params) {
    JsonNode value = params.get("try_harder");
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new IllegalArgumentException("params.try_harder must be a boolean, got " + value);
    }
    return value.booleanValue();
  }

  /** {@code params.formats}: ZXing format names, e.g. ["QR_CODE","EAN_13"]; absent means all. */
  private static Set<BarcodeFormat> formats(JsonNode params) {
    JsonNode value = params.get("formats");
    if (value == null || value.isNull()) {
      return EnumSet.allOf(BarcodeFormat.class);
    }
    if (!value.isArray() || value.isEmpty()) {
      throw new IllegalArgumentException("params.formats must be a non-empty array of format names");
    }
    Set<BarcodeFormat> formats = EnumSet.noneOf(BarcodeFormat.class);
    for (JsonNode name : value) {
      try {
        formats.add(BarcodeFormat.valueOf(name.asText()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "params.formats: unknown format " + name + "; known: " + EnumSet.allOf(BarcodeFormat.class));
      }
    }
    return formats;
  }
}
