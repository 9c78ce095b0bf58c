// Shortest paths on a general directed graph, per instance or L instances in
// SIMD lanes (one graph structure, L weight vectors).
//
// The labels are computed by Gauss–Seidel passes in "push" form over the
// out-edge CSR: in node order, alternately forward and backward, every node
// whose label changed since it was last visited relaxes its out-edges
// (dist[v] = min(dist[v], dist[u] + w[e])). On a DAG one pass in topological
// order is exact, for weights of any sign. Otherwise the passes stop when no
// label changes any more: a fixed point of the Bellman equations, which are the
// exact labels, the minimum over paths of the sums formed from the source
// outwards, whatever the order. A lane still changing after the caller's pass
// limit is finished by Dijkstra instead (csrc/graph_shortest_path_dijkstra.hpp),
// which reaches the same labels.
//
// pred[v] is the edge of the last strict improvement of v's label. With
// non-negative weights these form a tree (each assignment strictly lowers the
// head's label and no label ever rises, so a cycle of predecessors would need a
// label below itself), also in floating point. A node is visited when its label
// changed in any lane; for the other lanes the visit changes nothing, so every
// lane goes through exactly the states it would go through alone: the result of
// an instance never depends on its neighbours in the group, on the vector width
// or on the thread count.
//
// L == 1 is plain scalar code (CUDA: one instance per thread); L > 1 uses
// GCC/Clang vector extensions on the host.
#pragma once

#include <cstdint>
#include <cstring>
#include <type_traits>
#if defined(__SSE2__) && !defined(__CUDACC__)
#include <immintrin.h>  // includers that wrap this header in a namespace include it first, at global scope
#endif

#include "bigrad/common.hpp"

#if defined(__GNUC__) && !defined(__CUDACC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"  // vectors stay inside this header's inlined helpers
#endif

