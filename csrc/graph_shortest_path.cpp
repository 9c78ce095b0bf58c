#include "graph_shortest_path.hpp"

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "batch.hpp"
#include "bigrad/graph_shortest_path.hpp"
#include "graph_shortest_path_dijkstra.hpp"
#include "isa.hpp"
#include "uninit_vector.hpp"

namespace bigrad {
namespace {

// Graphs above this many nodes are solved one instance at a time by Dijkstra
// (or one push pass on a DAG): the lanes' labels would leave the caches, and
// the passes a large graph needs grow with its size. So are the instances
// left over after the full groups: the labels, hence the paths, are the same.
constexpr int32_t kLaneNodes = 1 << 15;

// The chosen ISA's lane kernels for T (16 float32 or 8 float64 lanes).
template <typename T>
struct Lanes {
  static constexpr int L = sizeof(T) == 4 ? kGraphLanesF32 : kGraphLanesF64;
  static int labels(const OutGraph& g, int64_t E, const T* rows, T* w, bool dag, int passes, T* d,
                    unsigned char* dirty, unsigned char* s, unsigned char* bad) {
    const GraphShortestPathKernels& k = graph_shortest_path_kernels();
    const auto fn = [&] {
      if constexpr (sizeof(T) == 4) {
        return k.labels_f32;
      } else {
        return k.labels_f64;
      }
    }();
    return fn(g.ptr, g.dst, g.order, g.n, E, rows, w, dag, passes, d, dirty, s, bad, cancel_flag());
  }
};

// Resizes v to n elements, keeping its memory across calls (no page faults on
// reuse) unless it holds far more than needed.
template <typename V>
void fit(V& v, size_t n) {
  constexpr size_t kKeepBytes = size_t(64) << 20;
  if (v.capacity() * sizeof(typename V::value_type) > kKeepBytes && n < v.capacity() / 4) V().swap(v);
  v.resize(n);
}

// Per-thread buffers, kept between calls (the pool's threads persist). The ones
// sized by the graph are on transparent huge pages when large: a 10^6-node
// Dijkstra reads its labels at random, and 4 KB pages cost a page walk for most
// of those reads once another program has had the TLB.
template <typename T>
struct Scratch {
  static constexpr int L = Lanes<T>::L;
  UninitVector<T> w, dist;
  std::vector<T> init;
  UninitVector<int32_t> hops, queue;
  std::vector<int32_t> source;
  UninitVector<unsigned char> dirty;
  std::vector<unsigned char> settled, bad;
  std::optional<GraphDijkstra<T>> dijkstra;

