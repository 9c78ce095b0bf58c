// Vertex-weighted grid shortest path, top-left to bottom-right.
//
// The cost of a path is the sum of the weights of every cell it visits, both
// ends included; moves go to the 8 (or 4) neighbouring cells.
//
// Algorithm: label-correcting sweeps (Bellman-Ford in Gauss-Seidel order).
// A down pass relaxes the grid top-to-bottom (each row from the row above,
// then left-to-right and right-to-left inside the row), an up pass does the
// same bottom-to-top; passes alternate until one changes nothing (after a
// down pass every move from above and inside a row is tight, so a quiet up
// pass proves the fixed point, and vice versa). Every relaxation is a
// branch-free add/min, so L instances run side by side in SIMD lanes (CPU)
// and one instance runs per thread (CUDA, L = 1) with the same code. The
// result is exact in floating point: path sums are always formed from the
// source outwards and float addition is monotone, so the fixed point is the
// minimum over paths of the same sums Dijkstra forms, whatever the order of
// the passes.
//
// The sweep keeps only the labels. The path is read back from the target:
// at each cell the first move (in 8-direction order) from a neighbour u with
// dist[u] < dist[c] and dist[u] + w[c] == dist[c] (exact: the fixed point
// holds these sums). The labels are unique, so the path depends on the input
// alone: not on the lanes, the ISA, the thread count or the device. Where no
// such neighbour exists (a plateau of zero weights, or sums that absorb a
// small weight) the instance is solved again by grid_sweep_steps, which
// records the move of every strict improvement (an acyclic predecessor graph
// even with zero weights), and traced with grid_trace_steps.
#pragma once

#include "bigrad/cancel.hpp"
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

// Set every label to +inf except the source's (= its weight).
template <typename T, int L>
BIGRAD_HD void grid_sweep_init(Lanes<const T> w, int H, int W, Lanes<T> dist) {
  const int64_t P = W + 2, padded = int64_t(H + 2) * P;
  const T inf = infinity<T>();
  for (int64_t c = 0; c < padded; ++c) {
    for (int l = 0; l < L; ++l) dist(c, l) = inf;
  }
  for (int l = 0; l < L; ++l) dist(P + 1, l) = w(0, l);
}

// Relax row r of L lanes from row `prev` (above or below) and along the row
// left-to-right in one loop, then right-to-left. The left-to-right label is
// min(c, left + w) with c = min(old, min(prev three) + w) formed off the
// serial chain (min and + commute exactly: rounding is monotone). Returns
// whether a label of any lane decreased.
template <typename T, int L>
BIGRAD_HD bool grid_relax_row(const T* wr, T* row, const T* prev, int W, bool diagonal) {
  using V = LaneVec<T, L>;
  auto changed = V::none(), leftward = V::none();
  V left = V::fill(infinity<T>()), before = left, w_before = left;
  for (int j = 1; j <= W; ++j) {
    V a = V::load(prev + j * L);
    if (diagonal) a = V::min(a, V::min(V::load(prev + (j - 1) * L), V::load(prev + (j + 1) * L)));
    const V old = V::load(row + j * L), wj = V::load(wr + j * L);
    left = V::min(V::min(old, a + wj), left + wj);
    changed = V::either(changed, left < old);
    leftward = V::either(leftward, left + w_before < before);  // a move to the left improves cell j - 1
    before = left;
    w_before = wj;
    left.store(row + j * L);
  }
  // right-to-left only when one move to the left improves a label: else, by
  // induction from the right end, the scan would change nothing
  if (!V::any(leftward)) return V::any(changed);
  V right = left;
  for (int j = W - 1; j >= 1; --j) {
    const V old = V::load(row + j * L);
    right = V::min(old, right + V::load(wr + j * L));
    changed = V::either(changed, right < old);
    right.store(row + j * L);
  }
  return V::any(changed);
}

