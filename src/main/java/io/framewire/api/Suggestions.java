package io.framewire.api;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean …?": the known name closest to a misspelt one, if it is close enough to be a typo. */
public final class Suggestions {

  private Suggestions() {}

  /**
   * The closest of {@code known} by edit distance (case-insensitive), if it is at most a third of
   * the word's length (at least 1, at most 3) edits away and not a whole rewrite; ties go to the
   * first in iteration order.
   */
  public static Optional<String> closest(String word, Collection<String> known) {
    if (word == null || word.isEmpty()) {
      return Optional.empty();
    }
    String lower = word.toLowerCase(Locale.ROOT);
    int limit = Math.min(3, Math.max(1, lower.length() / 3));
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : known) {
      String other = candidate.toLowerCase(Locale.ROOT);
      if (Math.abs(other.length() - lower.length()) > limit) {
        continue; // at least that many edits apart: never a suggestion, and the distance is costly
      }
      int distance = distance(lower, other);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= limit && bestDistance < lower.length() ? Optional.of(best) : Optional.empty();
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
