// CUDA driver for the top-k masks (topk_mask, topk_attacked): one block per
// row, the row in shared memory, one thread per entry computing its rank
// with topk_attacked_entry (bigrad/topk.hpp, checked on the CPU). O(m^2) per
// row: for rows up to kTopkMaxM entries (larger rows use a sort).
#include <stdexcept>

#include "bigrad/topk.hpp"
#include "check.cuh"
#include "launch.hpp"

namespace bigrad {
namespace cuda {
namespace {

constexpr int kTopkThreads = 256;

template <typename T>
__global__ void topk_kernel(const T* scores, int64_t B, int64_t m, int64_t k, int64_t q, T* y, T* x) {
  extern __shared__ __align__(16) unsigned char smem[];
  T* row = reinterpret_cast<T*>(smem);
  for (int64_t b = blockIdx.x; b < B; b += gridDim.x) {
    for (int64_t i = threadIdx.x; i < m; i += blockDim.x) row[i] = scores[b * m + i];
    __syncthreads();
    for (int64_t i = threadIdx.x; i < m; i += blockDim.x) topk_attacked_entry(row, m, i, k, q, y + b * m, x + b * m);
    __syncthreads();
  }
}

template <typename T>
void launch(uintptr_t scores, int64_t B, int64_t m, int64_t k, int64_t q, uintptr_t y, uintptr_t x, uintptr_t stream) {
  const int64_t grid = B < (int64_t(1) << 30) ? B : (int64_t(1) << 30);
  topk_kernel<T><<<unsigned(grid), kTopkThreads, size_t(m * sizeof(T)), reinterpret_cast<cudaStream_t>(stream)>>>(
      reinterpret_cast<const T*>(scores), B, m, k, q, reinterpret_cast<T*>(y), reinterpret_cast<T*>(x));
  check(cudaGetLastError(), "topk kernel launch");
}

}  // namespace

void topk_attacked(uintptr_t scores, int64_t B, int64_t m, int64_t k, int64_t q, int elem_size, uintptr_t y,
                   uintptr_t x, uintptr_t stream) {
  if (B == 0) return;
  if (m < 1 || m > kTopkMaxM) throw std::invalid_argument("m must be in [1, topk_max_m]");
  if (q < 0 || q > k || k > m) throw std::invalid_argument("need 0 <= q <= k <= m");
  with_value_type(elem_size, [&](auto v) { launch<decltype(v)>(scores, B, m, k, q, y, x, stream); });
}

}  // namespace cuda
}  // namespace bigrad
