// Exact travelling salesman tours by Held–Karp dynamic programming.
//
// dist is a row-major n x n matrix (dist[i * n + j] = cost of going i -> j,
// asymmetric allowed, diagonal ignored). Tours start and end at city 0; the
// other cities 1..n-1 are the m = n - 1 bits of a subset S. The table entry
//
//   dp[S][j] = cheapest path 0 -> ... -> city j+1 visiting exactly the cities of S
//
// (j in S) obeys dp[S][j] = min_{k in S \ {j}} dp[S \ {j}][k] + dist[k+1][j+1].
// It is filled forwards ("push"): for each set R in increasing order (so its
// row is final) the vector out[j] = min_{k in R} dp[R][k] + dist[k+1][j+1] is
// formed for all j at once -- a broadcast-add-min over contiguous, padded
// distance rows, in SIMD lanes on the host -- and out[j] is stored as
// dp[R + {j}][j] for every j not in R. No horizontal reductions; the loops
// over cities walk the set bits of R (no per-city membership branch, which
// would mispredict half the time).
// No parent table is stored: the tour is traced back by recomputing the same
// sums (exact in floating point, O(n^2) work).
//
// Time O(2^n n^2), workspace tsp_workspace_size(n) values of T, no allocation.
// Cancellable (bigrad/cancel.hpp): the table fill polls the flag every 4096 sets.
// Ties: the closing city and every predecessor are the lowest index attaining
// the minimum. For a symmetric dist the tour is then oriented so that the
// successor of city 0 has a smaller index than its predecessor.
#pragma once

#include <cmath>
#include <cstdint>

#include "bigrad/cancel.hpp"
#include "bigrad/common.hpp"
#include "bigrad/lane_vec.hpp"

namespace bigrad {

// Distance rows are padded to a multiple of this many values (one AVX vector of float).
constexpr int kTspChunk = 8;
// Largest n accepted (Held–Karp subsets of n - 1 cities are uint32 masks;
// its memory, 2^(n-1) rows, is the practical limit well before that, so
// larger symmetric instances go to the branch and bound of tsp_branch_bound.hpp).
constexpr int kTspMaxN = 30;

// Padded row length of the distance table: n - 1 rounded up to kTspChunk.
BIGRAD_HD int tsp_row_stride(int n) { return (n - 1 + kTspChunk - 1) / kTspChunk * kTspChunk; }

// Workspace values of T for one instance: the distances between cities
// 1..n-1 ((n-1) rows of tsp_row_stride(n)), then the DP table (2^(n-1) rows of n-1).
BIGRAD_HD int64_t tsp_workspace_size(int n) {
  return int64_t(n - 1) * (tsp_row_stride(n) + (int64_t(1) << (n - 1)));
}

template <typename T>
BIGRAD_HD T tsp_infinity() {
  return static_cast<T>(HUGE_VAL);
}

// Cost returned by a cancelled solve (a tour's cost is never NaN: costs are finite).
template <typename T>
BIGRAD_HD T tsp_cancelled_cost() {
  return static_cast<T>(NAN);
}

namespace detail {

// Lanes of the min-plus loop: one 32-byte (AVX) or 16-byte vector of T per
// op on the host (GCC vector extensions), scalar under CUDA (one instance per
// thread). Always a divisor of kTspChunk.
template <typename T>
BIGRAD_HD constexpr int tsp_lanes() {
#if defined(__CUDACC__)
  return 1;
#elif defined(__AVX__)
  return 32 / int(sizeof(T));
#else
  return 16 / int(sizeof(T));
#endif
}

// Index of the lowest set bit of x != 0.
BIGRAD_HD int tsp_lowest_bit(uint32_t x) {
#if defined(__CUDA_ARCH__)
  return __ffs(int(x)) - 1;
#elif defined(__GNUC__) || defined(__clang__)
  return __builtin_ctz(x);
#else
  int k = 0;
  while (!((x >> k) & 1u)) ++k;
  return k;
#endif
}

// Lowest k in the bit set `set` minimising a[k] + b[k * stride] (the same
// sums tsp_fill_table minimised).
template <typename T>
BIGRAD_HD int tsp_argmin_plus(const T* a, const T* b, int stride, uint32_t set, int m) {
  int best_k = -1;
  T best = tsp_infinity<T>();
  for (int k = 0; k < m; ++k) {
    if (!((set >> k) & 1u)) continue;
    const T v = a[k] + b[k * stride];
    if (best_k < 0 || v < best) {
      best = v;
      best_k = k;
    }
  }
  return best_k;
}

template <typename T>
BIGRAD_HD bool tsp_is_symmetric(const T* dist, int n) {
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (!(dist[i * n + j] == dist[j * n + i])) return false;
    }
  }
  return true;
}

