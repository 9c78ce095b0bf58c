// Batched CPU driver for the exact travelling salesman tour (Held–Karp).
#pragma once

#include <cstdint>

namespace bigrad {

// dist: [B, n, n] row-major. mask: [B, n, n] directed tour edges. cost: [B].
template <typename T>
void tsp_cpu(const T* dist, int64_t B, int n, T* mask, T* cost);

}  // namespace bigrad
