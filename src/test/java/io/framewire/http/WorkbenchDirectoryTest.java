package io.framewire.http;

import static io.framewire.http.Http.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.pipeline.PipelineJson;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PIPELINES_DIR against the real server: the API writes pipelines there (found again after a
 * restart), and files added, broken, fixed and removed there are picked up without a restart.
 * Every wait is on the registry's state (polled), never a fixed sleep.
 */
class WorkbenchDirectoryTest {

  @TempDir Path dir;

  private TestServer start(boolean watch) {
    return TestServer.start(Map.of("framewire.pipelines.dir", dir.toString(), "framewire.pipelines.watch", watch,
        "framewire.pipelines.watch-debounce-ms", 50));
  }

  private List<String> files() throws Exception {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void createdPipelinesAreWrittenAtomicallyAndSurviveARestart() throws Exception {
    try (TestServer server = start(false)) {
      Http http = new Http(server.port());
      var created = http.post("/pipelines", single("kept", "debug", "sleep", "{\"ms\": 1}"));
      assertEquals(201, created.status(), created.raw());
      assertTrue(created.body().get("persisted").asBoolean());
      assertEquals("file", created.body().get("source").asText());
      assertEquals("kept.json", created.body().get("file").asText());
      assertFalse(created.body().has("note"));
      assertEquals(List.of("kept.json"), files(), "no temporary file left behind");
      assertEquals("kept", PipelineJson.read(Files.readString(dir.resolve("kept.json"))).id());
      assertEquals(200, http.put("/pipelines/kept", single("kept", "debug", "sleep", "{\"ms\": 2}")).status());
      assertEquals("directory", http.get("/workbench").body().get("storage").asText());
    }
    try (TestServer restarted = start(false)) {
      Http http = new Http(restarted.port());
      var kept = http.get("/pipelines/kept");
      assertEquals(200, kept.status());
      assertEquals(2, kept.body().at("/nodes/0/params/ms").asInt(), "the replaced version was written");
      try (WsTestClient client = restarted.stream("kept")) {
        assertEquals(2, client.sendBinary(TestJpegs.grayscale(32, 32, 9)).next().at("/result/slept_ms").asInt());
      }
      assertEquals(204, http.delete("/pipelines/kept").status());
      assertEquals(List.of(), files(), "deleting removes the file");
    }
  }

  @Test
  void filesAreHotReloadedAddBreakFixRemove() throws Exception {
    try (TestServer server = start(true)) {
      Http http = new Http(server.port());
      Path file = dir.resolve("hot.json");

      Files.writeString(file, single("hot", "debug", "sleep", "{\"ms\": 1}"));
      TestServer.await("hot.json is loaded", () -> http.get("/pipelines/hot").status() == 200);
      assertEquals(1, version(http, "hot"));
      try (WsTestClient client = server.stream("hot")) {
        assertEquals(1, client.sendBinary(TestJpegs.grayscale(32, 32, 9)).next().at("/result/slept_ms").asInt());
      }

      Files.writeString(file, single("hot", "debug", "sleep", "{\"msec\": 5}"));
      TestServer.await("the broken file is reported", () -> http.get("/workbench").body().at("/file_errors").has("hot.json"));
      JsonNode errors = http.get("/workbench").body().at("/file_errors/hot.json");
      assertEquals("node 'n': unknown param 'msec' (known: ms)", errors.get(0).asText());
      assertEquals(1, http.get("/pipelines/hot").body().at("/nodes/0/params/ms").asInt(), "the previous version serves");

      Files.writeString(file, single("hot", "debug", "sleep", "{\"ms\": 3}"));
      TestServer.await("the fixed file is loaded", () -> version(http, "hot") == 2);
      assertEquals(3, http.get("/pipelines/hot").body().at("/nodes/0/params/ms").asInt());
      assertFalse(http.get("/workbench").body().at("/file_errors").has("hot.json"));

      Files.delete(file);
      TestServer.await("the removed file's pipeline is gone", () -> http.get("/pipelines/hot").status() == 404);

      // An API write is not reloaded as a new version by the watcher.
      assertEquals(201, http.post("/pipelines", single("api", "debug", "echo", "{}")).status());
      Files.writeString(dir.resolve("marker.json"), single("marker", "debug", "echo", "{}"));
      TestServer.await("a later file is loaded", () -> http.get("/pipelines/marker").status() == 200);
      assertEquals(1, version(http, "api"));

      // A file may not take a built-in's id.
      Files.writeString(dir.resolve("sneaky.json"), single("echo", "image", "info", "{}"));
      TestServer.await("the clash is reported", () -> http.get("/workbench").body().at("/file_errors").has("sneaky.json"));
      assertEquals("debug", http.get("/pipelines/echo").body().at("/nodes/0/plugin_id").asText());
    }
  }

  private static int version(Http http, String id) {
    for (JsonNode p : http.get("/pipelines").body()) {
      if (p.get("id").asText().equals(id)) {
        return p.get("version").asInt();
      }
    }
    return -1;
  }
}