// One pass over the grid, down (rows top to bottom, each from the row above)
// or up. Returns whether a label of any lane decreased.
//
// rows (H + 2 flags, or null to relax every row) skips rows that cannot
// change: on entry rows[r] says whether row r changed in the previous pass,
// on return whether it changed in this one. Rows change only when relaxed,
// and a relaxed row has all its in-row moves tight, so in a down pass row r
// needs work only if row r - 1 changed since row r was last relaxed from it:
// in the previous (up) pass, or earlier in this one. Likewise upwards. The
// first pass (first = true) relaxes every row.
template <typename T, int L>
BIGRAD_HD bool grid_sweep_pass(Lanes<const T> w, int H, int W, bool diagonal, bool down, Lanes<T> dist,
                               unsigned char* rows = nullptr, bool first = true) {
  const int64_t P = W + 2;
  bool any = false, before_old = false, before_now = false;  // the padding row never changes
  for (int k = 0; k < H; ++k) {
    const int r = down ? k + 1 : H - k;
    const bool old = rows != nullptr && rows[r] != 0;
    bool now = false;
    if (first || rows == nullptr || before_old || before_now) {
      now = grid_relax_row<T, L>(&w(int64_t(r - 1) * W - 1, 0), &dist(int64_t(r) * P, 0),
                                 &dist(int64_t(down ? r - 1 : r + 1) * P, 0), W, diagonal);
    }
    if (rows != nullptr) rows[r] = now ? 1 : 0;
    any = any || now;
    before_old = old;
    before_now = now;
  }
  return any;
}

// Labels of L instances (dist must have the padded layout, stride L):
// init, then passes until a pass after the first changes nothing. rows: H + 2
// flags of workspace, or null (then every pass relaxes every row). Returns
// the number of passes.
template <typename T, int L>
BIGRAD_HD int grid_sweep(Lanes<const T> w, int H, int W, int neighbourhood, Lanes<T> dist,
                         unsigned char* rows = nullptr) {
  grid_sweep_init<T, L>(w, H, W, dist);
  const bool diagonal = neighbourhood == 8;
  grid_sweep_pass<T, L>(w, H, W, diagonal, true, dist, rows, true);
  int passes = 1;
  while (grid_sweep_pass<T, L>(w, H, W, diagonal, passes % 2 == 0, dist, rows, false)) ++passes;
  return passes + 1;
}

// Index of the lowest set bit of x (x != 0).
BIGRAD_HD int grid_lowest_bit(unsigned x) {
#if defined(__CUDA_ARCH__)
  return __ffs(int(x)) - 1;
#else
  return __builtin_ctz(x);
#endif
}

// Offsets (padded layout) from a cell back to the cell each 8-direction
// enters it from, and the 8-directions the neighbourhood allows, as bits.
struct GridMoves {
  int64_t back[8];
  unsigned allowed;
  BIGRAD_HD GridMoves(int W, int neighbourhood) : allowed(neighbourhood == 8 ? 0xffu : 0x5au) {  // 4: 1, 3, 4, 6
    for (int k8 = 0; k8 < 8; ++k8) {
      int di, dj;
      grid_direction8(k8, di, dj);
      back[k8] = -(di * int64_t(W + 2) + dj);
    }
  }
};

// The move of the path into padded cell c (unpadded cw) of lane l: the first
// 8-direction from a neighbour u with dist[u] < dist[c] and dist[u] + w[c] ==
// dist[c], or -1 (a plateau). All moves are tested without branches.
template <typename T>
BIGRAD_HD int grid_trace_move(const Lanes<const T>& w, const Lanes<const T>& dist, int lane, int64_t c, int64_t cw,
                              const GridMoves& moves) {
  const T d = dist(c, lane), wc = w(cw, lane);
  unsigned fits = 0;
  for (int k8 = 0; k8 < 8; ++k8) {
    const T du = dist(c + moves.back[k8], lane);  // padding holds +inf
    fits |= unsigned((du < d) & (du + wc == d)) << k8;
  }
  fits &= moves.allowed;
  return fits == 0 ? -1 : grid_lowest_bit(fits);
}

