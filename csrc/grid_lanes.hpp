// CPU helper: solve the grid kernels L instances at a time in SIMD lanes.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "batch.hpp"
#include "bigrad/shortest_path.hpp"

namespace bigrad {

// SIMD lanes per group: one vector register worth of T (32 bytes with AVX,
// 16 bytes otherwise). Results do not depend on it: every lane is solved by
// the same relaxations, extra sweeps on a converged lane change nothing.
#if defined(__AVX__)
constexpr int kVectorBytes = 32;
#else
constexpr int kVectorBytes = 16;
#endif
template <typename T>
constexpr int kLanes = kVectorBytes / sizeof(T);

// Per-thread buffers for one group of L instances.
template <typename T>
struct GridLaneScratch {
  static constexpr int L = kLanes<T>;
  int64_t n, padded;
  std::vector<T> w, dist, step;
  GridLaneScratch(int H, int W)
      : n(int64_t(H) * W), padded(int64_t(H + 2) * (W + 2)), w(n * L), dist(padded * L), step(padded * L) {}
  Lanes<const T> weights() const { return {w.data(), L}; }
  GridSweepWorkspace<T> workspace() { return {{dist.data(), L}, {step.data(), L}}; }
  // Interleave instances [b0, b0 + count) of src ([B, n]) into the lanes;
  // unused lanes get zero weights (a valid, cheap instance).
  void load(const T* src, int64_t b0, int count) {
    for (int64_t c = 0; c < n; ++c) {
      for (int l = 0; l < L; ++l) w[c * L + l] = l < count ? src[(b0 + l) * n + c] : T(0);
    }
  }
};

// Run body(scratch, b0, count) for groups of kLanes<T> instances, OpenMP over groups.
template <typename T, typename Body>
void for_each_lane_group(int64_t B, int H, int W, Body body) {
  constexpr int L = kLanes<T>;
  const int64_t groups = (B + L - 1) / L;
  const double work = 40.0 * L * H * W;  // ~ passes x relaxations per cell x lanes
  for_each_instance(
      groups, work, [&] { return GridLaneScratch<T>(H, W); },
      [&](int64_t g, GridLaneScratch<T>& s) {
        const int64_t b0 = g * L;
        body(s, b0, int(std::min<int64_t>(L, B - b0)));
      });
}

}  // namespace bigrad
