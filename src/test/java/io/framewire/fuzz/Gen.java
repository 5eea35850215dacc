package io.framewire.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * A generator of random values for the fuzz properties: a function of a seeded random source, so a
 * case is reproduced from its seed alone ({@link Fuzz}). Small combinators, enough for hostile
 * HTTP requests, JSON, pipeline graphs and mutated media.
 */
@FunctionalInterface
interface Gen<T> {

  T next(SplittableRandom random);

  default <U> Gen<U> map(Function<? super T, ? extends U> f) {
    return r -> f.apply(next(r));
  }

  default <U> Gen<U> flatMap(Function<? super T, Gen<U>> f) {
    return r -> f.apply(next(r)).next(r);
  }

  /** A list of {@code min..max} values. */
  default Gen<List<T>> list(int min, int max) {
    return r -> {
      int n = min + r.nextInt(max - min + 1);
      List<T> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(next(r));
      }
      return out;
    };
  }

  static <T> Gen<T> constant(T value) {
    return r -> value;
  }

  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    return of(Arrays.asList(values));
  }

  static <T> Gen<T> of(List<T> values) {
    return r -> values.get(r.nextInt(values.size()));
  }

  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    return r -> gens[r.nextInt(gens.length)].next(r);
  }

  /** A generator with its weight, for {@link #frequency}. */
  record Weighted<T>(int weight, Gen<? extends T> gen) {}

  static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
    return new Weighted<>(weight, gen);
  }

  @SafeVarargs
  static <T> Gen<T> frequency(Weighted<T>... choices) {
    int total = Arrays.stream(choices).mapToInt(Weighted::weight).sum();
    return r -> {
      int pick = r.nextInt(total);
      for (Weighted<T> choice : choices) {
        pick -= choice.weight();
        if (pick < 0) {
          return choice.gen().next(r);
        }
      }
      throw new IllegalStateException("unreachable");
    };
  }

  static Gen<Integer> ints(int min, int max) {
    return r -> min + r.nextInt(max - min + 1);
  }

  static Gen<Long> longs() {
    return SplittableRandom::nextLong;
  }

  static Gen<Boolean> bools() {
    return SplittableRandom::nextBoolean;
  }

  static Gen<byte[]> bytes(int maxLength) {
    return r -> {
      byte[] out = new byte[r.nextInt(maxLength + 1)];
      r.nextBytes(out);
      return out;
    };
  }

  /** Strings of {@code min..max} chars from {@code alphabet}. */
  static Gen<String> strings(int min, int max, Gen<Character> alphabet) {
    return r -> {
      int n = min + r.nextInt(max - min + 1);
      StringBuilder out = new StringBuilder(n);
      for (int i = 0; i < n; i++) {
        out.append(alphabet.next(r));
      }
      return out.toString();
    };
  }

  static Gen<Character> chars(char from, char to) {
    return r -> (char) (from + r.nextInt(to - from + 1));
  }

  /** Any UTF-16 code unit, biased: printable ASCII, then any BMP char, controls, lone surrogates. */
  static Gen<Character> anyChar() {
    return frequency(
        weight(6, chars(' ', '~')),
        weight(2, chars('\u00a0', '\ud7ff')),
        weight(1, chars('\u0000', '\u001f')),
        weight(1, chars('\ud800', '\udfff')));
  }

  static Gen<Character> alphanumeric() {
    return oneOf(chars('a', 'z'), chars('A', 'Z'), chars('0', '9'));
  }
}