  void reset(const GraphArrays& g, bool lanes) {
    const size_t width = lanes ? L : 1;
    fit(w, lanes ? size_t(g.E) * L : 0);
    fit(dist, size_t(g.n) * width);
    fit(dirty, size_t(g.n));
    fit(hops, size_t(g.n));
    fit(queue, size_t(g.n));
    init.resize(L);
    source.resize(L);
    settled.resize(L);
    bad.resize(L);
    if (dijkstra && dijkstra->size() != g.n) dijkstra.reset();
  }
  GraphDijkstra<T>& solver(int32_t n) {
    if (!dijkstra) dijkstra.emplace(n);
    return *dijkstra;
  }
};

template <typename T>
Scratch<T>* thread_scratch(const GraphArrays& g, bool lanes) {
  static thread_local Scratch<T> s;
  s.reset(g, lanes);
  return &s;
}

template <typename T>
bool weight_ok(T x, bool dag) {
  return (dag ? x >= -max_value<T>() : x >= T(0)) && x <= max_value<T>();  // false for NaN
}

// Unreachable or overflowing: whether `target` is reachable from `source`.
template <typename T>
int8_t infinite_status(const GraphArrays& g, int32_t source, int32_t target, Scratch<T>& s) {
  auto& seen = s.hops;
  std::fill(seen.begin(), seen.end(), 0);
  int32_t head = 0, tail = 0;
  s.queue[size_t(tail++)] = source;
  seen[size_t(source)] = 1;
  while (head < tail) {
    const int32_t u = s.queue[size_t(head++)];
    if (u == target) return kOverflow;
    for (int64_t e = g.out_ptr[u]; e < g.out_ptr[u + 1]; ++e) {
      const int32_t v = g.out_dst[e];
      if (!seen[size_t(v)]) {
        seen[size_t(v)] = 1;
        s.queue[size_t(tail++)] = v;
      }
    }
  }
  return kUnreachable;
}

// The path of one instance read from its labels (graph_trace's rule), its cost and status.
template <typename T>
void write_path(const GraphArrays& g, const T* w, LabelView<T> d, int32_t source, int32_t target, Scratch<T>& s,
                T* mask, T* cost, int8_t* status) {
  std::memset(mask, 0, size_t(g.E) * sizeof(T));
  *cost = d(target);
  if (!(*cost < infinity<T>())) {
    *status = infinite_status(g, source, target, s);
    return;
  }
  const OutGraph out{g.out_ptr, g.out_dst, g.order, g.n};
  const InEdges in{g.in_ptr, g.in_src, g.in_eid};
  if (!graph_trace<T>(out, in, w, d, source, target, g.dag, s.hops.data(), s.queue.data(), mask))
    throw std::logic_error("graph shortest path: no path could be read from the labels");
  *status = kPathFound;
}

template <typename T>
void solve_by_dijkstra(const GraphArrays& g, const T* w, int32_t source, int32_t target, T init, Scratch<T>& s, T* mask,
                       T* cost, int8_t* status) {
  if (g.n > kLaneNodes) {  // one large graph: the bucket queue, as the grid's
    fit(s.dist, size_t(g.n));
    fit(s.w, size_t(g.n));
    graph_dijkstra_large(OutEdges{g.out_ptr, g.out_dst, g.n}, w, source, init, target, s.dist.data(), s.w.data());
    return write_path(g, w, LabelView<T>{s.dist.data(), 1}, source, target, s, mask, cost, status);
  }
  GraphDijkstra<T>& dj = s.solver(g.n);
  dj.template run<false>(OutEdges{g.out_ptr, g.out_dst, g.n}, w, &source, 1, init, target, infinity<T>(),
                        cancel_flag());
  write_path(g, w, LabelView<T>{dj.dist().data(), 1}, source, target, s, mask, cost, status);
}

// One instance alone: Dijkstra, or on a DAG one push pass (L = 1).
template <typename T>
void solve_one(const GraphArrays& g, const T* w, int32_t source, int32_t target, T init, Scratch<T>& s, T* mask,
               T* cost, int8_t* status) {
  for (int64_t e = 0; e < g.E; ++e) {
    if (!weight_ok(w[e], g.dag)) {
      std::memset(mask, 0, size_t(g.E) * sizeof(T));
      *cost = std::numeric_limits<T>::quiet_NaN();
      *status = kBadWeights;
      return;
    }
  }
  if (!g.dag) return solve_by_dijkstra(g, w, source, target, init, s, mask, cost, status);
  graph_labels_init<T, 1>(g.n, &source, &init, s.dist.data(), s.dirty.data());
  unsigned char settled = 0;
  const OutGraph out{g.out_ptr, g.out_dst, g.order, g.n};
  graph_push_labels<T, 1>(out, w, true, 1, s.dist.data(), s.dirty.data(), &settled, cancel_flag());
  write_path(g, w, LabelView<T>{s.dist.data(), 1}, source, target, s, mask, cost, status);
}

// L instances from b0 in SIMD lanes.
template <typename T>
void solve_group(const GraphArrays& g, const T* w, int64_t b0, const int32_t* source, const int32_t* target,
                 const T* init, Scratch<T>& s, T* mask, T* cost, int8_t* status) {
  constexpr int L = Lanes<T>::L;
  for (int l = 0; l < L; ++l) {
    s.source[size_t(l)] = source[b0 + l];
    s.init[size_t(l)] = init ? init[b0 + l] : T(0);
  }
  graph_labels_init<T, L>(g.n, s.source.data(), s.init.data(), s.dist.data(), s.dirty.data());
  const OutGraph out{g.out_ptr, g.out_dst, g.order, g.n};
  Lanes<T>::labels(out, g.E, w + b0 * g.E, s.w.data(), g.dag, graph_max_passes(g.n), s.dist.data(), s.dirty.data(),
                   s.settled.data(), s.bad.data());
  for (int l = 0; l < L; ++l) {
    const int64_t b = b0 + l;
    T* m = mask + b * g.E;
    if (s.bad[size_t(l)]) {
      std::memset(m, 0, size_t(g.E) * sizeof(T));
      cost[b] = std::numeric_limits<T>::quiet_NaN();
      status[b] = kBadWeights;
    } else if (!s.settled[size_t(l)]) {
      solve_by_dijkstra(g, w + b * g.E, source[b], target[b], s.init[size_t(l)], s, m, cost + b, status + b);
    } else {
      write_path(g, w + b * g.E, LabelView<T>{s.dist.data() + l, L}, source[b], target[b], s, m, cost + b,
                 status + b);
    }
  }
}

}  // namespace

int graph_max_passes(int32_t n) { return std::min<int32_t>(n + 1, 32); }

template <typename T>
void graph_shortest_path_cpu(const GraphArrays& g, const T* w, int64_t B, const int32_t* source, const int32_t* target,
                             const T* init, T* mask, T* cost, int8_t* status) {
  constexpr int L = Lanes<T>::L;
  const bool lanes = g.n <= kLaneNodes;
  const int64_t groups = lanes ? B / L : 0;
  const int64_t singles = B - groups * L;
  const double edges = double(g.E) + double(g.n);
  // groups first, then the instances left over, one at a time
  for_each_instance(
      groups + singles, lanes ? edges * 8.0 : edges * 4.0, [&] { return thread_scratch<T>(g, lanes); },
      [&](int64_t i, Scratch<T>* s) {
        if (i < groups) {
          solve_group(g, w, i * L, source, target, init, *s, mask, cost, status);
        } else {
          const int64_t b = groups * L + (i - groups);
          solve_one(g, w + b * g.E, source[b], target[b], init ? init[b] : T(0), *s, mask + b * g.E, cost + b,
                    status + b);
        }
      });
}

template <typename T>
bool graph_dijkstra_cpu(const GraphArrays& g, const T* w, int64_t B, const int32_t* sources, int S, bool min_only,
                        T limit, T* dist, int32_t* pred, int32_t* origin) {
  for (int64_t i = 0; i < B * g.E; ++i)
    if (!(w[i] >= T(0))) return false;
  const int64_t runs = min_only ? B : B * S;
  const int S_out = min_only ? 1 : S;
  for_each_instance(
      runs, (double(g.E) + double(g.n)) * 4.0, [&] { return GraphDijkstra<T>(g.n); },
      [&](int64_t r, GraphDijkstra<T>& dj) {
        const int64_t b = min_only ? r : r / S;
        const int32_t* src = min_only ? sources : sources + r % S;
        dj.run(OutEdges{g.out_ptr, g.out_dst, g.n}, w + b * g.E, src, min_only ? S : 1, T(0), -1, limit, cancel_flag());
        const int64_t row = min_only ? b : b * S_out + r % S;
        std::copy(dj.dist().begin(), dj.dist().end(), dist + row * g.n);
        int32_t* p = pred + row * g.n;
        for (int32_t v = 0; v < g.n; ++v) {
          const int64_t e = dj.pred()[size_t(v)];
          p[v] = e < 0 ? -9999 : g.edge_src[e];
        }
        if (min_only && origin) {
          int32_t* o = origin + b * g.n;
          for (int32_t v = 0; v < g.n; ++v) {
            const int32_t k = dj.origin()[size_t(v)];
            o[v] = k < 0 ? -9999 : sources[k];
          }
        }
      });
  return true;
}

template void graph_shortest_path_cpu<float>(const GraphArrays&, const float*, int64_t, const int32_t*, const int32_t*,
                                             const float*, float*, float*, int8_t*);
template void graph_shortest_path_cpu<double>(const GraphArrays&, const double*, int64_t, const int32_t*,
                                              const int32_t*, const double*, double*, double*, int8_t*);
template bool graph_dijkstra_cpu<float>(const GraphArrays&, const float*, int64_t, const int32_t*, int, bool, float,
                                        float*, int32_t*, int32_t*);
template bool graph_dijkstra_cpu<double>(const GraphArrays&, const double*, int64_t, const int32_t*, int, bool, double,
                                         double*, int32_t*, int32_t*);

}  // namespace bigrad
