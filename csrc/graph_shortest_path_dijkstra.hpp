// Dijkstra on a general directed graph (CPU only): the large graphs, the lanes
// the pull passes of bigrad/graph_shortest_path.hpp leave unsettled, and the
// scipy-compatible bigrad.csgraph.dijkstra.
//
// A radix heap (radix_heap.hpp) with lazy deletion: a node may sit in the
// heap several times, and a popped entry whose key is above the node's label
// is skipped. Weights must be non-negative (the callers check). Labels are the sums formed from the source outwards in path order,
// as scipy's csgraph forms them, so the distances agree to the last bit.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "bigrad/common.hpp"
#include "radix_heap.hpp"

namespace bigrad {
bool cancelled();  // csrc/batch.cpp
}  // namespace bigrad

namespace bigrad {

// The out-edge CSR: the edges of u are e in [ptr[u], ptr[u + 1]), head dst[e].
struct OutEdges {
  const int64_t* ptr;
  const int32_t* dst;
  int32_t n;
};

template <typename T>
class GraphDijkstra {
 public:
  explicit GraphDijkstra(int32_t n) : dist_(size_t(n)), pred_(size_t(n)), origin_(size_t(n)) {}

  // Labels from the sources (label init each; origin: the source's position in
  // `sources`). Stops once `target` is settled and every label equal to its is
  // final (target < 0: runs to the end).
  // Only labels <= limit are kept (scipy's `limit`). Returns false when
  // cancelled (the labels are then unfinished).
  // Track: also keep pred() and origin() (scipy's outputs); the paths need the labels alone.
  template <bool Track = true>
  bool run(const OutEdges& g, const T* w, const int32_t* sources, int count, T init, int32_t target, T limit,
           const volatile int* cancel) {
    std::fill(dist_.begin(), dist_.end(), infinity<T>());
    if (Track) {
      std::fill(pred_.begin(), pred_.end(), int64_t(-1));
      std::fill(origin_.begin(), origin_.end(), int32_t(-1));
    }
    heap_.clear();
    for (int i = 0; i < count; ++i) {
      const int32_t s = sources[i];
      if (!(init < dist_[size_t(s)])) continue;  // a repeated source keeps its first position
      dist_[size_t(s)] = init;
      if (Track) origin_[size_t(s)] = i;
      heap_.push(init, uint32_t(s));
    }
    int64_t pops = 0;
    T stop = infinity<T>();
    typename RadixHeap<T>::Key k;
    uint32_t popped;
    while (heap_.pop(k, popped)) {
      const int32_t u = int32_t(popped);
      const T d = dist_[size_t(u)];
      if (k != RadixHeap<T>::key(d)) continue;  // stale entry
      if (u == target) stop = d;                 // go on while labels equal the target's: all of them final
      if (d > stop) return true;
      if ((++pops & 4095) == 0 && cancel && *cancel) return false;
      for (int64_t e = g.ptr[u]; e < g.ptr[u + 1]; ++e) {
        const int32_t v = g.dst[e];
        const T c = d + w[e];
        if (c < dist_[size_t(v)] && c <= limit) {
          dist_[size_t(v)] = c;
          if (Track) {
            pred_[size_t(v)] = e;
            origin_[size_t(v)] = origin_[size_t(u)];
          }
          heap_.push(c, uint32_t(v));
        }
      }
    }
    return true;
  }

  int32_t size() const { return int32_t(dist_.size()); }
  const std::vector<T>& dist() const { return dist_; }
  // the edge that last lowered each label (-1: a source or unreached)
  const std::vector<int64_t>& pred() const { return pred_; }
  const std::vector<int32_t>& origin() const { return origin_; }

 private:
  std::vector<T> dist_;
  std::vector<int64_t> pred_;
  std::vector<int32_t> origin_;
  RadixHeap<T> heap_;
};

}  // namespace bigrad

#include "shortest_path_buckets.hpp"

