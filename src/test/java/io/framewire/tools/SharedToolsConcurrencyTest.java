package io.framewire.tools;

import io.framewire.api.Tool;
import io.framewire.pipeline.ToolRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestJpegs;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Stateless tools are one instance for all sessions: many threads at once must get their own answers. */
class SharedToolsConcurrencyTest {

  @Test
  void oneInfoAndOneScanInstanceServeManyThreads() throws Exception {
    ToolRegistry registry = ToolRegistry.fromClasspath();
    Tool info = registry.create("image", "info", null);
    Tool scan = registry.create("codes", "scan", null);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<String>> tasks = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        int n = i;
        byte[] qr = TestJpegs.qrCode("frame-" + n, 160 + 8 * (n % 4));
        byte[] solid = TestJpegs.solid(40 + n, 30, Color.WHITE);
        tasks.add(() -> {
          Object width = info.apply(Map.of("frame_index", (long) n, "image_bytes", solid)).get("width");
          @SuppressWarnings("unchecked")
          var codes = (List<Map<String, Object>>) scan.apply(Map.of("frame_index", (long) n, "image_bytes", qr)).get("codes");
          return width + " " + (codes.isEmpty() ? "none" : codes.get(0).get("text"));
        });
      }
      // Single-threaded answers first: ZXing itself misses the odd synthetic symbol (it does on
      // "frame-23" at 184 px, even unencoded), and that is not what this test is about.
      List<String> expected = new ArrayList<>();
      for (Callable<String> task : tasks) {
        expected.add(task.call());
      }
      long decoded = expected.stream().filter(r -> r.contains("frame-")).count();
      assertTrue(decoded >= 20, "too few codes decoded to make the comparison mean something: " + expected);
      for (int round = 0; round < 3; round++) {
        List<Future<String>> results = pool.invokeAll(tasks);
        for (int i = 0; i < results.size(); i++) {
          assertEquals(expected.get(i), results.get(i).get(), "task " + i);
          assertTrue(expected.get(i).startsWith((40 + i) + " "), expected.get(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
