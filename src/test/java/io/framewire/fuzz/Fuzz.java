package io.framewire.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Runs a property over generated cases, on JUnit Jupiter: each try draws its case from a seed of
 * its own; a failing try fails the test with that seed, the case and the command that replays it
 * ({@code -Dfuzz.seed=S -Dfuzz.tries=1}), and its seed is kept in {@code target/fuzz-failures/}
 * and tried first on the next run. Statistics (labels collected by the property) are printed.
 *
 * <p>Tries: each property's own default (kept small: the whole fuzz set adds well under a minute
 * to the suite), or {@code -Dfuzz.tries=N} for all of them. {@code -Dfuzz.seed=S} makes try 0 use
 * seed S (the rest follow from it).
 */
final class Fuzz {

  private static final Path FAILURES = Path.of("target", "fuzz-failures");

  /** The property under test; it may throw anything (a failure). */
  @FunctionalInterface
  interface Property<T> {
    void check(T value, Stats stats) throws Exception;
  }

  /** Counts per label and value, for the printed report. */
  static final class Stats {
    private final Map<String, Map<String, Integer>> counts = new TreeMap<>();

    void collect(String label, Object value) {
      counts.computeIfAbsent(label, l -> new TreeMap<>()).merge(String.valueOf(value), 1, Integer::sum);
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      counts.forEach((label, values) -> {
        out.append("\n  ").append(label).append(':');
        values.forEach((value, n) -> out.append("\n    ").append(n).append("  ").append(value));
      });
      return out.toString();
    }
  }

  /** What a run did: tries, seed of the first, statistics. */
  record Report(String name, int tries, long seed, Stats stats) {}

  private Fuzz() {}

  /** Tries for a property whose default is {@code defaults}: {@code -Dfuzz.tries} when set. */
  static int tries(int defaults) {
    return Integer.getInteger("fuzz.tries", defaults);
  }

  static <T> Report check(String name, int defaultTries, Gen<T> gen, Property<T> property) {
    int tries = tries(defaultTries);
    Long fixed = Long.getLong("fuzz.seed");
    long seed = fixed != null ? fixed : new SplittableRandom().nextLong();
    Stats stats = new Stats();
    List<Long> seeds = new ArrayList<>(fixed == null ? remembered(name) : List.of());
    long next = seed;
    for (int i = 0; i < tries; i++) {
      seeds.add(next);
      next = new SplittableRandom(next).nextLong();
    }
    int done = 0;
    long started = System.nanoTime();
    for (long trySeed : seeds) {
      T value = gen.next(new SplittableRandom(trySeed));
      try {
        property.check(value, stats);
      } catch (Throwable failure) {
        remember(name, trySeed);
        AssertionError error = new AssertionError(name + " failed at try " + (done + 1) + " of " + seeds.size()
            + ", seed " + trySeed + " (replay: -Dfuzz.seed=" + trySeed + " -Dfuzz.tries=1)\n  case: "
            + Answers.clip(String.valueOf(value)) + "\n  " + failure, failure);
        throw error;
      }
      done++;
    }
    forget(name);
    Report report = new Report(name, done, seed, stats);
    System.out.println("[fuzz] " + name + ": " + done + " tries passed in "
        + (System.nanoTime() - started) / 1_000_000 + " ms (seed " + seed + ")" + stats);
    return report;
  }

  private static List<Long> remembered(String name) {
    Path file = FAILURES.resolve(name);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(Long::parseLong).distinct().toList();
    } catch (IOException | NumberFormatException e) {
      return List.of();
    }
  }

  private static void remember(String name, long seed) {
    try {
      Files.createDirectories(FAILURES);
      Files.writeString(FAILURES.resolve(name), seed + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException ignored) {
      // the seed is in the failure message anyway
    }
  }

  private static void forget(String name) {
    try {
      Files.deleteIfExists(FAILURES.resolve(name));
    } catch (IOException ignored) {
      // a stale seed is only tried once more
    }
  }
}