// The tour 0 -> 1 -> ... -> n-1 -> 0 (what a cancelled solve leaves in succ).
BIGRAD_HD void tsp_identity_tour(int n, int* succ) {
  for (int i = 0; i < n; ++i) succ[i] = i + 1 < n ? i + 1 : 0;
}

// Reverse the cycle given by succ (succ[i] = city after i) in place.
BIGRAD_HD void tsp_reverse(int* succ) {
  int prev = 0, cur = succ[0];
  while (cur != 0) {
    const int next = succ[cur];
    succ[cur] = prev;
    prev = cur;
    cur = next;
  }
  succ[0] = prev;
}

// Vectors per accumulator group: independent min chains hide the latency of
// the compare-select (the loop over k is a dependency chain per vector).
constexpr int kTspGroup = 4;

// One push step for columns [c0, c0 + NV * L): out[j] = min_{k in R} row[k] + D[k][j],
// stored as dp[R + {j}][j] for the j of `targets` (all in those columns).
template <typename T, int NV>
BIGRAD_HD void tsp_push(const T* D, int P, const T* row, uint32_t R, uint32_t targets, int c0, T* dp, int m) {
  constexpr int L = tsp_lanes<T>();
  using V = LaneVec<T, L>;
  V acc[NV];
  for (int v = 0; v < NV; ++v) acc[v] = V::fill(tsp_infinity<T>());
  for (uint32_t rest = R; rest != 0; rest &= rest - 1) {
    const int k = tsp_lowest_bit(rest);
    const V from = V::fill(row[k]);
    const T* d = D + k * P + c0;
    for (int v = 0; v < NV; ++v) {
      const V x = from + V::load(d + v * L);
      acc[v] = V::select(x < acc[v], x, acc[v]);
    }
  }
  T out[NV * L];
  for (int v = 0; v < NV; ++v) acc[v].store(out + v * L);
  for (uint32_t t = targets; t != 0; t &= t - 1) {
    const int j = tsp_lowest_bit(t);
    dp[int64_t(R | (uint32_t(1) << j)) * m + j] = out[j - c0];
  }
}

}  // namespace detail

// Fill the distance rows D and the DP table dp[S][j] (see the top of this file).
// Returns false, with the table unfinished, once *cancel is set.
template <typename T>
BIGRAD_HD bool tsp_fill_table(const T* dist, int n, T* work, const volatile int* cancel = nullptr) {
  constexpr int L = detail::tsp_lanes<T>();
  constexpr int G = detail::kTspGroup;
  const int m = n - 1, P = tsp_row_stride(n);
  T* D = work;
  T* dp = work + int64_t(P) * m;
  for (int k = 0; k < m; ++k) {
    for (int j = 0; j < P; ++j) D[k * P + j] = j < m ? dist[(k + 1) * n + (j + 1)] : T(0);
  }
  const uint32_t full = (uint32_t(1) << m) - 1;
  for (int j = 0; j < m; ++j) dp[(int64_t(1) << j) * m + j] = dist[j + 1];
  for (uint32_t R = 1; R < full; ++R) {
    if ((R & 0xfffu) == 0 && cancel_requested(cancel)) return false;
    const T* row = dp + int64_t(R) * m;
    const uint32_t missing = full & ~R;
    for (int c = 0; c < P; c += G * L) {
      const int nv = (P - c) / L < G ? (P - c) / L : G;
      const int width = nv * L;
      const uint32_t cols = width >= 32 ? ~uint32_t(0) : ((uint32_t(1) << width) - 1) << c;
      const uint32_t targets = missing & cols;
      if (targets == 0) continue;
      switch (nv) {
        case 1: detail::tsp_push<T, 1>(D, P, row, R, targets, c, dp, m); break;
        case 2: detail::tsp_push<T, 2>(D, P, row, R, targets, c, dp, m); break;
        case 3: detail::tsp_push<T, 3>(D, P, row, R, targets, c, dp, m); break;
        default: detail::tsp_push<T, G>(D, P, row, R, targets, c, dp, m); break;
      }
    }
  }
  return true;
}

