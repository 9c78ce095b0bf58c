// Batched CPU driver for exact travelling salesman tours: Held–Karp, or
// branch and bound for symmetric instances from kTspBbMinN cities on.
#pragma once

#include <cstdint>

namespace bigrad {

// dist: [B, n, n] row-major. mask: [B, n, n] directed tour edges. cost: [B].
// node_limit > 0: a branch-and-bound instance that needs more nodes gets cost
// +inf (and its best tour found in mask), for the caller to solve otherwise.
template <typename T>
void tsp_cpu(const T* dist, int64_t B, int n, T* mask, T* cost, int64_t node_limit = 0);

// Workspace bytes one thread needs for an instance of n cities (symmetric or
// not) with values of value_bytes bytes.
int64_t tsp_workspace_bytes(int n, bool symmetric, int64_t value_bytes);

}  // namespace bigrad
