// CUDA driver for shortest path with interdiction: the whole min-max-min loop
// on the device, one thread per instance running grid_interdiction (the
// function the CPU driver runs), in one launch: no host synchronisation
// between the oracle calls. The grid workspace and the oracle's costs are
// interleaved across instances (stride B, as in cuda/shortest_path.cu: the
// sweeps' reads coalesce); the rest of the loop's scratch is one contiguous
// slice per instance.
#include <stdexcept>

#include "bigrad/shortest_path_interdiction.hpp"
#include "check.cuh"
#include "launch.hpp"

namespace bigrad {
namespace cuda {
namespace {

template <typename T>
__global__ void interdiction_kernel(const T* z, const T* w, int64_t B, int H, int W, int neighbourhood, int budget,
                                    T* y, T* x, T* value, T* workspace) {
  const int64_t b = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (b >= B) return;
  const int64_t d = int64_t(H) * W, padded = int64_t(H + 2) * (W + 2);
  GridSweepWorkspace<T> ws{{workspace + b, B}, {workspace + padded * B + b, B}};
  const Lanes<T> cost{workspace + 2 * padded * B + b, B};
  T* scratch = workspace + (2 * padded + d) * B + b * grid_interdiction_scratch_size(H, W);
  value[b] = grid_interdiction<T>(z + b * d, w + b * d, H, W, neighbourhood, budget, ws, cost, scratch, y + b * d,
                                  x + b * d);
}

template <typename T>
void launch(uintptr_t z, uintptr_t w, int64_t B, int H, int W, int neighbourhood, int budget, uintptr_t y,
            uintptr_t x, uintptr_t value, uintptr_t workspace, uintptr_t stream) {
  interdiction_kernel<T><<<blocks_for(B), kThreadsPerBlock, 0, reinterpret_cast<cudaStream_t>(stream)>>>(
      reinterpret_cast<const T*>(z), reinterpret_cast<const T*>(w), B, H, W, neighbourhood, budget,
      reinterpret_cast<T*>(y), reinterpret_cast<T*>(x), reinterpret_cast<T*>(value), reinterpret_cast<T*>(workspace));
  check(cudaGetLastError(), "shortest_path_interdiction kernel launch");
}

}  // namespace

int64_t shortest_path_interdiction_workspace_bytes(int64_t B, int H, int W, int elem_size) {
  return (2 * int64_t(H + 2) * (W + 2) + int64_t(H) * W + grid_interdiction_scratch_size(H, W)) * B * elem_size;
}

void shortest_path_interdiction(uintptr_t z, uintptr_t w, int64_t B, int H, int W, int neighbourhood, int budget,
                                int elem_size, uintptr_t y, uintptr_t x, uintptr_t value, uintptr_t workspace,
                                uintptr_t stream) {
  if (B == 0) return;
  if (neighbourhood != 4 && neighbourhood != 8) throw std::invalid_argument("neighbourhood must be 4 or 8");
  if (budget < 0) throw std::invalid_argument("budget must be >= 0");
  with_value_type(elem_size, [&](auto v) {
    launch<decltype(v)>(z, w, B, H, W, neighbourhood, budget, y, x, value, workspace, stream);
  });
}

}  // namespace cuda
}  // namespace bigrad
