// Vertex-weighted grid shortest path, top-left to bottom-right.
//
// The cost of a path is the sum of the weights of every cell it visits, both
// ends included; moves go to the 8 (or 4) neighbouring cells.
//
// Algorithm: label-correcting sweeps (Bellman-Ford in Gauss-Seidel order).
// A pass relaxes the grid top-to-bottom (each row from the row above, then
// left-to-right and right-to-left inside the row) and then bottom-to-top; passes
// repeat until nothing improves. Every relaxation is a branch-free min/select,
// so L instances run side by side in SIMD lanes (CPU) and one instance runs per
// thread (CUDA, L = 1) with the same code. The result is exact in floating
// point: path sums are always formed from the source outwards and float
// addition is monotone, so the fixed point is the minimum over paths of the
// same sums Dijkstra forms. Steps are recorded only on strict improvement,
// which keeps the predecessor graph acyclic even with zero weights.
#pragma once

#include "bigrad/common.hpp"
#include "bigrad/lane_vec.hpp"

namespace bigrad {

// Move directions (row step, column step) in the 8-neighbourhood, row-major
// over the 3x3 ring; the 4-neighbourhood uses N, W, E, S = 8-directions 1, 3, 4, 6.
BIGRAD_HD void grid_direction8(int k8, int& di, int& dj) {
  const int cell = k8 < 4 ? k8 : k8 + 1;
  di = cell / 3 - 1;
  dj = cell % 3 - 1;
}

// Index of 8-direction k8 in the output order of the given neighbourhood.
BIGRAD_HD int grid_direction_index(int neighbourhood, int k8) {
  if (neighbourhood == 8) return k8;
  return k8 == 1 ? 0 : k8 == 3 ? 1 : k8 == 4 ? 2 : 3;
}

// L instances, interleaved: element (cell, lane) lives at p[cell * stride + lane].
template <typename T>
struct Lanes {
  T* p;
  int64_t stride;
  BIGRAD_HD T& operator()(int64_t cell, int lane) const { return p[cell * stride + lane]; }
};

// Padded workspace for L lanes: (H + 2) x (W + 2) cells each for the labels
// and for the recorded step (an 8-direction index stored as T, -1 = source).
template <typename T>
struct GridSweepWorkspace {
  Lanes<T> dist;
  Lanes<T> step;
};

namespace detail {

// Relax cell c from up to three neighbours u[0..nu) reached by 8-directions
// k8[0..nu); all L lanes at once.
template <typename T, int L>
BIGRAD_HD typename LaneVec<T, L>::Mask relax_cell(const Lanes<const T>& w, int64_t wc,
                                                  const GridSweepWorkspace<T>& ws, int64_t c, const int64_t* u,
                                                  const int* k8, int nu) {
  using V = LaneVec<T, L>;
  V d = V::load(&ws.dist(c, 0)), s = V::load(&ws.step(c, 0));
  const V wl = V::load(&w(wc, 0));
  auto hit = V::none();
  for (int q = 0; q < nu; ++q) {
    const V nd = V::load(&ws.dist(u[q], 0)) + wl;
    const auto better = nd < d;
    d = V::select(better, nd, d);
    s = V::select(better, V::fill(T(k8[q])), s);
    hit = V::either(hit, better);
  }
  d.store(&ws.dist(c, 0));
  s.store(&ws.step(c, 0));
  return hit;
}

// Relax row r (1-based, padded) from row r + dr (dr = -1: the row above,
// +1: the row below), then along the row left-to-right and right-to-left.
template <typename T, int L>
BIGRAD_HD bool relax_row(const Lanes<const T>& w, const GridSweepWorkspace<T>& ws, int W, int r, int dr,
                         bool diagonal) {
  const int64_t P = W + 2;
  // 8-directions of the moves from (r+dr, j-1), (r+dr, j), (r+dr, j+1) into (r, j)
  const int from_above[3] = {7, 6, 5}, from_below[3] = {2, 1, 0};
  const int* k = dr < 0 ? from_above : from_below;
  auto changed = LaneVec<T, L>::none();
  for (int j = 1; j <= W; ++j) {
    const int64_t c = r * P + j, u0 = (r + dr) * P + j;
    const int64_t wc = int64_t(r - 1) * W + (j - 1);
    if (diagonal) {
      const int64_t u[3] = {u0 - 1, u0, u0 + 1};
      changed = LaneVec<T, L>::either(changed, relax_cell<T, L>(w, wc, ws, c, u, k, 3));
    } else {
      changed = LaneVec<T, L>::either(changed, relax_cell<T, L>(w, wc, ws, c, &u0, k + 1, 1));
    }
  }
  const int kw = 4, ke = 3;  // moves (0, +1) from the west and (0, -1) from the east
  for (int j = 2; j <= W; ++j) {
    const int64_t c = r * P + j, u = c - 1;
    changed = LaneVec<T, L>::either(changed, relax_cell<T, L>(w, int64_t(r - 1) * W + (j - 1), ws, c, &u, &kw, 1));
  }
  for (int j = W - 1; j >= 1; --j) {
    const int64_t c = r * P + j, u = c + 1;
    changed = LaneVec<T, L>::either(changed, relax_cell<T, L>(w, int64_t(r - 1) * W + (j - 1), ws, c, &u, &ke, 1));
  }
  return LaneVec<T, L>::any(changed);
}

}  // namespace detail

// Solve L instances at once. w: H*W weights per lane (row-major cells).
// Afterwards ws.dist holds the path cost to every cell and ws.step the move
// that reached it; use grid_trace_path to read a lane's path.
template <typename T, int L>
BIGRAD_HD void grid_sweep(Lanes<const T> w, int H, int W, int neighbourhood, GridSweepWorkspace<T> ws) {
  const int64_t P = W + 2, padded = int64_t(H + 2) * P;
  const T inf = max_value<T>();
  for (int64_t c = 0; c < padded; ++c) {
    for (int l = 0; l < L; ++l) {
      ws.dist(c, l) = inf;
      ws.step(c, l) = T(-1);
    }
  }
  for (int l = 0; l < L; ++l) ws.dist(P + 1, l) = w(0, l);
  const bool diagonal = neighbourhood == 8;
  bool changed = true;
  while (changed) {
    changed = false;
    for (int r = 1; r <= H; ++r) changed |= detail::relax_row<T, L>(w, ws, W, r, -1, diagonal);
    for (int r = H; r >= 1; --r) changed |= detail::relax_row<T, L>(w, ws, W, r, +1, diagonal);
  }
}

// Write lane l's path indicator into mask (H*W) and, when edges is not null,
// the move indicator edges[u * neighbourhood + k] (move k leaves cell u).
// mask and edges must be zero on entry. Returns the path cost.
template <typename T>
BIGRAD_HD T grid_trace_path(const GridSweepWorkspace<T>& ws, int lane, int H, int W, int neighbourhood, T* mask,
                            T* edges) {
  const int64_t P = W + 2;
  int i = H - 1, j = W - 1;
  const T cost = ws.dist(int64_t(H) * P + W, lane);
  for (;;) {
    mask[i * W + j] = T(1);
    const int k8 = int(ws.step(int64_t(i + 1) * P + (j + 1), lane));
    if (k8 < 0) break;
    int di, dj;
    grid_direction8(k8, di, dj);
    i -= di;
    j -= dj;
    if (edges != nullptr) edges[(int64_t(i) * W + j) * neighbourhood + grid_direction_index(neighbourhood, k8)] = T(1);
  }
  return cost;
}

}  // namespace bigrad
