#include "shortest_path.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include "batch.hpp"
#include "bigrad/shortest_path.hpp"
#include "isa.hpp"
#include "shortest_path_dijkstra.hpp"
#include "shortest_path_trace.hpp"
#include "uninit_vector.hpp"

namespace bigrad {
namespace {

// The kernels of the chosen ISA for one dtype.
template <typename T>
struct Kernels;
template <>
struct Kernels<float> {
  static int lanes(const ShortestPathKernels& k, int v) { return k.lanes_f32[v]; }
  static auto group(const ShortestPathKernels& k, int v) { return k.group_f32[v]; }
  static auto single(const ShortestPathKernels& k) { return k.single_f32; }
  static auto trace(const ShortestPathKernels& k) { return k.trace_f32; }
};
template <>
struct Kernels<double> {
  static int lanes(const ShortestPathKernels& k, int v) { return k.lanes_f64[v]; }
  static auto group(const ShortestPathKernels& k, int v) { return k.group_f64[v]; }
  static auto single(const ShortestPathKernels& k) { return k.single_f64; }
  static auto trace(const ShortestPathKernels& k) { return k.trace_f64; }
};

// Two registers of lanes (two dependency chains) while a group's weights and
// labels fit in this many bytes (a quarter of a 2 MB L2 cache; measured faster up to
// 30x30 in both dtypes than one register, though past the L1 cache), else one.
constexpr double kWideGroupBytes = 512 * 1024;

// 1 for the two-register kernels, 0 for one register.
int lane_variant(int H, int W, int elem_size) {
  const ShortestPathKernels& k = shortest_path_kernels();
  const int L2 = elem_size == 4 ? k.lanes_f32[1] : k.lanes_f64[1];
  const double bytes = (double(H) * W + double(H + 2) * (W + 2)) * L2 * elem_size;
  return bytes <= kWideGroupBytes ? 1 : 0;
}

// Per-thread buffers: interleaved weights and labels for one group of lanes
// (or labels of one instance), and the fallback's labels and steps, made on
// first use (plateaus only).
template <typename T>
struct Scratch {
  std::vector<T> w, dist_rows, fallback_dist, fallback_step;  // dist_rows: labels by instance (lanes)
  UninitVector<T> dist;  // every kernel initialises the labels it reads
  std::vector<unsigned char> rows, bad;
  Scratch(int64_t w_size, int64_t dist_size, int H, int L)
      : w(size_t(w_size)), dist(size_t(dist_size)), rows(size_t(H) + 2), bad(size_t(L)) {}
};

// Whether all weights are finite and non-negative; low and high: the least
// and the largest weight (when they are). In two vectors of lanes (GCC/Clang
// vector extensions: the compiler does not vectorise float min/max reductions).
template <typename T>
bool weight_range(const T* w, int64_t n, T& low, T& high) {
  constexpr int N = 16 / int(sizeof(T));
  typedef T V __attribute__((vector_size(16)));
  V lo[2], hi[2], x;
  decltype(V{} < V{}) bad{};
  for (int k = 0; k < 2; ++k) {
    lo[k] = V{} + infinity<T>();
    hi[k] = V{};
  }
  int64_t c = 0;
  for (; c + 2 * N <= n; c += 2 * N) {
    for (int k = 0; k < 2; ++k) {
      std::memcpy(&x, w + c + k * N, sizeof x);
      bad |= !((x >= T(0)) & (x <= max_value<T>()));  // NaN fails both
      lo[k] = x < lo[k] ? x : lo[k];
      hi[k] = x > hi[k] ? x : hi[k];
    }
  }
  bool ok = true;
  low = infinity<T>();
  high = T(0);
  for (int k = 0; k < N; ++k) {
    ok &= bad[k] == 0;
    for (int r = 0; r < 2; ++r) {
      low = lo[r][k] < low ? lo[r][k] : low;
      high = hi[r][k] > high ? hi[r][k] : high;
    }
  }
  for (; c < n; ++c) {
    ok &= (w[c] >= T(0)) & (w[c] <= max_value<T>());
    low = w[c] < low ? w[c] : low;
    high = w[c] > high ? w[c] : high;
  }
  return ok;
}

// How an instance solved alone was solved: by sweeps, or by Dijkstra with its weight range.
template <typename T>
struct SingleSolve {
  bool dijkstra = false;
  bool steps = false;  // the solve recorded its steps in the scratch's fallback_step (zero weights)
  T low = 0, high = 0;
};

// Solve lane `lane` of stride-L weights again recording the steps (a plateau
// on the traced path): its mask and edges are cleared and rewritten. By
// sweeps (as many passes as the path turns: seconds on a large grid), or by
// Dijkstra for an instance Dijkstra solved; not at all when that solve already
// recorded its steps (how.steps: in s.fallback_step, its labels in s.dist).
template <typename T>
T trace_with_steps(const T* w, int L, int lane, int H, int W, int neighbourhood, Scratch<T>& s, T* mask, T* edges,
                   SingleSolve<T> how = {}) {
  const int64_t n = int64_t(H) * W, padded = int64_t(H + 2) * (W + 2);
  std::fill(mask, mask + n, T(0));
  if (edges) std::fill(edges, edges + n * neighbourhood, T(0));
  if (s.fallback_step.empty()) {
    s.fallback_step.resize(size_t(padded));
    if (L > 1) s.fallback_dist.resize(size_t(padded));
  }
  // one instance's labels may be overwritten (L == 1): they are no longer needed
  T* fd = L > 1 ? s.fallback_dist.data() : s.dist.data();
  const GridSweepWorkspace<T> ws{{fd, 1}, {s.fallback_step.data(), 1}};
  const Lanes<const T> wl{w + lane, L};
  if (how.steps) {
    // the steps are at hand
  } else if (how.dijkstra) {
    grid_dijkstra<T>(w, H, W, neighbourhood, fd, how.low, how.high, s.fallback_step.data());
    if (cancelled()) return std::numeric_limits<T>::quiet_NaN();
  } else if (!grid_sweep_steps<T, 1>(wl, H, W, neighbourhood, ws, cancel_flag())) {
    return std::numeric_limits<T>::quiet_NaN();  // cancelled: the output is dropped
  }
  return grid_trace_steps<T>(ws, 0, H, W, neighbourhood, mask, edges);
}

// Path, edges and cost of one instance from its labels (lane `lane` of
// stride-L buffers). An instance with invalid weights gets cost NaN and an
// empty mask (the Python layer names the bad values).
template <typename T>
void finish(const T* w, const T* dist, int L, int lane, int H, int W, int neighbourhood, Scratch<T>& s, T* mask, T* edges,
            T* cost, bool valid, SingleSolve<T> how = {}) {
  const int64_t n = int64_t(H) * W;
  const Lanes<const T> wl{w + lane, L}, dl{dist + lane, L};
  std::fill(mask, mask + n, T(0));
  if (edges) std::fill(edges, edges + n * neighbourhood, T(0));
  if (!valid) {
    *cost = std::numeric_limits<T>::quiet_NaN();
    return;
  }
  *cost = dl(int64_t(H) * (W + 2) + W, 0);
  if (!(*cost < infinity<T>())) return;  // overflow: the Python layer raises
  if (grid_trace<T>(wl, dl, 0, H, W, neighbourhood, mask, edges)) return;
  *cost = trace_with_steps<T>(w, L, lane, H, W, neighbourhood, s, mask, edges, how);
}

// finish() for the `count` lanes of a group (instances b0, b0 + 1, ...).
// dist: the labels of lane l at dist + l * stride (rows, see grid_trace_rows).
template <typename T>
void finish_group(const T* w, const T* dist, int64_t stride, int L, int count, int64_t b0, int H, int W,
                  int neighbourhood, Scratch<T>& s, T* mask, T* edges, T* cost) {
  constexpr int Q = kTraceLanes;
  const int64_t n = int64_t(H) * W, K = neighbourhood, target = int64_t(H) * (W + 2) + W;
  int lanes[Q];
  T* masks[Q];
  T* edge_ptrs[Q];
  bool ok[Q];
  int queued = 0;
  const auto flush = [&] {
    Kernels<T>::trace(shortest_path_kernels())(w, L, dist, stride, lanes, queued, H, W, neighbourhood, masks,
                                               edge_ptrs, ok);
    for (int q = 0; q < queued; ++q) {
      if (!ok[q]) cost[b0 + lanes[q]] = trace_with_steps<T>(w, L, lanes[q], H, W, neighbourhood, s, masks[q], edge_ptrs[q]);
    }
    queued = 0;
  };
  for (int l = 0; l < count; ++l) {
    const int64_t b = b0 + l;
    T* m = mask + b * n;
    T* e = edges ? edges + b * n * K : nullptr;
    std::fill(m, m + n, T(0));
    if (e) std::fill(e, e + n * K, T(0));
    if (s.bad[size_t(l)] != 0) {
      cost[b] = std::numeric_limits<T>::quiet_NaN();
      continue;
    }
    cost[b] = dist[l * stride + target];
    if (!(cost[b] < infinity<T>())) continue;  // overflow: the Python layer raises
    lanes[queued] = l;
    masks[queued] = m;
    edge_ptrs[queued] = e;
    if (++queued == Q) flush();
  }
  if (queued > 0) flush();
}

// Asks for the cache lines of p[0..count) ahead of use.
template <typename T>
void prefetch_range(const T* p, int64_t count, bool write) {
  const char* c = reinterpret_cast<const char*>(p);
  const int64_t bytes = count * int64_t(sizeof(T));
  for (int64_t o = 0; o < bytes; o += 64) {
    if (write) {
      __builtin_prefetch(c + o, 1);
    } else {
      __builtin_prefetch(c + o, 0);
    }
  }
}

// Single grids from this many cells on are solved by Dijkstra (sweeps need
// more passes as grids grow; the labels, hence the paths, are the same).
constexpr int64_t kDijkstraCells = 64 * 64;

}  // namespace

bool shortest_path_uses_lanes(int64_t B, int H, int W, int elem_size) {
  const ShortestPathKernels& k = shortest_path_kernels();
  const int L = elem_size == 4 ? k.lanes_f32[0] : k.lanes_f64[0];
  const double lane_bytes = double(H + 2) * (W + 2) * L * elem_size * 2;
  return B > 1 && (2 * B >= L || lane_bytes <= double(1 << 20));
}

double shortest_path_workspace_bytes(int64_t B, int H, int W, int elem_size) {
  const ShortestPathKernels& k = shortest_path_kernels();
  const double padded = double(H + 2) * (W + 2), n = double(H) * W;
  const bool lanes = shortest_path_uses_lanes(B, H, W, elem_size);
  const int v = lane_variant(H, W, elem_size);
  const int L = elem_size == 4 ? k.lanes_f32[v] : k.lanes_f64[v];
  // per thread: the lanes' weights and labels, or one instance's labels; plus
  // the fallback's steps (and labels for lanes), made only on a plateau; plus
  // Dijkstra's queue, allowed one entry (label bits, cell) per cell (measured
  // on 2000x2000 grids: 0.03 with Warcraft-like costs, 0.2 uniform, 0.9 with a
  // third of the weights zero)
  const double queue = !lanes && n >= double(kDijkstraCells) ? n * (elem_size == 4 ? 8 : 16) : 0;
  const double per_thread = (lanes ? (n + 2 * padded + kTracePad) * L + 2 * padded : 2 * padded) * elem_size + queue;
  const double threads = double(std::min<int64_t>(num_threads(), lanes ? (B + L - 1) / L : B));
  return per_thread * std::max(1.0, threads);
}

template <typename T>
void shortest_path_cpu(const T* w, int64_t B, int H, int W, int neighbourhood, T* mask, T* cost, T* edges) {
  const ShortestPathKernels& k = shortest_path_kernels();
  const int64_t n = int64_t(H) * W, padded = int64_t(H + 2) * (W + 2);
  const double work = 4.0 * (neighbourhood == 8 ? 6 : 4) * double(padded);  // ~ passes x relaxations
  const int64_t K = neighbourhood;
  if (shortest_path_uses_lanes(B, H, W, int(sizeof(T)))) {
    const int v = lane_variant(H, W, int(sizeof(T)));
    const int L = Kernels<T>::lanes(k, v);
    const auto group = Kernels<T>::group(k, v);
    const int64_t groups = (B + L - 1) / L, row_stride = padded + kTracePad;
    for_each_instance(
        groups, work,
        [&] {
          Scratch<T> s(n * L, padded * L, H, L);
          s.dist_rows.resize(size_t(row_stride * L));
          return s;
        },
        [&](int64_t g, Scratch<T>& s) {
          const int64_t b0 = g * L;
          const int count = int(std::min<int64_t>(L, B - b0));
          if (b0 + L < B) {  // the next group's input and mask, while this one is solved (a cold batch)
            const int64_t next = std::min<int64_t>(L, B - b0 - L) * n;
            prefetch_range(w + (b0 + L) * n, next, false);
            prefetch_range(mask + (b0 + L) * n, next, true);
          }
          group(w + b0 * n, count, H, W, neighbourhood, s.w.data(), s.dist.data(), s.rows.data(), s.bad.data(),
                s.dist_rows.data(), row_stride);
          finish_group<T>(s.w.data(), s.dist_rows.data(), row_stride, L, count, b0, H, W, neighbourhood, s, mask, edges,
                          cost);
        });
  } else {
    const auto single = Kernels<T>::single(k);
    const bool dijkstra = n >= kDijkstraCells && padded < (int64_t(1) << 32);
    for_each_instance(
        B, work, [&] { return Scratch<T>(0, padded, H, 1); },
        [&](int64_t b, Scratch<T>& s) {
          SingleSolve<T> how;
          const bool valid = weight_range(w + b * n, n, how.low, how.high);
          if (!valid) {
            // nothing to solve: the sweeps would not end on negative cycles
          } else if (dijkstra) {
            how.dijkstra = true;
            // zero weights may make plateaus, where the path is read from steps: record them now
            // (one store per improvement) rather than solve again if the read-back fails
            how.steps = how.low == T(0);
            if (how.steps && s.fallback_step.empty()) s.fallback_step.resize(size_t(padded));
            grid_dijkstra<T>(w + b * n, H, W, neighbourhood, s.dist.data(), how.low, how.high,
                             how.steps ? s.fallback_step.data() : nullptr);
          } else {
            single(w + b * n, H, W, neighbourhood, s.dist.data(), s.rows.data());
          }
          if (cancelled()) return;
          finish<T>(w + b * n, s.dist.data(), 1, 0, H, W, neighbourhood, s, mask + b * n,
                    edges ? edges + b * n * K : nullptr, cost + b, valid, how);
        });
  }
}

template void shortest_path_cpu<float>(const float*, int64_t, int, int, int, float*, float*, float*);
template void shortest_path_cpu<double>(const double*, int64_t, int, int, int, double*, double*, double*);

}  // namespace bigrad
