package io.framewire.tools.codes;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BarcodeFormat;
import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
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

  private static final List<String> FORMAT_NAMES =
      EnumSet.allOf(BarcodeFormat.class).stream().map(Enum::name).toList();

  static final List<ParamSpec> SPECS = List.of(
      ParamSpec.bool("try_harder", "spend more time per frame looking for codes (ZXing TRY_HARDER)")
          .withDefault(false),
      ParamSpec.stringList("formats", "the ZXing formats to look for; absent: all")
          .allowed(FORMAT_NAMES));

  @Override
  public String description() {
    return "QR codes and barcodes with ZXing.";
  }

  @Override
  public String description(String toolId) {
    return "scan".equals(toolId)
        ? "Finds QR codes and barcodes in the frame's luma (codes[{format,text,box{x,y,w,h}}])."
        : "";
  }

  @Override
  public Optional<List<ParamSpec>> params(String toolId) {
    return "scan".equals(toolId) ? Optional.of(SPECS) : Optional.empty();
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    if (!"scan".equals(toolId)) {
      throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'codes'");
    }
    ParamValues values = ParamValues.read(SPECS, params);
    List<String> formats = values.stringList("formats");
    Set<BarcodeFormat> chosen = EnumSet.noneOf(BarcodeFormat.class);
    if (formats == null) {
      chosen.addAll(EnumSet.allOf(BarcodeFormat.class));
    } else {
      formats.forEach(name -> chosen.add(BarcodeFormat.valueOf(name)));
    }
    return new CodeScanner(values.bool("try_harder"), chosen);
  }
}
