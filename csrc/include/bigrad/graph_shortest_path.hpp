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
// The passes keep labels only. The path is read from the labels afterwards by
// graph_trace, walking back from the target along tight in-edges
// (dist[u] + w[e] == dist[v]) by a fixed rule, so it depends on the labels alone:
// the same path whichever algorithm found them (lanes, one instance, Dijkstra,
// the GPU), for every batch composition, thread count and vector width (a node
// is visited when its label changed in any lane; for the other lanes the visit
// changes nothing, so every lane goes through the states it would alone).
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
  using M = bool;
  BIGRAD_HD static V load(const T* p) { return *p; }
  BIGRAD_HD static void store(T* p, V v) { *p = v; }
  BIGRAD_HD static bool any(M m) { return m; }
  BIGRAD_HD static bool lane(M m, int) { return m; }
  BIGRAD_HD static V pick(M m, V a, V b) { return m ? a : b; }
};

#if !defined(__CUDACC__) && (defined(__GNUC__) || defined(__clang__))
template <typename T, int L>
struct GraphLanes {
  typedef T V __attribute__((vector_size(sizeof(T) * L)));
  typedef decltype(V{} < V{}) M;
  __attribute__((always_inline)) static V load(const T* p) {
    V v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  __attribute__((always_inline)) static void store(T* p, V v) { std::memcpy(p, &v, sizeof v); }
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
};
#endif

// Labels +inf everywhere but at the sources: dist[source[l]] of lane l is
// init[l] (0 for edge weights; the source's own weight for node weights).
// dist: [n][L], dirty: [n] (set at the sources).
template <typename T, int L>
BIGRAD_HD void graph_labels_init(int32_t n, const int32_t* source, const T* init, T* dist, unsigned char* dirty) {
  for (int64_t c = 0; c < int64_t(n) * L; ++c) dist[c] = infinity<T>();
  for (int32_t v = 0; v < n; ++v) dirty[v] = 0;
  for (int l = 0; l < L; ++l) {
    dist[int64_t(source[l]) * L + l] = init[l];
    dirty[source[l]] = 1;
  }
}

// One push pass, forward (order) or backward, over the dirty nodes. w: [E][L]
// weights. changed: set to the lanes in which a label decreased.
template <typename T, int L>
BIGRAD_HD void graph_push_pass(const OutGraph& g, const T* w, T* dist, unsigned char* dirty, bool forward,
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
      dirty[v] |= (unsigned char)G::any(m);
      changed = changed | m;
    }
  }
}

// Passes until no label changes, or max_passes. A DAG (g.order topological,
// dag true) takes one pass. Returns the passes run; settled[l] is 1 where lane l
// reached its fixed point, else 0. cancel: polled between passes (non-zero:
// stop, lanes unsettled).
template <typename T, int L>
BIGRAD_HD int graph_push_labels(const OutGraph& g, const T* w, bool dag, int max_passes, T* dist,
                                unsigned char* dirty, unsigned char* settled, const volatile int* cancel) {
  using G = GraphLanes<T, L>;
  typename G::M changed{};
  if (dag) {
    graph_push_pass<T, L>(g, w, dist, dirty, true, changed);
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
    graph_push_pass<T, L>(g, w, dist, dirty, pass % 2 == 0, changed);
    ++pass;
    if (!G::any(changed)) break;
  }
  // a lane is settled once a pass changed nothing in it (a pass that ends the
  // limit with changes leaves it unsettled)
  for (int l = 0; l < L; ++l) settled[l] = (!stopped && !G::lane(changed, l)) ? 1 : 0;
  return pass;
}

// The in-edge CSR: the in-edges of v are k in [ptr[v], ptr[v + 1]), edge
// eid[k] from tail src[k], listed in the order the tie rule prefers them (the
// user's edge numbers).
struct InEdges {
  const int64_t* ptr;
  const int32_t* src;
  const int64_t* eid;
};

// Labels of one instance: dist[v * stride] (a lane of a group, or a plain array).
template <typename T>
struct LabelView {
  const T* dist;
  int64_t stride;
  BIGRAD_HD T operator()(int64_t v) const { return dist[v * stride]; }
};

// Fewest edges from the source along tight edges, for every node reached that
// way (else -1): hops[n], queue[n] of workspace. w: the instance's weights [E].
template <typename T>
BIGRAD_HD void graph_tight_hops(const OutGraph& g, const T* w, LabelView<T> d, int32_t source, int32_t* hops,
                                int32_t* queue) {
  for (int32_t v = 0; v < g.n; ++v) hops[v] = -1;
  int32_t head = 0, tail = 0;
  hops[source] = 0;
  queue[tail++] = source;
  while (head < tail) {
    const int32_t u = queue[head++];
    const T du = d(u);
    for (int64_t e = g.ptr[u]; e < g.ptr[u + 1]; ++e) {
      const int32_t v = g.dst[e];
      if (hops[v] < 0 && du + w[e] == d(v)) {
        hops[v] = hops[u] + 1;
        queue[tail++] = v;
      }
    }
  }
}

// Writes 1 into mask [E] on the edges of the path from source to target read
// from the labels d (target reached: d(target) finite), walking back from the
// target. At each node v it takes the first listed tight in-edge (u -> v,
// d(u) + w[e] == d(v)) whose tail has a smaller label; on a DAG the first tight
// in-edge (no walk can cycle). Where none has (zero weights, or weights too
// small to change a label), the first tight in-edge whose tail is one
// hop closer to the source along tight edges (hops, computed on first need into
// the workspace hops[n], queue[n]). Returns false if the walk failed (it cannot
// for labels at a fixed point; a guard against corrupted input).
template <typename T>
BIGRAD_HD bool graph_trace(const OutGraph& g, const InEdges& in, const T* w, LabelView<T> d, int32_t source,
                           int32_t target, bool dag, int32_t* hops, int32_t* queue, T* mask) {
  bool have_hops = false;
  int32_t v = target;
  for (int32_t steps = 0; v != source; ++steps) {
    if (steps >= g.n) return false;
    const T dv = d(v);
    int64_t pick = -1;
    for (int64_t k = in.ptr[v]; k < in.ptr[v + 1] && pick < 0; ++k) {
      const T du = d(in.src[k]);
      if (du + w[in.eid[k]] == dv && (dag || du < dv)) pick = k;
    }
    if (pick < 0) {
      if (!have_hops) {
        graph_tight_hops<T>(g, w, d, source, hops, queue);
        have_hops = true;
      }
      for (int64_t k = in.ptr[v]; k < in.ptr[v + 1] && pick < 0; ++k) {
        const int32_t u = in.src[k];
        if (hops[v] > 0 && hops[u] == hops[v] - 1 && d(u) + w[in.eid[k]] == dv) pick = k;
      }
      if (pick < 0) return false;
    }
    mask[in.eid[pick]] = T(1);
    v = in.src[pick];
  }
  return true;
}

}  // namespace bigrad

#if defined(__GNUC__) && !defined(__CUDACC__)
#pragma GCC diagnostic pop
#endif
