package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.Test;

/** Stage 6 alone: the exact JSON of each answer. */
class EncodeFlowTest extends StageTestSupport {


  String encoded(Answer answer) {
    TextMessage text = Source.single(answer).via(EncodeFlow.flow())
        .runWith(TestSink.<Message>create(system), system)
        .requestNext().asTextMessage();
    assertTrue(text.isStrict());
    assertEquals(AnswerEncoder.encode(answer), text.getStrictText());
    return text.getStrictText();
  }

  @Test
  void resultHasTheFrameIndexFirstThenTheResult() {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("label", "cat");
    result.put("score", 0.5);
    result.put("boxes", List.of(List.of(1, 2, 3, 4)));
    result.put("none", null);
    assertEquals("{\"frame_index\":3,\"result\":{\"label\":\"cat\",\"score\":0.5,\"boxes\":[[1,2,3,4]],\"none\":null}}",
        encoded(new Answer.Result(3, result)));
  }

  @Test
  void dropped() {
    assertEquals("{\"frame_index\":4,\"dropped\":true}", encoded(new Answer.Dropped(4)));
  }

  @Test
  void slowDown() {
    assertEquals("{\"warning\":\"slow_down\",\"max_fps\":20.0,\"drop_rate\":0.8}",
        encoded(new Answer.SlowDown(20, 0.8)));
  }

  @Test
  void errorWithItsDetailEscaped() {
    assertEquals("{\"error\":\"invalid_frame\",\"detail\":\"frame 0: say \\\"hi\\\"\"}",
        encoded(StreamError.invalidFrame(0, "say \"hi\"")));
  }

  @Test
  void everyAnswerIsOneTextMessageInOrder() {
    var sink = Source.from(List.<Answer>of(new Answer.Dropped(0), new Answer.Result(1, Map.of()),
            StreamError.internalError()))
        .via(EncodeFlow.flow())
        .map(message -> message.asTextMessage().getStrictText())
        .runWith(TestSink.<String>create(system), system);
    sink.request(3);
    sink.expectNext("{\"frame_index\":0,\"dropped\":true}", "{\"frame_index\":1,\"result\":{}}",
        "{\"error\":\"internal_error\",\"detail\":\"the server hit an unexpected error and closed the session\"}");
    sink.expectComplete();
  }
}
