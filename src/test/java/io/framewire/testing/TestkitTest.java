package io.framewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.engine.PipelineFailure;
import io.framewire.pipeline.PipelineValidationException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The public testkit (framewire-testkit) as a user meets it: extension, typed answers, PipelineProbe. */
class TestkitTest {

  private static final String SIZES = """
      {"id":"sizes","name":"Sizes","nodes":[{"id":"info","plugin_id":"image","tool_id":"info"}],
       "edges":[],"entry_nodes":["info"],"output_nodes":["info"]}""";

  @RegisterExtension
  static final FramewireExtension framewire = FramewireExtension.create().withPipelines(SIZES);

  @Test
  void theExtensionServesTheGivenPipelineAndAnswersAreTyped() {
    try (WsTestClient client = framewire.stream("sizes")) {
      WsTestClient.Answer answer = client.sendBinary(TestJpegs.scene(160, 120, 1)).nextAnswer();
      assertTrue(answer.isResult(), answer.toString());
      assertFalse(answer.isDropped() || answer.isError() || answer.isSlowDown());
      assertEquals(0, answer.frameIndex());
      assertEquals(160, answer.result().get("width").asInt());

      WsTestClient.Answer error = client.sendBinary(new byte[] {1, 2, 3}).nextAnswer();
      assertEquals("invalid_frame", error.error());
      assertTrue(error.detail().contains("frame 1"), error.detail());
      assertThrows(AssertionError.class, error::result);
    }
  }

  @Test
  void theGateMakesDropsDeterministic() {
    try (WsTestClient client = framewire.stream("gated")) {
      framewire.server().sendWhilePipelineHeld(client, TestJpegs.grayscale(32, 32, 100), 4);
      List<WsTestClient.Answer> answers = List.of(client.nextAnswer(), client.nextAnswer(), client.nextAnswer(), client.nextAnswer());
      assertEquals(2, answers.stream().filter(WsTestClient.Answer::isDropped).count(), answers.toString());
      assertEquals(2, answers.stream().filter(WsTestClient.Answer::isResult).count(), answers.toString());
    }
  }

  @Test
  void pipelineProbeRunsAPipelineWithoutAServerKeepingSessionState() throws Exception {
    List<JsonNode> sizes = PipelineProbe.run(SIZES, List.of(TestJpegs.grayscale(64, 48, 10), TestJpegs.grayscale(32, 16, 10)));
    assertEquals(List.of(64, 32), sizes.stream().map(r -> r.get("width").asInt()).toList());

    // motion/detect is stateful: the second frame is compared with the first one's background.
    String motion = """
        {"id":"m","name":"M","nodes":[{"id":"motion","plugin_id":"motion","tool_id":"detect"}],
         "edges":[],"entry_nodes":["motion"],"output_nodes":["motion"]}""";
    List<JsonNode> moved = PipelineProbe.run(motion,
        List.of(TestJpegs.withSquare(160, 120, 10, 10, 30), TestJpegs.withSquare(160, 120, 100, 60, 30)));
    assertEquals(0, moved.get(0).at("/motion/regions").size(), moved.get(0).toString());
    assertTrue(moved.get(1).at("/motion/regions").size() > 0, moved.get(1).toString());
  }

  @Test
  void pipelineProbeReportsToolFailuresAndInvalidDefinitions() {
    String failing = """
        {"id":"f","name":"F","nodes":[{"id":"boom","plugin_id":"debug","tool_id":"fail","params":{"message":"lens cap"}}],
         "edges":[],"entry_nodes":["boom"],"output_nodes":["boom"]}""";
    PipelineFailure failure = assertThrows(PipelineFailure.class,
        () -> PipelineProbe.run(failing, List.of(TestJpegs.grayscale(8, 8, 1))));
    assertTrue(failure.getMessage().contains("boom") && failure.getMessage().contains("lens cap"), failure.getMessage());

    assertThrows(PipelineValidationException.class, () -> PipelineProbe.run(
        failing.replace("\"fail\"", "\"nope\""), List.of(TestJpegs.grayscale(8, 8, 1))));
  }
}
