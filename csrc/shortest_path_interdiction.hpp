// Batched CPU driver for shortest path with interdiction on grids.
#pragma once

#include <cstdint>

namespace bigrad {

// z, w: [B, H, W] (w >= 0, both finite). y, x: [B, H, W] path and
// interdiction masks. value: [B] game values, +inf where a path cost
// overflows the type (that instance's masks are then not meaningful).
template <typename T>
void shortest_path_interdiction_cpu(const T* z, const T* w, int64_t B, int H, int W, int neighbourhood, int budget,
                                    T* y, T* x, T* value);

// Bytes of workspace one thread needs (outputs not counted).
int64_t shortest_path_interdiction_workspace_bytes(int H, int W, int elem_size);

}  // namespace bigrad
