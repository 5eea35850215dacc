package io.framewire.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random pipeline graphs against the workbench of a real server: cycles, self-loops, dangling and
 * duplicate edges, duplicate and odd node ids, huge fan-out, up to 10,000 nodes, unknown plugins and
 * tools, random params, entry and output nodes that do not exist. {@code POST /pipelines/validate}
 * answers each within the client's timeout, and {@code POST /pipelines} agrees with it: a graph
 * called valid is created (201), one with errors is refused 400 {@code invalid_pipeline} with the
 * same errors; never a 5xx.
 */
class PipelineGraphFuzzTest {

  private static FuzzServer fuzz;
  /** plugin id → its tools → their declared param names, from GET /tools. */
  private static final Map<String, Map<String, List<String>>> TOOLS = new java.util.TreeMap<>();
  private static final AtomicInteger IDS = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    fuzz = new FuzzServer();
    JsonNode catalogue = Answers.JSON.readTree(send("GET", "/tools", null).body());
    for (JsonNode plugin : catalogue) {
      Map<String, List<String>> tools = new java.util.TreeMap<>();
      for (JsonNode tool : plugin.get("tools")) {
        List<String> params = new ArrayList<>();
        tool.path("params").forEach(p -> params.add(p.get("name").asText()));
        tools.put(tool.get("tool_id").asText(), params);
      }
      TOOLS.put(plugin.get("plugin_id").asText(), tools);
    }
  }

  @AfterAll
  static void stop() {
    if (fuzz != null) {
      fuzz.close();
    }
  }

  /** A generated graph (its JSON and how many nodes, for the statistics). */
  record Graph(int nodes, String json) {
    @Override
    public String toString() {
      return nodes + " nodes: " + json;
    }
  }

  @Test
  void randomGraphsAreValidatedInBoundedTimeAndCreatedExactlyWhenValid() {
    Fuzz.check("pipeline-graphs", 100, graphs(), (graph, stats) -> {
      stats.collect("nodes", graph.nodes() >= 1_000 ? graph.nodes() : graph.nodes() >= 10 ? "10-999" : "0-9");
      long started = System.nanoTime();
      HttpResponse<String> validated = send("POST", "/pipelines/validate", graph.json());
      long ms = (System.nanoTime() - started) / 1_000_000;
      stats.collect("validate answered within", ms < 10 ? "10 ms" : ms < 100 ? "100 ms" : ms < 1_000 ? "1 s" : "15 s");
      assertEquals(200, validated.statusCode(), validated.body());
      JsonNode verdict = Answers.JSON.readTree(validated.body());
      boolean valid = verdict.get("valid").asBoolean();
      stats.collect("valid", valid);
      HttpResponse<String> created = send("POST", "/pipelines", graph.json());
      Answers.assertWellFormed(graph.toString(), created.statusCode(),
          created.headers().firstValue("content-type").orElse(null), created.body());
      if (valid) {
        assertEquals(201, created.statusCode(), "validate said valid, create said " + created.body());
        String id = Answers.JSON.readTree(created.body()).get("id").asText();
        assertEquals(204, send("DELETE", "/pipelines/" + id, null).statusCode());
      } else {
        assertEquals(400, created.statusCode(), created.body());
        JsonNode refusal = Answers.JSON.readTree(created.body());
        assertEquals("invalid_pipeline", refusal.get("error").asText());
        assertEquals(verdict.get("errors"), refusal.get("errors"));
        assertTrue(refusal.get("errors").size() > 0, created.body());
        // thousands of problems are counted, and listed only up to a bound
        int count = verdict.get("problem_count").asInt();
        assertEquals(Math.min(count, 100), refusal.get("errors").size());
        assertTrue(refusal.get("detail").asText().startsWith(count == 1 ? "1 problem" : count + " problems"), created.body());
      }
      fuzz.assertHealthy(graph.toString());
    });
  }

  Gen<Graph> graphs() {
    Gen<Integer> size = Gen.frequency(
        Gen.weight(12, Gen.ints(0, 8)), Gen.weight(3, Gen.ints(9, 200)), Gen.weight(1, Gen.of(1_000, 10_000)));
    return size.flatMap(n -> r -> graph(n, r));
  }

  /** n nodes, mostly known tools, and a random mix of edge shapes over their ids (and some others). */
  private static Graph graph(int n, java.util.SplittableRandom r) {
    // Half the graphs are clean (known tools, no params, acyclic, one entry): most of them are valid.
    boolean clean = r.nextBoolean();
    List<String> ids = new ArrayList<>();
    StringBuilder nodes = new StringBuilder();
    List<String> plugins = new ArrayList<>(TOOLS.keySet());
    for (int i = 0; i < n; i++) {
      String id = !clean && r.nextInt(40) == 0 ? Gen.of("", "n0", "a b", "\u00e9", "x".repeat(300)).next(r) : "n" + i;
      ids.add(id);
      String plugin = !clean && r.nextInt(12) == 0 ? "no_such_plugin" : plugins.get(r.nextInt(plugins.size()));
      List<String> tools = new ArrayList<>(TOOLS.getOrDefault(plugin, Map.of()).keySet());
      String tool = tools.isEmpty() || !clean && r.nextInt(12) == 0 ? "no_such_tool" : tools.get(r.nextInt(tools.size()));
      List<String> declared = TOOLS.getOrDefault(plugin, Map.of()).getOrDefault(tool, List.of());
      // Big graphs keep to small params: their bodies stay under the 8 MiB entity limit.
      String params = clean || n > 200 && r.nextInt(10) > 0 ? null : params(declared, r);
      nodes.append(i == 0 ? "" : ",").append("{\"id\":").append(quote(id))
          .append(",\"plugin_id\":").append(quote(plugin)).append(",\"tool_id\":").append(quote(tool))
          .append(params == null ? "" : ",\"params\":" + params).append('}');
    }
    List<String> edges = new ArrayList<>();
    Gen<String> anyId = ids.isEmpty() ? Gen.constant("ghost")
        : Gen.frequency(Gen.weight(9, Gen.of(ids)), Gen.weight(1, Gen.of("ghost", "", "N0")));
    switch (clean ? Gen.of(0, 1, 3).next(r) : r.nextInt(5)) {
      case 0 -> { // a chain, sometimes closed into a cycle
        for (int i = 1; i < n; i++) {
          edges.add(edge(ids.get(i - 1), ids.get(i)));
        }
        if (n > 0 && !clean && r.nextBoolean()) {
          edges.add(edge(ids.get(n - 1), ids.get(0)));
        }
      }
      case 1 -> { // huge fan-out from the first node
        for (int i = 1; i < n; i++) {
          edges.add(edge(ids.get(0), ids.get(i)));
        }
      }
      case 2 -> { // random edges: self-loops, duplicates, dangling ends
        int m = r.nextInt(2 * n + 2);
        for (int i = 0; i < m; i++) {
          edges.add(edge(anyId.next(r), anyId.next(r)));
        }
      }
      case 3 -> { // a random DAG (edges only forward)
        for (int i = 1; i < n; i++) {
          edges.add(edge(ids.get(r.nextInt(i)), ids.get(i)));
        }
      }
      default -> { } // no edges
    }
    String entries = ids.isEmpty() ? "[]" : list(anyId, r, Math.min(n, 3));
    String outputs = ids.isEmpty() ? "[]" : list(anyId, r, Math.min(n, 3));
    if (n > 0 && (clean || r.nextInt(3) > 0)) {
      entries = "[" + quote(ids.get(0)) + "]";
      outputs = "[" + quote(ids.get(n - 1)) + "]";
    }
    String json = "{\"id\":\"g" + IDS.incrementAndGet() + "\",\"name\":\"fuzzed graph\",\"nodes\":[" + nodes
        + "],\"edges\":[" + String.join(",", edges) + "],\"entry_nodes\":" + entries + ",\"output_nodes\":" + outputs
        + "}";
    return new Graph(n, json);
  }

  /** Declared params with random values (often valid-looking numbers), sometimes unknown ones; or none. */
  private static String params(List<String> declared, java.util.SplittableRandom r) {
    if (r.nextInt(3) == 0) {
      return null;
    }
    List<String> members = new ArrayList<>();
    for (String name : declared) {
      if (r.nextBoolean()) {
        members.add(quote(name) + ":" + Gen.frequency(
            Gen.weight(2, Gen.of("0", "1", "0.5", "2", "10", "true", "\"x\"", "[]")),
            Gen.weight(1, FuzzJson.value(1).map(v -> v.length() > 1_000 ? "\"long\"" : v))).next(r));
      }
    }
    if (r.nextInt(5) == 0) {
      members.add("\"unknown_param\":" + Gen.of("1", "null", "{}", "\"x\"").next(r));
    }
    return "{" + String.join(",", members) + "}";
  }

  private static String list(Gen<String> id, java.util.SplittableRandom r, int max) {
    List<String> out = new ArrayList<>();
    for (int i = 0, k = r.nextInt(max + 1); i < k; i++) {
      out.add(quote(id.next(r)));
    }
    return "[" + String.join(",", out) + "]";
  }

  private static String edge(String from, String to) {
    return "{\"from_node\":" + quote(from) + ",\"to_node\":" + quote(to) + "}";
  }

  private static String quote(String s) {
    return Answers.JSON.valueToTree(s).toString();
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(fuzz.uri(path)).timeout(FuzzServer.TIMEOUT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return fuzz.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
