// Ranks for the top-k masks (plain and attacked, paper Eq. 13), one entry at
// a time: the form the CUDA driver runs (cuda/topk.cu, one thread per entry),
// checked on the host against the Python solvers' stable sorts.
//
// The rank of entry i of a row is its position in a stable descending sort:
// the number of entries larger than it, plus the equal ones at lower indices.
#pragma once

#include <cstdint>

#include "bigrad/common.hpp"

namespace bigrad {

template <typename T>
BIGRAD_HD int64_t topk_rank(const T* row, int64_t m, int64_t i) {
  const T v = row[i];
  int64_t rank = 0;
  for (int64_t j = 0; j < m; ++j) rank += (row[j] > v || (row[j] == v && j < i)) ? 1 : 0;
  return rank;
}

// Entry i of topk_attacked's masks: y (ranks q .. k-1, the selector's) and
// x (ranks 0 .. q-1, the attacker's); q <= k. With q = 0, y is topk_mask's.
template <typename T>
BIGRAD_HD void topk_attacked_entry(const T* row, int64_t m, int64_t i, int64_t k, int64_t q, T* y, T* x) {
  const int64_t r = topk_rank(row, m, i);
  y[i] = (r >= q && r < k) ? T(1) : T(0);
  x[i] = r < q ? T(1) : T(0);
}

}  // namespace bigrad