namespace bigrad {

// Labels from `source` (label init) until every label up to the target's is
// final, with `queue`: the grid's bucket queue (shortest_path_buckets.hpp:
// it stops at the end of the target's bucket) or a radix heap (popped in key
// order: it stops at the first label above the target's). A node's "weight"
// for the bucket queue is its least in-edge weight min_in[v]: every move into
// v adds at least that much, which is what makes v "sure" there.
template <typename T, typename Queue>
__attribute__((noinline)) void graph_dijkstra_run(const OutEdges& g, const T* w, const uint8_t* sure, int32_t target,
                                                  T* dist, Queue& queue) {
  constexpr bool ordered = std::is_same<Queue, RadixHeap<T>>::value;
  T stop = infinity<T>();
  int64_t pops = 0;
  typename Queue::Key k;
  uint32_t popped;
  while (queue.pop(k, popped)) {
    const int32_t v = int32_t(popped);
    const T d = dist[v];
    if (k != Queue::key(d)) continue;  // stale entry
    if (ordered && d > stop) break;
    if (v == target) {
      stop = d;
      if (!ordered) queue.target_reached();  // the bucket queue finishes the target's bucket
    }
    if ((++pops & 0xffff) == 0 && cancelled()) return;
    // memory bound on large graphs: the nodes expanded soon are fetched in stages, as the grid's
    // Dijkstra does: their edge range, then their edges, then their heads' labels
    const uint32_t later = queue.upcoming(8);
    if (later != UINT32_MAX) __builtin_prefetch(g.ptr + later, 0);
    const uint32_t next = queue.upcoming(4);
    if (next != UINT32_MAX) {
      const int64_t p = g.ptr[next];
      __builtin_prefetch(w + p, 0);
      __builtin_prefetch(g.dst + p, 0);
    }
    const uint32_t soon = queue.upcoming(1);
    if (soon != UINT32_MAX)
      for (int64_t e = g.ptr[soon]; e < g.ptr[soon + 1]; ++e) __builtin_prefetch(dist + g.dst[e], 1);
    const int64_t lo = g.ptr[v], hi = g.ptr[v + 1];
    const int32_t* heads = g.dst;
    for (int64_t e = lo; e < hi; ++e) {
      const int32_t u = heads[e];
      const T nd = d + w[e];
      if (nd < dist[u]) {
        dist[u] = nd;
        queue.push_sure(nd, uint32_t(u), sure[u] != 0);
      }
    }
  }
}

// The labels of one large instance (non-negative weights) up to the target's,
// into dist [n]; min_in [n] is workspace.
template <typename T>
void graph_dijkstra_large(const OutEdges& g, const T* w, int32_t source, T init, int32_t target, T* dist, T* min_in) {
  std::fill(dist, dist + g.n, infinity<T>());
  std::fill(min_in, min_in + g.n, infinity<T>());
  for (int32_t v = 0; v < g.n; ++v)
    for (int64_t e = g.ptr[v]; e < g.ptr[v + 1]; ++e) min_in[g.dst[e]] = std::min(min_in[g.dst[e]], w[e]);
  T low = infinity<T>(), high = T(0);
  for (int32_t v = 0; v < g.n; ++v) {
    if (min_in[v] < infinity<T>()) {
      low = std::min(low, min_in[v]);
      high = std::max(high, min_in[v]);
    } else {
      min_in[v] = T(0);  // never reached by a move: its entry (the source's at most) is not sure
    }
  }
  dist[source] = init;
  RadixHeap<T> heap;
  const double width = low < infinity<T>() && init >= T(0) ? BucketQueue<T>::width(min_in, g.n, low, high) : 0;
  // each node's sure flag, written over min_in's own memory (byte v after reading min_in[v]): a
  // relaxation then reads a byte array that stays in cache, not a second label-sized array (the
  // radix heap ignores the flags: without buckets they are never written)
  uint8_t* sure = reinterpret_cast<uint8_t*>(min_in);
  if (width > 0) {
    BucketQueue<T> queue(width, low, high, init);
    for (int32_t v = 0; v < g.n; ++v) sure[v] = queue.is_sure(min_in[v]) ? 1 : 0;
    queue.push(init, uint32_t(source), T(0));
    graph_dijkstra_run(g, w, sure, target, dist, queue);
    if (!queue.gave_up()) return;
    // labels too large for the buckets: the heap goes on
    queue.drain([&](typename BucketQueue<T>::Key k, uint32_t cell) { heap.push_key(k, cell); });
  } else {
    heap.push(init, uint32_t(source));
  }
  graph_dijkstra_run(g, w, sure, target, dist, heap);
}

}  // namespace bigrad
