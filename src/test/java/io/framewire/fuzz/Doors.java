package io.framewire.fuzz;

import java.util.List;
import java.util.Optional;

/**
 * Every door of a front node, in one table: the HTTP endpoints (method, path template, and for those
 * that read a body, a valid body the fuzz mutates) and the WebSocket endpoints. A new endpoint is one
 * more line here; every property over the table then covers it.
 *
 * <p>Path templates: {@code {pipeline}}, {@code {source}}, {@code {sink}}, {@code {event}}, {@code {job}} are
 * filled with a known id or a random segment ({@link FuzzJson#segment}).
 */
final class Doors {

  /** One HTTP endpoint. */
  record Door(String method, String path, Optional<String> body) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static final String PIPELINE = """
      {"id":"fuzzed","name":"fuzzed","description":"d","nodes":[{"id":"n","plugin_id":"debug","tool_id":"echo","params":{}}],
       "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}""";
  static final String SOURCE = """
      {"id":"cam","url":"tcp://127.0.0.1:9","pipeline_id":"echo"}""";
  static final String JOB = """
      {"pipeline_id":"echo","input":"clip.mp4","stride":1,"max_frames":10}""";
  static final String MCP_CALL = """
      {"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"analyze_image","arguments":{"pipeline_id":"echo","image_base64":"AAAA"}}}""";
  static final String SINK = """
      {"id":"hook","type":"webhook","url":"http://127.0.0.1:9/hook","timeout_ms":1000}""";

  static final List<Door> HTTP = List.of(
      get("/health"),
      get("/metrics"),
      get("/"),
      get("/web/{file}"),
      get("/tools"),
      get("/models"),
      get("/workbench"),
      get("/pipelines"),
      get("/pipelines/{pipeline}"),
      with("POST", "/pipelines/validate", PIPELINE),
      with("POST", "/pipelines", PIPELINE),
      with("PUT", "/pipelines/{pipeline}", PIPELINE),
      door("DELETE", "/pipelines/{pipeline}"),
      get("/sources"),
      with("POST", "/sources", SOURCE),
      get("/sources/{source}"),
      get("/sources/{source}/preview.jpg"),
      door("DELETE", "/sources/{source}"),
      get("/events"),
      get("/events/counts"),
      get("/events/{event}"),
      get("/events/{event}/snapshot.jpg"),
      get("/sinks"),
      with("POST", "/sinks", SINK),
      get("/sinks/{sink}"),
      door("DELETE", "/sinks/{sink}"),
      get("/jobs"),
      with("POST", "/jobs", JOB),
      get("/jobs/{job}"),
      get("/jobs/{job}/results"),
      door("DELETE", "/jobs/{job}"),
      with("POST", "/mcp", MCP_CALL),
      get("/mcp"),
      // The WebSocket doors, reached without an upgrade.
      get("/ws/video/stream"),
      get("/ws/sources/{source}"),
      get("/ws/events"));

  /**
   * A WebSocket door other than the frame stream (which has a protocol and a property of its own):
   * what its first message is once upgraded: {@code TAILING} ({@code {"tailing": true, …}}),
   * {@code ERROR_UNLESS_KNOWN} (an error and the close when its {@code {id}} names nothing; nothing
   * yet for a known one), or {@code NONE}.
   */
  record WsDoor(String path, First first) {}

  enum First { TAILING, ERROR_UNLESS_KNOWN, NONE }

  static final List<WsDoor> WEBSOCKETS = List.of(
      new WsDoor("/ws/sources/{source}", First.ERROR_UNLESS_KNOWN),
      new WsDoor("/ws/events", First.TAILING));

  /** Query parameters the endpoints read (the fuzz also sends unknown ones). */
  static final List<String> QUERY_KEYS = List.of(
      "pipeline_id", "timings", "limit", "order", "after", "since", "until", "stream", "type", "label", "line",
      "zone", "group_by", "bucket", "token");

  private static Door get(String path) {
    return door("GET", path);
  }

  private static Door door(String method, String path) {
    return new Door(method, path, Optional.empty());
  }

  private static Door with(String method, String path, String body) {
    return new Door(method, path, Optional.of(body));
  }

  private Doors() {}
}
