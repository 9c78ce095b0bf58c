// Labels of one large grid by Dijkstra (CPU only).
//
// The sweeps of bigrad/shortest_path.hpp need a pass per change of vertical
// direction of any shortest path, which on a large grid means hundreds of
// passes. Dijkstra settles every cell once. The labels are the same: both
// compute the unique fixed point (the minimum over paths of the sums formed
// from the source outwards), so grid_trace reads the same path from either.
// The queue is a bucket queue (shortest_path_buckets.hpp) sized from the
// weights, or, where the buckets do not suit them (more than 5% zero weights,
// or labels past the buckets' exact range), a radix heap: non-negative floats order like their bit patterns
// read as unsigned integers, which makes them keys of a radix heap (monotone:
// popped keys never decrease). It stops once the target is settled (the
// bucket queue: once the target's bucket is done): every cell with a label
// below the target's has its final label then, and grid_trace only visits
// those. Interior cells are relaxed without bounds tests: the padding holds
// -inf during the search, so no move into it is ever taken.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "batch.hpp"
#include "bigrad/shortest_path.hpp"
#include "shortest_path_buckets.hpp"

namespace bigrad {

// Row of padded cell v (< 2^32) for rows of P cells (2 < P < 2^32), by a
// multiplication: v * ceil(2^64 / P) / 2^64 is below v / P by less than 2^-32 <= 1 / P.
struct RowOf {
  uint64_t magic;
  explicit RowOf(uint64_t P) : magic(~uint64_t(0) / P + 1) {}
  uint32_t operator()(uint32_t v) const { return uint32_t((unsigned __int128)v * magic >> 64); }
};

// Dijkstra with `queue` (push(label, cell), pop(key, cell), upcoming(ahead)),
// which holds the source or the entries of an earlier queue. dist must hold
// -inf on the border (never relaxed). With Steps, step[u] receives the move
// (8-direction index) of every strict improvement of u: the last one is from
// a cell expanded with its final label before u, so following the steps from
// any settled cell reaches the source (no cycle, even with zero weights).
template <bool Steps, typename T, typename Queue>
__attribute__((noinline)) void grid_dijkstra_run(const T* w, int H, int W, int neighbourhood, T* dist, Queue& queue,
                                                 T* step) {
  const int64_t P = W + 2;
  const uint32_t target = uint32_t(int64_t(H) * P + W);
  const RowOf row_of{uint64_t(P)};
  constexpr int kAhead = 4;  // cells ahead whose memory is fetched (2 to 8 measured alike)
  // cells whose neighbours' weight indices wv - W - 1 ... wv + W + 1 are all inside w
  const int64_t fast_first = W + 1, fast_last = int64_t(H) * W - W - 2;
  // per move: the step in dist's layout and in w's
  int64_t steps[8], wsteps[8];
  T moves[8];
  int count = 0;
  for (int k8 = 0; k8 < 8; ++k8) {
    if (neighbourhood == 4 && (k8 == 0 || k8 == 2 || k8 == 5 || k8 == 7)) continue;
    int di, dj;
    grid_direction8(k8, di, dj);
    moves[count] = T(k8);
    wsteps[count] = int64_t(di) * W + dj;
    steps[count++] = di * P + dj;
  }
  int64_t pops = 0;
  typename Queue::Key k;
  uint32_t v;
  while (queue.pop(k, v)) {
    const T d = dist[v];
    if (k != Queue::key(d)) continue;  // stale entry
    if (v == target && queue.target_reached()) break;
    if ((++pops & 0xffff) == 0 && cancelled()) return;
    const int64_t wv = int64_t(v) - 2 * int64_t(row_of(v)) - W - 1;  // (i - 1) * W + j - 1
    // the labels and weights around a cell expanded soon (memory bound)
    const uint32_t next = queue.upcoming(kAhead);
    if (next != UINT32_MAX) {
      const int64_t wn = int64_t(next) - 2 * int64_t(row_of(next)) - W - 1;
      for (int r = -1; r <= 1; ++r) {
        __builtin_prefetch(dist + next + r * P, 1);
        __builtin_prefetch(w + wn + r * W, 0);
      }
    }
    if (wv >= fast_first && wv <= fast_last) {
      // every neighbour's weight index is inside w (a border neighbour reads
      // a weight of the next or previous row: -inf never takes it)
      for (int s = 0; s < count; ++s) {
        const int64_t u = int64_t(v) + steps[s];
        const T wu = w[wv + wsteps[s]], nd = d + wu;
        if (nd < dist[u]) {
          dist[u] = nd;
          if constexpr (Steps) step[u] = moves[s];
          queue.push(nd, uint32_t(u), wu);
        }
      }
    } else {
      for (int s = 0; s < count; ++s) {
        const int64_t u = int64_t(v) + steps[s];
        const T du = dist[u];
        if (du > d) {  // not the border (-inf): the weight index is inside w
          const T wu = w[wv + wsteps[s]], nd = d + wu;
          if (nd < du) {
            dist[u] = nd;
            if constexpr (Steps) step[u] = moves[s];
            queue.push(nd, uint32_t(u), wu);
          }
        }
      }
    }
  }
}

// Sets the border of the padded labels to `value`.
template <typename T>
void set_border(T* dist, int H, int W, T value) {
  const int64_t P = W + 2;
  std::fill(dist, dist + P, value);
  std::fill(dist + int64_t(H + 1) * P, dist + int64_t(H + 2) * P, value);
  for (int64_t i = 1; i <= H; ++i) dist[i * P] = dist[i * P + W + 1] = value;
}

template <bool Steps, typename T>
void grid_dijkstra_with(const T* w, int H, int W, int neighbourhood, T* dist, T low, T high, T* step) {
  grid_sweep_init<T, 1>(Lanes<const T>{w, 1}, H, W, Lanes<T>{dist, 1});
  set_border(dist, H, W, -infinity<T>());
  if constexpr (Steps) std::fill(step, step + int64_t(H + 2) * (W + 2), T(-1));
  const uint32_t source = uint32_t(W + 3);
  RadixHeap<T> heap;
  const double width = BucketQueue<T>::width(w, int64_t(H) * W, low, high);
  if (width > 0) {
    BucketQueue<T> queue(width, low, high, dist[source]);
    queue.push(dist[source], source, dist[source]);
    grid_dijkstra_run<Steps>(w, H, W, neighbourhood, dist, queue, step);
    if (queue.gave_up()) {  // labels too large for the buckets: the heap goes on
      queue.drain([&](typename BucketQueue<T>::Key k, uint32_t cell) { heap.push_key(k, cell); });
      grid_dijkstra_run<Steps>(w, H, W, neighbourhood, dist, heap, step);
    }
  } else {
    heap.push(dist[source], source);
    grid_dijkstra_run<Steps>(w, H, W, neighbourhood, dist, heap, step);
  }
  set_border(dist, H, W, infinity<T>());
}

// dist: the padded (H+2) x (W+2) labels (stride 1) that grid_trace reads
// (+inf on the border, as grid_sweep_init leaves it). low, high: the least and
// the largest weight (finite, non-negative).
// step: null, or the padded (H+2) x (W+2) moves that grid_trace_steps reads
// (set to -1, then the move of each cell's last strict improvement; for
// plateaus, where grid_trace cannot read the path back from the labels).
template <typename T>
void grid_dijkstra(const T* w, int H, int W, int neighbourhood, T* dist, T low, T high, T* step = nullptr) {
  if (step) {
    grid_dijkstra_with<true>(w, H, W, neighbourhood, dist, low, high, step);
  } else {
    grid_dijkstra_with<false>(w, H, W, neighbourhood, dist, low, high, step);
  }
}

}  // namespace bigrad
