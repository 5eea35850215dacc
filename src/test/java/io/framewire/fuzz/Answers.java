package io.framewire.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What every answer to hostile input must be: a success, or a 4xx whose body is the one error shape
 * {@code {"error", "detail"}} (exactly those keys; an invalid pipeline's answer adds its {@code
 * errors} list, as documented; {@code /mcp}, which speaks JSON-RPC, answers a JSON-RPC error object
 * {@code {"jsonrpc", "id", "error": {"code", "message"}}}), never a 5xx, and never a Java class name
 * or stack trace in the text.
 */
final class Answers {

  static final ObjectMapper JSON = new ObjectMapper();

  /** What leaks the implementation: exception class names, stack frames, Java and library packages. */
  static final Pattern LEAK = Pattern.compile(
      "Exception|\\bat io\\.|java\\.|javax\\.|org\\.apache|scala\\.|\\$\\$(?:anon|Lambda)|com\\.fasterxml|JsonToken|StreamReadConstraints"
          // Scala's and the JVM's generated class names ($$anon, $$anonfun, $$Lambda), not any "$$" (echoed ids have them)
          // a qualified class or a Class.method() in backticks (Jackson's style); not any echoed `a.b`
          + "|`(?:[a-z]\\w*\\.)+[A-Z]|`[A-Z]\\w*\\.\\w+\\(");

  private Answers() {}

  /**
   * Asserts the answer {@code status} / {@code body} (null for a HEAD or an upgrade) to {@code what}
   * has the shape above.
   */
  static void assertWellFormed(String what, int status, String contentType, String body) {
    if (status >= 500) {
      throw new AssertionError(what + " → " + status + " " + clip(body));
    }
    if (status < 400 || body == null) {
      return;
    }
    if (contentType == null || !contentType.startsWith("application/json")) {
      throw new AssertionError(what + " → " + status + " not JSON (" + contentType + "): " + clip(body));
    }
    assertErrorJson(what + " → " + status, body);
  }

  /** {@code text} is the JSON error shape, naming a problem, leaking nothing. */
  static JsonNode assertErrorJson(String what, String text) {
    JsonNode json;
    try {
      json = JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(what + ": body is not JSON: " + clip(text));
    }
    Set<String> keys = new TreeSet<>();
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      keys.add(names.next());
    }
    if (keys.equals(Set.of("jsonrpc", "id", "error"))) {
      // /mcp speaks JSON-RPC: its refusals are JSON-RPC error objects (MCP's transport says so).
      JsonNode error = json.get("error");
      if (!error.path("code").isInt() || !error.path("message").isTextual() || error.path("message").asText().isBlank()) {
        throw new AssertionError(what + ": not a JSON-RPC error {code, message}: " + clip(text));
      }
      assertNoLeak(what, text);
      return json;
    }
    boolean pipelineErrors = json.path("error").asText().equals("invalid_pipeline") && keys.contains("errors");
    Set<String> expected = pipelineErrors ? Set.of("detail", "error", "errors") : Set.of("detail", "error");
    if (!keys.equals(expected) || !json.get("error").isTextual() || json.get("error").asText().isBlank()
        || !json.get("detail").isTextual() || json.get("detail").asText().isBlank()) {
      throw new AssertionError(what + ": not {\"error\",\"detail\"}: " + clip(text));
    }
    assertNoLeak(what, text);
    return json;
  }

  static void assertNoLeak(String what, String text) {
    if (text != null && LEAK.matcher(text).find()) {
      throw new AssertionError(what + ": leaks an implementation detail: " + clip(text));
    }
  }

  static String clip(String s) {
    return s == null ? "null" : s.length() > 600 ? s.substring(0, 600) + "…(" + s.length() + " chars)" : s;
  }
}
