// CUDA driver for exact TSP tours by Held–Karp: one block per instance, the
// threads of the block sharing each level of the table (bigrad/tsp_held_karp.hpp,
// the same per-entry functions the CPU tests run), then one thread traces the
// tour back (tsp_trace_tour, as on the CPU). The instance's distances, tour and
// DP table live in shared memory when they fit, else in a per-block slice of a
// global workspace (blocks then loop over the instances).
#include <algorithm>
#include <stdexcept>

#include "bigrad/tsp_held_karp.hpp"
#include "check.cuh"
#include "launch.hpp"

namespace bigrad {
namespace cuda {
namespace {

constexpr int kTspMaxThreads = 256;
constexpr int64_t kSuccBytes = 128;  // n <= 32 ints of the tour, keeps what follows 16-byte aligned

// Threads per block: enough for the widest level (C(m, m / 2) sets), a multiple of 32, at most 256.
int tsp_threads(int n) {
  const int64_t widest = tsp_binomial(n - 1, (n - 1) / 2);
  return int(std::min<int64_t>(kTspMaxThreads, std::max<int64_t>(32, (widest + 31) / 32 * 32)));
}

template <typename T>
int64_t tsp_shared_bytes(int n, bool table_in_shared) {
  const int64_t dist = (int64_t(n) * n * sizeof(T) + 15) / 16 * 16;
  return kSuccBytes + dist + (table_in_shared ? tsp_workspace_size(n) * int64_t(sizeof(T)) : 0);
}

int max_shared_bytes() {
  int dev = 0, bytes = 0;
  check(cudaGetDevice(&dev), "cudaGetDevice");
  check(cudaDeviceGetAttribute(&bytes, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev), "cudaDeviceGetAttribute");
  return bytes;
}

template <typename T>
__global__ void tsp_kernel(const T* dist, int64_t B, int n, T* mask, T* cost, T* global_work) {
  extern __shared__ __align__(16) unsigned char smem[];
  int* succ = reinterpret_cast<int*>(smem);
  T* d = reinterpret_cast<T*>(smem + kSuccBytes);
  const int64_t nn = int64_t(n) * n;
  T* work = global_work != nullptr ? global_work + blockIdx.x * tsp_workspace_size(n)
                                   : reinterpret_cast<T*>(smem + kSuccBytes + (nn * sizeof(T) + 15) / 16 * 16);
  const int m = n - 1, P = tsp_row_stride(n), t = threadIdx.x, T_ = blockDim.x;
  for (int64_t b = blockIdx.x; b < B; b += gridDim.x) {
    for (int64_t e = t; e < nn; e += T_) d[e] = dist[b * nn + e];
    __syncthreads();
    for (int e = t; e < m * P; e += T_) tsp_distance_entry(d, n, work, e);
    __syncthreads();
    for (int c = 1; c <= m; ++c) {
      const int64_t sets = tsp_binomial(m, c);
      for (int64_t r = t; r < sets; r += T_) tsp_table_set(d, n, work, tsp_level_set(m, c, r));
      __syncthreads();
    }
    if (t == 0) cost[b] = tsp_trace_tour(d, n, work, succ);
    __syncthreads();
    for (int64_t e = t; e < nn; e += T_) mask[b * nn + e] = succ[e / n] == int(e % n) ? T(1) : T(0);
    __syncthreads();  // the next instance overwrites d, work and succ
  }
}

template <typename T>
void launch(uintptr_t dist, int64_t B, int n, uintptr_t mask, uintptr_t cost, uintptr_t workspace, int64_t slices,
            uintptr_t stream) {
  const bool global = workspace != 0;
  const int64_t shared = tsp_shared_bytes<T>(n, !global);
  if (shared > max_shared_bytes()) {
    throw std::invalid_argument("tsp: the table does not fit in shared memory; pass a workspace");
  }
  if (shared > 48 * 1024) {
    check(cudaFuncSetAttribute(tsp_kernel<T>, cudaFuncAttributeMaxDynamicSharedMemorySize, int(shared)),
          "cudaFuncSetAttribute");
  }
  const int64_t grid = global ? std::min(B, slices) : std::min<int64_t>(B, int64_t(1) << 30);
  tsp_kernel<T><<<unsigned(grid), tsp_threads(n), size_t(shared), reinterpret_cast<cudaStream_t>(stream)>>>(
      reinterpret_cast<const T*>(dist), B, n, reinterpret_cast<T*>(mask), reinterpret_cast<T*>(cost),
      global ? reinterpret_cast<T*>(workspace) : nullptr);
  check(cudaGetLastError(), "tsp kernel launch");
}

}  // namespace

int64_t tsp_global_slices(int64_t B, int n, int elem_size) {
  if (n < 2 || n > kTspCudaMaxN) throw std::invalid_argument("n must be in [2, kTspCudaMaxN]");
  const int64_t shared = elem_size == 4 ? tsp_shared_bytes<float>(n, true) : tsp_shared_bytes<double>(n, true);
  if (shared <= max_shared_bytes()) return 0;
  int dev = 0, sms = 0;
  check(cudaGetDevice(&dev), "cudaGetDevice");
  check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev), "cudaDeviceGetAttribute");
  return std::max<int64_t>(1, std::min<int64_t>(B, int64_t(2) * sms));
}

int64_t tsp_slice_bytes(int n, int elem_size) { return tsp_workspace_size(n) * elem_size; }

void tsp(uintptr_t dist, int64_t B, int n, int elem_size, uintptr_t mask, uintptr_t cost, uintptr_t workspace,
         int64_t slices, uintptr_t stream) {
  if (B == 0) return;
  if (n < 2 || n > kTspCudaMaxN) throw std::invalid_argument("n must be in [2, kTspCudaMaxN]");
  if (workspace != 0 && slices < 1) throw std::invalid_argument("slices must be >= 1 with a workspace");
  with_value_type(elem_size, [&](auto v) { launch<decltype(v)>(dist, B, n, mask, cost, workspace, slices, stream); });
}

}  // namespace cuda
}  // namespace bigrad
