package io.framewire.streaming;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The one place answers become JSON. Writes with a streaming generator from one shared (thread-safe)
 * mapper: no intermediate tree, and field order fixed ({@code frame_index} first).
 */
public final class AnswerEncoder {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AnswerEncoder() {}

  public static String encode(Answer answer) {
    StringWriter out = new StringWriter(64);
    try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      if (answer instanceof Answer.Result r) {
        json.writeNumberField("frame_index", r.frameIndex());
        json.writeFieldName("result");
        MAPPER.writeValue(json, r.result());
        if (r.timingsMs() != null) {
          json.writeFieldName("timings_ms");
          MAPPER.writeValue(json, r.timingsMs());
        }
      } else if (answer instanceof Answer.Dropped d) {
        json.writeNumberField("frame_index", d.frameIndex());
        json.writeBooleanField("dropped", true);
      } else if (answer instanceof Answer.SlowDown s) {
        json.writeStringField("warning", "slow_down");
        json.writeNumberField("max_fps", s.maxFps());
        json.writeNumberField("drop_rate", s.dropRate());
      } else if (answer instanceof StreamError e) {
        json.writeStringField("error", e.code().wire());
        json.writeStringField("detail", e.detail());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter never fails
    }
    return out.toString();
  }
}
