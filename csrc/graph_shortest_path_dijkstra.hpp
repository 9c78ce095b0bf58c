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
#include <utility>
#include <vector>

#include "bigrad/common.hpp"
#include "radix_heap.hpp"

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
