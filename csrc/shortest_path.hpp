// Batched CPU driver for the grid shortest path.
#pragma once

#include <cstdint>

namespace bigrad {

// w: [B, H, W] row-major weights. mask: [B, H, W]. cost: [B]: +inf where the
// path cost overflows the type, NaN where a weight is negative, NaN or
// infinite; that instance's mask is then all zero.
// edges: [B, H, W, neighbourhood] or null.
template <typename T>
void shortest_path_cpu(const T* w, int64_t B, int H, int W, int neighbourhood, T* mask, T* cost, T* edges);

// Whether a batch runs in SIMD lanes (else one instance at a time, which needs
// only one label per cell): for the workspace estimate.
bool shortest_path_uses_lanes(int64_t B, int H, int W, int elem_size);
// Bytes of workspace shortest_path_cpu allocates at most (outputs not counted).
double shortest_path_workspace_bytes(int64_t B, int H, int W, int elem_size);

}  // namespace bigrad
