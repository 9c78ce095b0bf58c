// Shortest path with interdiction on a vertex-weighted grid, one instance:
//
//   min over paths y of max over x (0/1, sum(x) <= budget) of <z + x * w, y>,  w >= 0.
//
// The min-max-min loop of bigrad.solvers.min_max_min (see its docstring for
// why it is exact), run for one instance with grid_shortest_path as the
// nominal oracle N: the two ends theta = max(w) (N(z)) and theta = 0
// (N(z + w)), then rounds over the open intervals of candidate thresholds
// {0} ∪ {w_i}: each round keeps the intervals [t_lo, t_hi] with a candidate
// strictly inside and budget * t_lo + N(t_hi) below the incumbent, solves
// N(z + max(w - theta, 0)) at the median inside candidate of each, takes the
// round's smallest budget * theta + N (ties: smaller theta) when it beats the
// incumbent, and splits each interval at its theta. Costs N are the oracle's
// path sums (formed from the source outwards). Same rounds and tie rules as
// the Python loop, so the CPU driver (csrc/shortest_path_interdiction.cpp)
// and the CUDA driver (cuda/shortest_path_interdiction.cu, one thread per
// instance, no host synchronisation) run this very function and agree to the bit.
#pragma once

#include "bigrad/shortest_path.hpp"

