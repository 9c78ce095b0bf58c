// Batched CPU drivers for shortest paths on a general directed graph.
#pragma once

#include <cstdint>

namespace bigrad {

// One graph structure. Edges are numbered by the out-edge CSR (out_ptr,
// out_dst); edge_src[e] is the tail of edge e. The in-edge CSR (in_ptr, in_src,
// in_eid) lists them by head. order: a topological order when dag, else null.
struct GraphArrays {
  int32_t n;
  int64_t E;
  const int64_t* out_ptr;
  const int32_t* out_dst;
  const int32_t* edge_src;
  const int32_t* order;
  const int64_t* in_ptr;
  const int32_t* in_src;
  const int64_t* in_eid;
  bool dag;
};

// Status of an instance in graph_shortest_path_cpu.
enum GraphPathStatus : int8_t { kPathFound = 0, kUnreachable = 1, kBadWeights = 2, kOverflow = 3 };

// w: [B, E] edge weights (finite; non-negative unless g.dag). source, target:
// [B]. init: [B] label of the source (null: 0). mask: [B, E], 1 on the edges of
// the path. cost: [B] (+inf where unreachable or overflowing, NaN for bad
// weights). status: [B] GraphPathStatus.
template <typename T>
void graph_shortest_path_cpu(const GraphArrays& g, const T* w, int64_t B, const int32_t* source, const int32_t* target,
                             const T* init, T* mask, T* cost, int8_t* status);

// scipy-style all-targets Dijkstra: for every batch member b and source
// sources[s] (or all sources at once when min_only), distances dist [B, S, n]
// (S = 1 when min_only), predecessor nodes pred [B, S, n] (-9999 for none) and,
// when min_only, origin [B, n] (the source each node is reached from, -9999
// for none). Labels above limit are left +inf. Returns false for a negative or
// NaN weight (checked first).
template <typename T>
bool graph_dijkstra_cpu(const GraphArrays& g, const T* w, int64_t B, const int32_t* sources, int S, bool min_only,
                        T limit, T* dist, int32_t* pred, int32_t* origin);

// Pull passes a lane may take before Dijkstra finishes it.
int graph_max_passes(int32_t n);

}  // namespace bigrad
