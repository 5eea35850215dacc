package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The error codes as one enum, and the one "up to the first error" operator. */
class StreamErrorTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyCodeIsDocumentedAndHasASentenceOnTheBrowserPage() throws Exception {
    String protocol = Files.readString(Path.of("docs", "protocol.md"));
    String page = Files.readString(Path.of("src", "main", "resources", "web", "errors.js"));
    List<String> missing = new ArrayList<>();
    for (StreamError.Code code : StreamError.Code.values()) {
      assertEquals(code.name().toLowerCase(), code.wire(), "wire strings are the lower-case names");
      if (!protocol.contains("`" + code.wire() + "`")) {
        missing.add(code.wire() + " not in docs/protocol.md");
      }
      if (!page.contains("  " + code.wire() + ": '")) {
        missing.add(code.wire() + " has no sentence in web/errors.js");
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void theCodeIsSentAsItsWireString() {
    assertEquals("{\"error\":\"client_stalled\",\"detail\":\"d\"}",
        AnswerEncoder.encode(new StreamError(StreamError.Code.CLIENT_STALLED, "d")));
  }

  @Test
  void upToFirstErrorPassesTheErrorThenCompletesAndCancelsUpstream() {
    Pair<TestPublisher.Probe<Inbound>, TestSubscriber.Probe<Inbound>> probes = TestSource.<Inbound>create(testKit.system())
        .via(StreamError.upToFirstError())
        .toMat(TestSink.create(testKit.system()), org.apache.pekko.stream.javadsl.Keep.both())
        .run(testKit.system());
    Frame frame = new Frame(0, new byte[] {1});
    StreamError error = StreamError.invalidMessage("no");
    probes.second().request(3);
    probes.first().sendNext(frame);
    probes.first().sendNext(error);
    probes.second().expectNext(frame);
    probes.second().expectNext(error);
    probes.second().expectComplete();
    probes.first().expectCancellation();
    assertTrue(error.code() == StreamError.Code.INVALID_MESSAGE);
  }
}