namespace bigrad {

// Values of T of scratch one instance needs besides the grid workspace and
// the H*W oracle costs.
BIGRAD_HD int64_t grid_interdiction_scratch_size(int H, int W) {
  const int64_t d = int64_t(H) * W;
  return 2 * d + 9 * (d + 1);
}

namespace detail {

// Nominal oracle: path of costs c into mask (cleared here); returns its cost (+inf on overflow).
template <typename T>
BIGRAD_HD T interdiction_oracle(Lanes<const T> c, int H, int W, int neighbourhood, const GridSweepWorkspace<T>& ws,
                                T* mask) {
  const int64_t d = int64_t(H) * W;
  for (int64_t i = 0; i < d; ++i) mask[i] = T(0);
  return grid_shortest_path<T>(c, H, W, neighbourhood, ws, mask, nullptr);
}

// Move a[root] down the max-heap a[0..end).
template <typename T>
BIGRAD_HD void sift_down(T* a, int64_t root, int64_t end) {
  for (;;) {
    int64_t child = 2 * root + 1;
    if (child >= end) return;
    if (child + 1 < end && a[child] < a[child + 1]) ++child;
    if (!(a[root] < a[child])) return;
    const T t = a[root];
    a[root] = a[child];
    a[child] = t;
    root = child;
  }
}

// Sort a[0..n) ascending in place (heap sort: no recursion, no allocation).
template <typename T>
BIGRAD_HD void sort_ascending(T* a, int64_t n) {
  for (int64_t i = n / 2 - 1; i >= 0; --i) sift_down(a, i, n);
  for (int64_t end = n - 1; end > 0; --end) {
    const T t = a[0];
    a[0] = a[end];
    a[end] = t;
    sift_down(a, 0, end);
  }
}

// Number of entries of the sorted a[0..n) below v (strict) or at most v.
template <typename T>
BIGRAD_HD int64_t count_below(const T* a, int64_t n, T v, bool or_equal) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    const int64_t mid = (lo + hi) / 2;
    if (a[mid] < v || (or_equal && a[mid] == v)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

template <typename T>
BIGRAD_HD void copy_values(const T* from, int64_t n, T* to) {
  for (int64_t i = 0; i < n; ++i) to[i] = from[i];
}

}  // namespace detail

// The budget largest positive w over the cells of path y (ties: lower
// row-major index) into x: the interdictor's best response to y.
template <typename T>
BIGRAD_HD void grid_interdiction_attack(const T* y, const T* w, int64_t d, int budget, T* x) {
  for (int64_t i = 0; i < d; ++i) x[i] = T(0);
  for (int r = 0; r < budget; ++r) {
    int64_t arg = -1;
    T top = T(0);
    for (int64_t i = 0; i < d; ++i) {
      if (y[i] != T(0) && x[i] == T(0) && w[i] > top) {
        top = w[i];
        arg = i;
      }
    }
    if (arg < 0) return;
    x[arg] = T(1);
  }
}

// One instance: z, w (H*W each, w >= 0, both finite), y and x (H*W outputs),
// ws the padded grid workspace, cost H*W values (the oracle's input: the
// sweeps read it often, so the CUDA driver interleaves it across instances
// like ws), scratch grid_interdiction_scratch_size(H, W) values. Returns
// the game value <z + x * w, y> summed in row-major order, or +inf when a
// path cost overflows T (y and x are then not meaningful).
template <typename T>
BIGRAD_HD T grid_interdiction(const T* z, const T* w, int H, int W, int neighbourhood, int budget,
                              GridSweepWorkspace<T> ws, Lanes<T> cost, T* scratch, T* y, T* x) {
  const int64_t d = int64_t(H) * W, d1 = d + 1;
  const Lanes<const T> costs{cost.p, cost.stride};
  T* mask = scratch;
  T* cand = mask + d;
  T* thetas = cand + d;
  T* lo = thetas + d1;  // open intervals (lo, hi) with N(hi) = nh: up to 2 d1 of them
  T* hi = lo + 2 * d1;
  T* nh = hi + 2 * d1;
  T* th = nh + 2 * d1;  // the theta and N(theta) of each interval kept in a round
  T* nmid = th + d1;
  const T inf = infinity<T>();
  const T n_z = detail::interdiction_oracle(Lanes<const T>{z, 1}, H, W, neighbourhood, ws, y);
  if (!(n_z < inf)) return n_z;
  const T tb = T(budget);
  T w_max = T(0);
  for (int64_t i = 0; i < d; ++i) w_max = w[i] > w_max ? w[i] : w_max;
  if (budget > 0) {
    T best = tb * w_max + n_z;
    for (int64_t i = 0; i < d; ++i) cost(i, 0) = z[i] + w[i];
    const T g0 = detail::interdiction_oracle(costs, H, W, neighbourhood, ws, mask);
    if (!(g0 < inf)) return g0;
    if (g0 < best) {
      best = g0;
      detail::copy_values(mask, d, y);
    }
    bool open = false;
    for (int64_t i = 0; i < d; ++i) open = open || !(w[i] == T(0) || w[i] == w_max);
    int64_t count = 0;
    if (open) {
      thetas[0] = T(0);
      detail::copy_values(w, d, thetas + 1);
      detail::sort_ascending(thetas, d1);
      lo[0] = T(0);
      hi[0] = w_max;
      nh[0] = n_z;
      count = 1;
    }
    while (count > 0) {
      int64_t kept = 0;
      for (int64_t k = 0; k < count; ++k) {
        const int64_t first = detail::count_below(thetas, d1, lo[k], true);  // first candidate > lo
        const int64_t last = detail::count_below(thetas, d1, hi[k], false) - 1;  // last candidate < hi
        if (first <= last && tb * lo[k] + nh[k] < best) {
          lo[kept] = lo[k];
          hi[kept] = hi[k];
          nh[kept] = nh[k];
          th[kept] = thetas[(first + last) / 2];
          ++kept;
        }
      }
      bool found = false;
      T g_cand = inf, th_cand = T(0);
      for (int64_t k = 0; k < kept; ++k) {
        for (int64_t i = 0; i < d; ++i) {
          const T v = w[i] - th[k];
          cost(i, 0) = z[i] + (v > T(0) ? v : T(0));
        }
        nmid[k] = detail::interdiction_oracle(costs, H, W, neighbourhood, ws, mask);
        if (!(nmid[k] < inf)) return nmid[k];
        const T g = tb * th[k] + nmid[k];
        if (!found || g < g_cand || (g == g_cand && th[k] < th_cand)) {
          found = true;
          g_cand = g;
          th_cand = th[k];
          detail::copy_values(mask, d, cand);
        }
      }
      if (found && g_cand < best) {
        best = g_cand;
        detail::copy_values(cand, d, y);
      }
      for (int64_t k = 0; k < kept; ++k) {  // split: (lo, th) first, then (th, hi), as the Python loop
        lo[kept + k] = th[k];
        hi[kept + k] = hi[k];
        nh[kept + k] = nh[k];
        hi[k] = th[k];
        nh[k] = nmid[k];
      }
      count = 2 * kept;
    }
  }
  grid_interdiction_attack(y, w, d, budget, x);
  T value = T(0);
  for (int64_t i = 0; i < d; ++i) {
    if (y[i] != T(0)) value += z[i] + x[i] * w[i];
  }
  return value;
}

}  // namespace bigrad
