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

}  // namespace cuda
}  // namespace bigrad
