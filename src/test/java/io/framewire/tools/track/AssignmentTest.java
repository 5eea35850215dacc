package io.framewire.tools.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class AssignmentTest {

  @Test
  void findsTheOptimumWhereGreedyDoesNot() {
    double[][] cost = {
        {0.1, 0.2, 0.9},
        {0.2, 0.9, 0.9},
        {0.9, 0.9, 0.3}};
    // Greedy (cheapest pair first) takes (0,0), (2,2), (1,1): 1.3. The optimum is 0.2 + 0.2 + 0.3 = 0.7.
    assertArrayEquals(new int[] {1, 0, 2}, Assignment.solve(cost, 1.0));
  }

  @Test
  void neverMatchesAPairAboveTheGate() {
    double[][] cost = {
        {0.1, 0.6},
        {0.6, 0.9}};
    assertArrayEquals(new int[] {0, -1}, Assignment.solve(cost, 0.5));
    // With the gate at 1 both rows match, at the lower total (0.1 + 0.9 < 0.6 + 0.6).
    assertArrayEquals(new int[] {0, 1}, Assignment.solve(cost, 1.0));
    double[][] blocked = {{Double.NaN, 0.3}, {0.2, Double.NaN}};
    assertArrayEquals(new int[] {1, 0}, Assignment.solve(blocked, 0.5));
  }

  @Test
  void rectangularAndEmptyMatrices() {
    assertArrayEquals(new int[] {2, 0}, Assignment.solve(new double[][] {{0.5, 0.4, 0.1}, {0.2, 0.3, 0.05}}, 0.8));
    assertArrayEquals(new int[] {-1, -1}, Assignment.solve(new double[][] {{}, {}}, 0.8));
    assertArrayEquals(new int[] {}, Assignment.solve(new double[0][0], 0.8));
    assertArrayEquals(new int[] {-1, 0, -1}, Assignment.solve(new double[][] {{0.7}, {0.1}, {0.3}}, 0.8));
  }
}
