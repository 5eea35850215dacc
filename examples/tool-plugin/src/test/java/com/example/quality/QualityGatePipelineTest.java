package com.example.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.FramewireExtension;
import io.framewire.testing.PipelineProbe;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.WsTestClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped pipeline ({@code pipelines/quality_gate.json}) with framewire-testkit: run directly
 * with PipelineProbe, and streamed through a real in-process server that found the plugin and the
 * pipeline on the classpath, as the server jar does.
 */
class QualityGatePipelineTest {

  @RegisterExtension
  static final FramewireExtension framewire = FramewireExtension.create();

  @Test
  void theShippedPipelineJudgesFramesWithoutAServer() throws Exception {
    String definition;
    try (var in = QualityGatePipelineTest.class.getResourceAsStream("/pipelines/quality_gate.json")) {
      definition = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<JsonNode> results = PipelineProbe.run(definition,
        List.of(TestJpegs.noise(160, 120, 1), TestJpegs.grayscale(160, 120, 10)));
    assertTrue(results.get(0).at("/quality/ok").asBoolean(), results.get(0).toString());
    assertEquals("too_dark", results.get(1).at("/quality/reasons/0").asText(), results.get(1).toString());
  }

  @Test
  void aStreamedDarkFrameIsMarkedAndTheSessionContinues() {
    try (WsTestClient client = framewire.stream("quality_gate")) {
      WsTestClient.Answer dark = client.sendBinary(TestJpegs.grayscale(160, 120, 10)).nextAnswer();
      assertEquals(false, dark.result().at("/quality/ok").asBoolean(), dark.toString());
      WsTestClient.Answer sharp = client.sendBinary(TestJpegs.noise(160, 120, 2)).nextAnswer();
      assertEquals(1, sharp.frameIndex());
      assertEquals(true, sharp.result().at("/quality/ok").asBoolean(), sharp.toString());
    }
  }
}
