// Host-side entry points of the CUDA kernels. Plain C++ (no CUDA types), so
// the pybind11 bindings compile with the host compiler. Pointers are device
// addresses handed over from torch (data_ptr()), stream is a cudaStream_t.
#pragma once

#include <cstdint>

namespace bigrad {
namespace cuda {

struct RuntimeInfo {
  int runtime_version;
  int device_count;
};
RuntimeInfo runtime_info();

int64_t shortest_path_workspace_bytes(int64_t B, int H, int W, int elem_size);
// w: [B, H, W]; mask: [B, H, W]; cost: [B]; edges: [B, H, W, K] or 0; workspace: see above.
void shortest_path(uintptr_t w, int64_t B, int H, int W, int neighbourhood, int elem_size, uintptr_t mask,
                   uintptr_t cost, uintptr_t edges, uintptr_t workspace, uintptr_t stream);

int64_t shortest_path_interdiction_workspace_bytes(int64_t B, int H, int W, int elem_size);
// z, w: [B, H, W]; y, x: [B, H, W]; value: [B] (+inf where a path cost overflows); workspace: see above.
void shortest_path_interdiction(uintptr_t z, uintptr_t w, int64_t B, int H, int W, int neighbourhood, int budget,
                                int elem_size, uintptr_t y, uintptr_t x, uintptr_t value, uintptr_t workspace,
                                uintptr_t stream);

// A graph's structure on the device (bigrad.graphs.Graph.native): out-edge CSR
// (ptr [n + 1], dst [E]), tails src [E], a topological order [n] or null, and
// the in-edge CSR (in_ptr [n + 1], in_src [E], in_eid [E]).
struct GraphDevice {
  const int64_t* ptr;
  const int32_t* dst;
  const int32_t* src;
  const int32_t* order;
  const int64_t* in_ptr;
  const int32_t* in_src;
  const int64_t* in_eid;
  int32_t n;
  int64_t E;
};
int64_t graph_shortest_path_workspace_bytes(int64_t B, int32_t n, int elem_size);
// w: [B, E]; source, target: [B] int32; init: [B] or 0; mask: [B, E]; cost: [B] (+inf: unreachable or overflow).
void graph_shortest_path(const GraphDevice& g, uintptr_t w, int64_t B, uintptr_t source, uintptr_t target,
                         uintptr_t init, int elem_size, uintptr_t mask, uintptr_t cost, uintptr_t workspace,
                         uintptr_t stream);

// Held–Karp TSP, n <= kTspCudaMaxN. tsp_global_slices: 0 when an instance's
// table fits in shared memory (pass workspace 0), else the number of
// per-block table slices of tsp_slice_bytes each to allocate (any number >= 1 works).
constexpr int kTspCudaMaxN = 16;
int64_t tsp_global_slices(int64_t B, int n, int elem_size);
int64_t tsp_slice_bytes(int n, int elem_size);
// dist: [B, n, n]; mask: [B, n, n]; cost: [B].
void tsp(uintptr_t dist, int64_t B, int n, int elem_size, uintptr_t mask, uintptr_t cost, uintptr_t workspace,
         int64_t slices, uintptr_t stream);

// Top-k masks by rank, rows of m <= kTopkMaxM entries: scores [B, m]; y, x: [B, m].
constexpr int64_t kTopkMaxM = 4096;
void topk_attacked(uintptr_t scores, int64_t B, int64_t m, int64_t k, int64_t q, int elem_size, uintptr_t y,
                   uintptr_t x, uintptr_t stream);

}  // namespace cuda
}  // namespace bigrad