// Read lane l's path back from the labels (see the file comment) into mask
// (H*W) and, when edges is not null, the move indicator edges[u * neighbourhood
// + k] (move k leaves cell u); both must be zero on entry. Returns false when
// the labels have a plateau on the way (then mask/edges are partly written:
// clear them and use grid_sweep_steps + grid_trace_steps).
template <typename T>
BIGRAD_HD bool grid_trace(Lanes<const T> w, Lanes<const T> dist, int lane, int H, int W, int neighbourhood, T* mask,
                          T* edges) {
  const GridMoves moves(W, neighbourhood);
  const int64_t source = W + 3;
  int64_t c = int64_t(H) * (W + 2) + W, cw = int64_t(H) * W - 1;  // padded and unpadded index
  for (;;) {
    mask[cw] = T(1);
    if (c == source) return true;
    const int k8 = grid_trace_move(w, dist, lane, c, cw, moves);
    if (k8 < 0) return false;
    int di, dj;
    grid_direction8(k8, di, dj);
    c += moves.back[k8];
    cw -= int64_t(di) * W + dj;
    if (edges != nullptr) edges[cw * neighbourhood + grid_direction_index(neighbourhood, k8)] = T(1);
  }
}

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

// The fallback sweep: labels and, in ws.step, the move of every strict
// improvement (an 8-direction index stored as T, -1 = source); read the path
// with grid_trace_steps. Same passes as grid_sweep, about twice the work.
// Returns false, unfinished, once *cancel is set (bigrad/cancel.hpp; checked every pass).
template <typename T, int L>
BIGRAD_HD bool grid_sweep_steps(Lanes<const T> w, int H, int W, int neighbourhood, GridSweepWorkspace<T> ws,
                                const volatile int* cancel = nullptr) {
  const int64_t P = W + 2, padded = int64_t(H + 2) * P;
  const T inf = infinity<T>();
  for (int64_t c = 0; c < padded; ++c) {
    for (int l = 0; l < L; ++l) {
      ws.dist(c, l) = inf;
      ws.step(c, l) = T(-1);
    }
  }
  for (int l = 0; l < L; ++l) ws.dist(P + 1, l) = w(0, l);
  const bool diagonal = neighbourhood == 8;
  bool changed = true;
  for (int pass = 0; changed || pass == 1; ++pass) {
    if (cancel_requested(cancel)) return false;
    changed = false;
    if (pass % 2 == 0) {
      for (int r = 1; r <= H; ++r) changed |= detail::relax_row<T, L>(w, ws, W, r, -1, diagonal);
    } else {
      for (int r = H; r >= 1; --r) changed |= detail::relax_row<T, L>(w, ws, W, r, +1, diagonal);
    }
  }
  return true;
}

// Path of lane l after grid_sweep_steps, written like grid_trace's. Returns the path cost.
template <typename T>
BIGRAD_HD T grid_trace_steps(const GridSweepWorkspace<T>& ws, int lane, int H, int W, int neighbourhood, T* mask,
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

// One instance, as the CUDA kernel runs it (L = 1): labels, path, fallback.
// ws.dist/ws.step: padded workspaces; mask/edges zero on entry. Returns the
// path cost (+inf when it overflows the type: then the mask is left empty).
template <typename T>
BIGRAD_HD T grid_shortest_path(Lanes<const T> w, int H, int W, int neighbourhood, GridSweepWorkspace<T> ws, T* mask,
                               T* edges) {
  grid_sweep<T, 1>(w, H, W, neighbourhood, ws.dist);
  const T cost = ws.dist(int64_t(H) * (W + 2) + W, 0);
  if (!(cost < infinity<T>())) return cost;
  if (grid_trace<T>(w, Lanes<const T>{ws.dist.p, ws.dist.stride}, 0, H, W, neighbourhood, mask, edges)) return cost;
  const int64_t n = int64_t(H) * W;
  for (int64_t c = 0; c < n; ++c) mask[c] = T(0);
  if (edges != nullptr) {
    for (int64_t c = 0; c < n * neighbourhood; ++c) edges[c] = T(0);
  }
  grid_sweep_steps<T, 1>(w, H, W, neighbourhood, ws);
  return grid_trace_steps<T>(ws, 0, H, W, neighbourhood, mask, edges);
}

}  // namespace bigrad