namespace bigrad {

// The out-edge CSR of a graph with n nodes: the edges of u are e in
// [ptr[u], ptr[u + 1]), with head dst[e]. order: the nodes in the order of a
// forward pass (a topological order on a DAG), or null for 0 .. n - 1.
struct OutGraph {
  const int64_t* ptr;
  const int32_t* dst;
  const int32_t* order;
  int32_t n;
};

template <typename T, int L>
struct GraphLanes;

template <typename T>
struct GraphLanes<T, 1> {
  using V = T;
  using P = int64_t;
  using M = bool;
  BIGRAD_HD static V load(const T* p) { return *p; }
  BIGRAD_HD static void store(T* p, V v) { *p = v; }
  BIGRAD_HD static P load_pred(const int64_t* p) { return *p; }
  BIGRAD_HD static void store_pred(int64_t* p, P v) { *p = v; }
  BIGRAD_HD static P pred_of(int64_t k) { return k; }
  BIGRAD_HD static bool any(M m) { return m; }
  BIGRAD_HD static bool lane(M m, int) { return m; }
  BIGRAD_HD static V pick(M m, V a, V b) { return m ? a : b; }
  BIGRAD_HD static P pick_pred(M m, P a, P b) { return m ? a : b; }
};

#if !defined(__CUDACC__) && (defined(__GNUC__) || defined(__clang__))
template <typename T, int L>
struct GraphLanes {
  // predecessor slots as integers of T's width, so that a comparison's mask selects them
  using I = typename std::conditional<sizeof(T) == 4, int32_t, int64_t>::type;
  typedef T V __attribute__((vector_size(sizeof(T) * L)));
  typedef I P __attribute__((vector_size(sizeof(T) * L)));
  typedef decltype(V{} < V{}) M;
  __attribute__((always_inline)) static V load(const T* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  __attribute__((always_inline)) static void store(T* p, V v) { std::memcpy(p, &v, sizeof v); }
  __attribute__((always_inline)) static P load_pred(const I* p) {
    P v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  __attribute__((always_inline)) static void store_pred(I* p, P v) { std::memcpy(p, &v, sizeof v); }
  __attribute__((always_inline)) static P pred_of(int64_t k) { return P{} + I(k); }
  // whether any lane of a comparison's mask is set, in as few instructions as the ISA allows
  __attribute__((always_inline)) static bool any(const M& m) {
#if defined(__AVX512F__)
    if constexpr (sizeof(M) == 64) {
      __m512i x;
      std::memcpy(&x, &m, 64);
      return _mm512_test_epi32_mask(x, x) != 0;
    }
#endif
#if defined(__AVX2__)
    if constexpr (sizeof(M) % 32 == 0) {
      __m256i acc = _mm256_setzero_si256(), x;
      for (size_t i = 0; i < sizeof(M); i += 32) {
        std::memcpy(&x, reinterpret_cast<const char*>(&m) + i, 32);
        acc = _mm256_or_si256(acc, x);
      }
      return !_mm256_testz_si256(acc, acc);
    }
#endif
#if defined(__SSE2__)
    if constexpr (sizeof(M) % 16 == 0) {
      __m128i acc = _mm_setzero_si128(), x;
      for (size_t i = 0; i < sizeof(M); i += 16) {
        std::memcpy(&x, reinterpret_cast<const char*>(&m) + i, 16);
        acc = _mm_or_si128(acc, x);
      }
      return _mm_movemask_epi8(acc) != 0;
    }
#endif
    uint64_t words[sizeof(M) / 8];
    std::memcpy(words, &m, sizeof m);
    uint64_t acc = 0;
    for (size_t i = 0; i < sizeof(M) / 8; ++i) acc |= words[i];
    return acc != 0;
  }
  static bool lane(const M& m, int l) { return m[l] != 0; }
  __attribute__((always_inline)) static V pick(M m, V a, V b) { return m ? a : b; }
  __attribute__((always_inline)) static P pick_pred(M m, P a, P b) { return m ? a : b; }
};
#endif

// Labels +inf and predecessors -1 everywhere but at the sources: dist[source[l]]
// of lane l is init[l] (0 for edge weights; the source's own weight for node
// weights). dist: [n][L], pred: [n][L], dirty: [n] (set at the sources).
template <typename T, int L, typename I>
BIGRAD_HD void graph_labels_init(int32_t n, const int32_t* source, const T* init, T* dist, I* pred,
                                 unsigned char* dirty) {
  for (int64_t c = 0; c < int64_t(n) * L; ++c) {
    dist[c] = infinity<T>();
    pred[c] = I(-1);
  }
  for (int32_t v = 0; v < n; ++v) dirty[v] = 0;
  for (int l = 0; l < L; ++l) {
    dist[int64_t(source[l]) * L + l] = init[l];
    dirty[source[l]] = 1;
  }
}

// One push pass, forward (order) or backward, over the dirty nodes. w: [E][L]
// weights. changed: set to the lanes in which a label decreased.
template <typename T, int L, typename I>
BIGRAD_HD void graph_push_pass(const OutGraph& g, const T* w, T* dist, I* pred, unsigned char* dirty, bool forward,
                               typename GraphLanes<T, L>::M& changed) {
  using G = GraphLanes<T, L>;
  changed = typename G::M{};
  for (int32_t i = 0; i < g.n; ++i) {
    const int32_t j = forward ? i : g.n - 1 - i;
    const int32_t u = g.order ? g.order[j] : j;
    if (!dirty[u]) continue;
    dirty[u] = 0;
    const typename G::V du = G::load(dist + int64_t(u) * L);
    for (int64_t e = g.ptr[u]; e < g.ptr[u + 1]; ++e) {
      const int64_t v = g.dst[e];
      const typename G::V c = du + G::load(w + e * L);
      const typename G::V dv = G::load(dist + v * L);
      const typename G::M m = c < dv;
      // branch-free: whether a lane improves is data-dependent and mispredicts often
      G::store(dist + v * L, G::pick(m, c, dv));
      G::store_pred(pred + v * L, G::pick_pred(m, G::pred_of(e), G::load_pred(pred + v * L)));
      dirty[v] |= (unsigned char)G::any(m);
      changed = changed | m;
    }
  }
}

// Passes until no label changes, or max_passes. A DAG (g.order topological,
// dag true) takes one pass. Returns the passes run; settled[l] is 1 where lane l
// reached its fixed point, else 0. cancel: polled between passes (non-zero:
// stop, lanes unsettled).
template <typename T, int L, typename I>
BIGRAD_HD int graph_push_labels(const OutGraph& g, const T* w, bool dag, int max_passes, T* dist, I* pred,
                                unsigned char* dirty, unsigned char* settled, const volatile int* cancel) {
  using G = GraphLanes<T, L>;
  typename G::M changed{};
  if (dag) {
    graph_push_pass<T, L, I>(g, w, dist, pred, dirty, true, changed);
    for (int l = 0; l < L; ++l) settled[l] = 1;
    return 1;
  }
  int pass = 0;
  bool stopped = false;
  while (pass < max_passes) {
    if (cancel && *cancel) {
      stopped = true;
      break;
    }
    graph_push_pass<T, L, I>(g, w, dist, pred, dirty, pass % 2 == 0, changed);
    ++pass;
    if (!G::any(changed)) break;
  }
  // a lane is settled once a pass changed nothing in it (a pass that ends the
  // limit with changes leaves it unsettled)
  for (int l = 0; l < L; ++l) settled[l] = (!stopped && !G::lane(changed, l)) ? 1 : 0;
  return pass;
}

}  // namespace bigrad

#if defined(__GNUC__) && !defined(__CUDACC__)
#pragma GCC diagnostic pop
#endif
