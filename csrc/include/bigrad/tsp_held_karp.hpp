// Held–Karp filled level by level, one table entry per call: the form the
// CUDA driver runs (cuda/tsp.cu, one block per instance, its threads sharing
// the entries of a level), and tsp_held_karp_levels runs on the host, so the
// CPU tests check exactly the arithmetic the GPU does.
//
// Same workspace layout and table as tsp_fill_table (bigrad/tsp.hpp): the
// distance rows D, then dp[S][j] for the sets S of cities 1..n-1 (bit j =
// city j + 1). An entry is "pulled":
//
//   dp[S][j] = min over k in S \ {j}, ascending, of dp[S \ {j}][k] + D[k][j]
//
// with the running minimum replaced only by a strictly smaller sum, starting
// from +inf: the very sums and comparisons, in the same order, that the
// push form of tsp_fill_table makes for that entry, so both tables are
// bit-identical and tsp_trace_tour reads the same tour from either. The
// entries of the sets of c cities depend only on those of c - 1 cities.
#pragma once

#include <cstdint>

#include "bigrad/tsp.hpp"

namespace bigrad {

// Entry e of the distance rows: D[k][j] = dist[k + 1][j + 1], 0 in the padding
// (k = e / P, j = e % P; e < (n - 1) * tsp_row_stride(n)).
template <typename T>
BIGRAD_HD void tsp_distance_entry(const T* dist, int n, T* work, int e) {
  const int m = n - 1, P = tsp_row_stride(n), k = e / P, j = e % P;
  work[e] = j < m ? dist[(k + 1) * n + (j + 1)] : T(0);
}

// Table entry dp[S][j] (bit j set in S != 0), from the entries of S \ {j}
// (already final); a single city j costs dist[0][j + 1].
template <typename T>
BIGRAD_HD void tsp_table_entry(const T* dist, int n, T* work, uint32_t S, int j) {
  const int m = n - 1, P = tsp_row_stride(n);
  const T* D = work;
  T* dp = work + int64_t(P) * m;
  const uint32_t R = S & ~(uint32_t(1) << j);
  if (R == 0) {
    dp[int64_t(S) * m + j] = dist[j + 1];
    return;
  }
  const T* row = dp + int64_t(R) * m;
  T acc = tsp_infinity<T>();
  for (uint32_t rest = R; rest != 0; rest &= rest - 1) {
    const int k = detail::tsp_lowest_bit(rest);
    const T x = row[k] + D[k * P + j];
    acc = x < acc ? x : acc;
  }
  dp[int64_t(S) * m + j] = acc;
}

// Binomial coefficient C(q, i) (0 when i > q), exact in int64 for q <= 31.
BIGRAD_HD int64_t tsp_binomial(int q, int i) {
  if (i < 0 || i > q) return 0;
  int64_t b = 1;
  for (int t = 1; t <= i; ++t) b = b * (q - i + t) / t;
  return b;
}

// The r-th (from 0, in increasing numeric order) set of c cities among m:
// r = sum of C(p_i, i) over its bits p_1 < ... < p_c (the combinatorial
// number system), unranked from the top bit down. Level c of the table is
// the sets r = 0 .. C(m, c) - 1.
BIGRAD_HD uint32_t tsp_level_set(int m, int c, int64_t r) {
  uint32_t S = 0;
  int q = m;
  for (int i = c; i >= 1; --i) {
    --q;
    int64_t b = tsp_binomial(q, i);
    while (b > r) {  // C(q - 1, i) = C(q, i) (q - i) / q
      b = b * (q - i) / q;
      --q;
    }
    S |= uint32_t(1) << q;
    r -= b;
  }
  return S;
}

// All entries dp[S][j] of one set S (after the level below it is final).
template <typename T>
BIGRAD_HD void tsp_table_set(const T* dist, int n, T* work, uint32_t S) {
  for (uint32_t rest = S; rest != 0; rest &= rest - 1) tsp_table_entry(dist, n, work, S, detail::tsp_lowest_bit(rest));
}

// The whole level-by-level solve of one instance on one thread (the host
// reference of the CUDA driver): distance rows, levels 1 .. n - 1, then the
// same trace back as tsp_held_karp. work: tsp_workspace_size(n) values.
template <typename T>
BIGRAD_HD T tsp_held_karp_levels(const T* dist, int n, T* work, int* succ) {
  const int m = n - 1, P = tsp_row_stride(n);
  for (int e = 0; e < m * P; ++e) tsp_distance_entry(dist, n, work, e);
  for (int c = 1; c <= m; ++c) {
    const int64_t sets = tsp_binomial(m, c);
    for (int64_t r = 0; r < sets; ++r) tsp_table_set(dist, n, work, tsp_level_set(m, c, r));
  }
  return tsp_trace_tour(dist, n, work, succ);
}

}  // namespace bigrad
