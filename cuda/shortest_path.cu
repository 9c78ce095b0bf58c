// CUDA driver for the grid shortest path: one thread per instance, running
// the same header kernel as the CPU (grid_shortest_path, L = 1). The workspace is
// interleaved across instances (stride B) so neighbouring threads read
// neighbouring addresses.
#include "bigrad/shortest_path.hpp"
#include "check.cuh"
#include "launch.hpp"

namespace bigrad {
namespace cuda {
namespace {

template <typename T>
__global__ void shortest_path_kernel(const T* w, int64_t B, int H, int W, int neighbourhood, T* mask, T* cost,
                                     T* edges, T* workspace) {
  const int64_t b = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (b >= B) return;
  const int64_t n = int64_t(H) * W, padded = int64_t(H + 2) * (W + 2);
  GridSweepWorkspace<T> ws{{workspace + b, B}, {workspace + padded * B + b, B}};
  T* m = mask + b * n;
  for (int64_t c = 0; c < n; ++c) m[c] = T(0);
  T* e = nullptr;
  if (edges != nullptr) {
    e = edges + b * n * neighbourhood;
    for (int64_t c = 0; c < n * neighbourhood; ++c) e[c] = T(0);
  }
  cost[b] = grid_shortest_path<T>(Lanes<const T>{w + b * n, 1}, H, W, neighbourhood, ws, m, e);
}

template <typename T>
void launch(uintptr_t w, int64_t B, int H, int W, int neighbourhood, uintptr_t mask, uintptr_t cost, uintptr_t edges,
            uintptr_t workspace, uintptr_t stream) {
  shortest_path_kernel<T><<<blocks_for(B), kThreadsPerBlock, 0, reinterpret_cast<cudaStream_t>(stream)>>>(
      reinterpret_cast<const T*>(w), B, H, W, neighbourhood, reinterpret_cast<T*>(mask), reinterpret_cast<T*>(cost),
      reinterpret_cast<T*>(edges), reinterpret_cast<T*>(workspace));
  check(cudaGetLastError(), "shortest_path kernel launch");
}

}  // namespace

int64_t shortest_path_workspace_bytes(int64_t B, int H, int W, int elem_size) {
  return 2 * int64_t(H + 2) * (W + 2) * B * elem_size;
}

void shortest_path(uintptr_t w, int64_t B, int H, int W, int neighbourhood, int elem_size, uintptr_t mask,
                   uintptr_t cost, uintptr_t edges, uintptr_t workspace, uintptr_t stream) {
  if (B == 0) return;
  with_value_type(elem_size, [&](auto v) {
    launch<decltype(v)>(w, B, H, W, neighbourhood, mask, cost, edges, workspace, stream);
  });
}

RuntimeInfo runtime_info() {
  RuntimeInfo info{0, 0};
  cudaRuntimeGetVersion(&info.runtime_version);
  if (cudaGetDeviceCount(&info.device_count) != cudaSuccess) info.device_count = 0;
  return info;
}

}  // namespace cuda
}  // namespace bigrad