// Orient a tour (succ[i] = city after i) canonically and return its cost:
// for a symmetric dist the successor of city 0 gets the smaller index of its
// two neighbours; the cost is summed in T in tour order from city 0.
template <typename T>
BIGRAD_HD T tsp_finish_tour(const T* dist, int n, int* succ) {
  if (detail::tsp_is_symmetric(dist, n)) {
    int pred = 0;
    while (succ[pred] != 0) pred = succ[pred];
    if (succ[0] > pred) detail::tsp_reverse(succ);
  }
  T cost = T(0);
  int i = 0;
  do {
    cost += dist[i * n + succ[i]];
    i = succ[i];
  } while (i != 0);
  return cost;
}

// The optimal tour read back from a filled workspace (distance rows and DP
// table, however they were filled: tsp_fill_table here, level by level on the
// GPU): writes succ[i] = the city after i (n ints) and returns the tour cost.
template <typename T>
BIGRAD_HD T tsp_trace_tour(const T* dist, int n, const T* work, int* succ) {
  const int m = n - 1, P = tsp_row_stride(n);
  const T* D = work;
  const T* dp = work + int64_t(P) * m;
  const uint32_t full = (uint32_t(1) << m) - 1;
  // Closing edge j+1 -> 0: dist[(j+1) * n] has stride n, so read it directly.
  int j = 0;
  T best = tsp_infinity<T>();
  for (int k = 0; k < m; ++k) {
    const T v = dp[int64_t(full) * m + k] + dist[(k + 1) * n];
    if (k == 0 || v < best) {
      best = v;
      j = k;
    }
  }
  succ[j + 1] = 0;
  uint32_t S = full;
  for (;;) {
    const uint32_t prev = S ^ (uint32_t(1) << j);
    if (prev == 0) break;
    const int k = detail::tsp_argmin_plus(dp + int64_t(prev) * m, D + j, P, prev, m);
    succ[k + 1] = j + 1;
    S = prev;
    j = k;
  }
  succ[0] = j + 1;
  return tsp_finish_tour(dist, n, succ);
}

// Optimal tour of one instance (n >= 2): writes succ[i] = the city after i
// (n ints) and returns the tour cost, summed in tour order from city 0.
// Cancelled (bigrad/cancel.hpp): returns NaN (tsp_cancelled_cost), succ the
// tour 0 -> 1 -> ... -> n-1 -> 0.
template <typename T>
BIGRAD_HD T tsp_held_karp(const T* dist, int n, T* work, int* succ, const volatile int* cancel = nullptr) {
  if (!tsp_fill_table(dist, n, work, cancel)) {
    detail::tsp_identity_tour(n, succ);
    return tsp_cancelled_cost<T>();
  }
  return tsp_trace_tour(dist, n, work, succ);
}

// Directed edge mask of a tour: mask[i * n + succ[i]] = 1, all else 0.
template <typename T>
BIGRAD_HD void tsp_write_mask(const int* succ, int n, T* mask) {
  for (int i = 0; i < n * n; ++i) mask[i] = T(0);
  for (int i = 0; i < n; ++i) mask[i * n + succ[i]] = T(1);
}

}  // namespace bigrad
