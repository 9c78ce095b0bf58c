// Network interdiction with the interdictor first (max_x min_y, Israeli & Wood
// 2002) on a general directed graph, exactly, one instance per thread (CPU).
#pragma once

#include <cstdint>

#include "graph_shortest_path.hpp"

namespace bigrad {

// For every instance b: an interdiction x [B, E] (0/1, at most `budget` edges,
// never an edge with w = 0) maximising the follower's shortest source-target
// path cost under z + x * w, up to a relative gap_tol (absolute below 1).
// z, w: [B, E] float64 in the out-edge CSR's edge numbering, finite, w >= 0,
// z >= 0 unless g.dag. An unreachable target leaves x at 0. value: [B], the
// follower's cost under the returned x (+inf when unreachable). nodes: [B],
// the follower problems solved. Polls the call's cancel flag (Ctrl-C).
void graph_interdiction_cpu(const GraphArrays& g, const double* z, const double* w, int64_t B, int budget,
                            int32_t source, int32_t target, double gap_tol, uint8_t* x, double* value, int64_t* nodes);

}  // namespace bigrad
