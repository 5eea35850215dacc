package io.framewire.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Generators of hostile input as text: JSON values (wrong types, huge numbers, deep nesting, huge
 * and odd strings, lone surrogates, nulls), valid bodies mutated field by field, bodies that are no
 * JSON at all, path segments and query strings. Text, not Jackson trees, so that what no encoder
 * would write (a lone surrogate, {@code 1e999999}, 100,000 {@code [}) reaches the server.
 */
final class FuzzJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Strings a parser or a log line may choke on, beside random ones. */
  private static final List<String> ODD_STRINGS = List.of(
      "", " ", "\\u0000", "\\ud800", "\\udfff", "\\ud800\\u0041", "\ud83d\ude00", "é", "\u202e", "../../etc/passwd",
      "%00", "%zz", "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>", "'; DROP TABLE events; --",
      "a\\nb", "\\\"", "rtsp://", "tcp://127.0.0.1:1", "file:///etc/passwd", "echo");

  private static final List<String> ODD_NUMBERS = List.of(
      "0", "-0", "1e999999", "-1e999999", "123456789012345678901234567890", "9223372036854775808",
      "-9223372036854775809", "2147483648", "0.000000000000000000000000001", "1.5", "-1", "1E400", "4e-400");

  private FuzzJson() {}

  /** A JSON string literal (quotes included): odd, random unicode, or long. */
  static Gen<String> stringLiteral() {
    return Gen.<String>frequency(
        Gen.weight(4, Gen.of(ODD_STRINGS)),
        Gen.weight(4, Gen.strings(0, 40, Gen.anyChar()).map(FuzzJson::escape)),
        Gen.weight(4, Gen.strings(1, 20, Gen.alphanumeric())),
        Gen.weight(1, Gen.ints(1_000, 200_000).map("x"::repeat)))
        .map(s -> '"' + s + '"');
  }

  /** A JSON value of any type, nested up to {@code depth} levels. */
  static Gen<String> value(int depth) {
    Gen<String> scalar = Gen.oneOf(
        Gen.of("null", "true", "false"),
        Gen.of(ODD_NUMBERS),
        Gen.longs().map(l -> Long.toString(l)),
        r -> Double.toString(r.nextDouble(-1e300, 1e300)),
        stringLiteral());
    if (depth <= 0) {
      return scalar;
    }
    Gen<String> child = r -> value(depth - 1).next(r);
    Gen<String> array = child.list(0, 4).map(items -> "[" + String.join(",", items) + "]");
    Gen<String> member = r -> stringLiteral().next(r) + ":" + child.next(r);
    Gen<String> object = member.list(0, 4).map(members -> "{" + String.join(",", members) + "}");
    return Gen.frequency(Gen.weight(4, scalar), Gen.weight(1, array), Gen.weight(1, object));
  }

  /**
   * A body for an endpoint whose valid body is {@code seed}: mostly the seed with some of its fields
   * (at any depth) replaced, removed, nulled or joined by unknown ones; otherwise no JSON object at
   * all (truncated, deep nesting, garbage, a bare value, nothing).
   */
  static Gen<String> body(String seed) {
    Gen<String> mutated = mutation().list(1, 4).map(ms -> apply(seed, ms));
    return Gen.frequency(
        Gen.weight(6, mutated),
        Gen.weight(1, Gen.constant(seed)),
        Gen.weight(2, value(3)),
        Gen.weight(1, Gen.ints(0, seed.length()).map(n -> seed.substring(0, n))),
        Gen.weight(1, nesting()),
        Gen.weight(1, Gen.strings(0, 200, Gen.anyChar())));
  }

  /** {@code n} unclosed (or closed) brackets or braces, up to 100,000 deep. */
  static Gen<String> nesting() {
    return r -> {
          String open = Gen.of("[", "{\"a\":", "[{\"a\":").next(r);
          int n = Gen.of(1_000, 10_000, 100_000).next(r);
          boolean closed = r.nextBoolean();
          String head = open.repeat(n);
          if (!closed) {
            return head;
          }
          String close = new StringBuilder(open.replaceAll("[^\\[{]", "").replace('[', ']').replace('{', '}'))
              .reverse().toString();
          return head + "1" + close.repeat(n);
        };
  }

  /** One change to a JSON tree, by the index of the field it hits (modulo the fields there are). */
  record Mutation(int field, int kind, String value) {}

  static Gen<Mutation> mutation() {
    return r -> new Mutation(r.nextInt(51), r.nextInt(5), value(2).next(r));
  }

  /** The seed with each mutation applied; rendered by hand so that raw values stay as generated. */
  static String apply(String seed, List<Mutation> mutations) {
    try {
      JsonNode tree = JSON.readTree(seed);
      Map<List<Object>, String> replaced = new java.util.LinkedHashMap<>();
      List<List<Object>> paths = new ArrayList<>();
      collect(tree, new ArrayList<>(), paths);
      java.util.Set<List<Object>> removed = new java.util.HashSet<>();
      List<String> extra = new ArrayList<>();
      for (Mutation m : mutations) {
        List<Object> path = paths.get(m.field() % paths.size());
        switch (m.kind()) {
          case 0 -> replaced.put(path, m.value());
          case 1 -> removed.add(path);
          case 2 -> replaced.put(path, "null");
          case 3 -> extra.add("\"unknown_" + m.field() + "\":" + m.value());
          default -> replaced.put(path, "[" + m.value() + "]");
        }
      }
      return render(tree, new ArrayList<>(), replaced, removed, extra);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void collect(JsonNode node, List<Object> path, List<List<Object>> into) {
    if (!path.isEmpty()) {
      into.add(List.copyOf(path));
    }
    if (node.isObject()) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        path.add(name);
        collect(node.get(name), path, into);
        path.remove(path.size() - 1);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        path.add(i);
        collect(node.get(i), path, into);
        path.remove(path.size() - 1);
      }
    }
  }

  private static String render(JsonNode node, List<Object> path, Map<List<Object>, String> replaced,
      java.util.Set<List<Object>> removed, List<String> extraAtTop) {
    if (replaced.containsKey(path)) {
      return replaced.get(path);
    }
    List<String> parts = new ArrayList<>();
    if (node.isObject()) {
      for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        path.add(name);
        if (!removed.contains(path)) {
          parts.add(JSON.valueToTree(name).toString() + ":" + render(node.get(name), path, replaced, removed, List.of()));
        }
        path.remove(path.size() - 1);
      }
      parts.addAll(extraAtTop);
      return "{" + String.join(",", parts) + "}";
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        path.add(i);
        if (!removed.contains(path)) {
          parts.add(render(node.get(i), path, replaced, removed, List.of()));
        }
        path.remove(path.size() - 1);
      }
      return "[" + String.join(",", parts) + "]";
    }
    return node.toString();
  }

  /** A path segment, percent-encoded where needed: odd, random unicode, long, or dots. */
  static Gen<String> segment() {
    return Gen.frequency(
            Gen.weight(4, Gen.of("..", ".", "%2e%2e", "%2F", "%00", "%ff", "%ed%a0%80", "echo", "a;b", "~", "%25")),
            Gen.weight(4, Gen.strings(1, 30, Gen.anyChar()).map(FuzzJson::percentEncode)),
            Gen.weight(1, Gen.ints(200, 20_000).map("s"::repeat)),
            Gen.weight(3, Gen.longs().map(l -> Long.toString(l))));
  }

  /** A query string (without '?'): known and unknown keys with odd values, repeated keys, raw junk. */
  static Gen<String> query() {
    Gen<String> key = Gen.oneOf(Gen.of(Doors.QUERY_KEYS), segment());
    Gen<String> val = Gen.oneOf(
        Gen.of("", "-1", "0", "1", "asc", "desc", "99999999999999999999", "1e9", "NaN", "true", "x,y,,z",
            "1h", "-5m", "0s", "2026-01-01T00:00:00Z", "9999-99-99", "stream,type,label", "echo"),
        segment());
    Gen<String> pair = r -> r.nextInt(4) > 0 ? key.next(r) + "=" + val.next(r) : key.next(r);
    return Gen.frequency(
        Gen.weight(5, pair.list(0, 6).map(pairs -> String.join("&", pairs))),
        Gen.weight(1, Gen.of("&&&", "=", "==", "%", "a=%", "a=%zz", "a=%00", "&a=1&a=2&a=3")));
  }

  /** Each char escaped the way a JSON string literal allows (lone surrogates as \\u escapes). */
  static String escape(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static String percentEncode(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '_' || c == '.') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }
}
