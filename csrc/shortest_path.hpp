// Batched CPU driver for the grid shortest path.
#pragma once

#include <cstdint>

namespace bigrad {

// w: [B, H, W] row-major weights. mask: [B, H, W]. cost: [B]. edges: [B, H, W, neighbourhood] or null.
template <typename T>
void shortest_path_cpu(const T* w, int64_t B, int H, int W, int neighbourhood, T* mask, T* cost, T* edges);

}  // namespace bigrad
