// CUDA driver for shortest paths on a general graph: one thread per instance,
// running the same header kernel as the CPU (graph_push_labels, L = 1) with
// passes up to n + 1 (enough for any graph with non-negative weights, so no
// Dijkstra is needed on the device), then reading the path from the labels
// with graph_trace, the CPU's rule: the same labels give the same path.
// Workspace per instance: labels (n), hop counts and a queue (n each, for
// graph_trace's plateaus) and dirty flags (n).
#include "bigrad/graph_shortest_path.hpp"
#include "check.cuh"
#include "launch.hpp"

namespace bigrad {
namespace cuda {
namespace {

// Bytes of one instance's workspace: labels, hops, queue, dirty flags (8-byte aligned parts).
BIGRAD_HD int64_t instance_bytes(int32_t n, int elem_size) {
  const int64_t labels = ((int64_t(n) * elem_size + 7) / 8) * 8;
  return ((labels + int64_t(n) * 8 + n + 7) / 8) * 8;
}

template <typename T>
__global__ void graph_shortest_path_kernel(GraphDevice g, const T* w, int64_t B, const int32_t* source,
                                           const int32_t* target, const T* init, T* mask, T* cost, char* workspace) {
  const int64_t b = blockIdx.x * int64_t(blockDim.x) + threadIdx.x;
  if (b >= B) return;
  char* ws = workspace + b * instance_bytes(g.n, int(sizeof(T)));
  T* dist = reinterpret_cast<T*>(ws);
  int32_t* hops = reinterpret_cast<int32_t*>(ws + ((int64_t(g.n) * int64_t(sizeof(T)) + 7) / 8) * 8);
  int32_t* queue = hops + g.n;
  unsigned char* dirty = reinterpret_cast<unsigned char*>(queue + g.n);
  const int32_t s = source[b], t = target[b];
  const T i0 = init ? init[b] : T(0);
  const T* wb = w + b * g.E;
  graph_labels_init<T, 1>(g.n, &s, &i0, dist, dirty);
  unsigned char settled = 0;
  const OutGraph out{g.ptr, g.dst, g.order, g.n};
  graph_push_labels<T, 1>(out, wb, g.order != nullptr, g.n + 1, dist, dirty, &settled, nullptr);
  T* m = mask + b * g.E;
  for (int64_t e = 0; e < g.E; ++e) m[e] = T(0);
  cost[b] = dist[t];
  if (!(dist[t] < infinity<T>())) return;  // unreachable or overflowing: the host tells which
  const InEdges in{g.in_ptr, g.in_src, g.in_eid};
  graph_trace<T>(out, in, wb, LabelView<T>{dist, 1}, s, t, g.order != nullptr, hops, queue, m);
}

}  // namespace

int64_t graph_shortest_path_workspace_bytes(int64_t B, int32_t n, int elem_size) {
  return instance_bytes(n, elem_size) * B;
}

void graph_shortest_path(const GraphDevice& g, uintptr_t w, int64_t B, uintptr_t source, uintptr_t target,
                         uintptr_t init, int elem_size, uintptr_t mask, uintptr_t cost, uintptr_t workspace,
                         uintptr_t stream) {
  if (B == 0) return;
  with_value_type(elem_size, [&](auto v) {
    using T = decltype(v);
    graph_shortest_path_kernel<T><<<blocks_for(B), kThreadsPerBlock, 0, reinterpret_cast<cudaStream_t>(stream)>>>(
        g, reinterpret_cast<const T*>(w), B, reinterpret_cast<const int32_t*>(source),
        reinterpret_cast<const int32_t*>(target), reinterpret_cast<const T*>(init), reinterpret_cast<T*>(mask),
        reinterpret_cast<T*>(cost), reinterpret_cast<char*>(workspace));
    check(cudaGetLastError(), "graph_shortest_path kernel launch");
  });
}

}  // namespace cuda
}  // namespace bigrad
