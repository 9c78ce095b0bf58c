#include "tsp.hpp"

#include <memory>
#include <vector>

#include "batch.hpp"
#include "bigrad/tsp.hpp"
#include "bigrad/tsp_branch_bound.hpp"
#include "isa.hpp"

namespace bigrad {
namespace {

// Per-thread buffers, sized on the first instance a thread gives each solver
// (so threads without work allocate nothing; the Held–Karp table is 2^(n-1)
// rows, left uninitialised: zero-filling 1.5 GB at n = 24 would take most of a
// second that Ctrl-C could not interrupt, and every entry read is written first).
template <typename T>
struct TspScratch {
  std::unique_ptr<T[]> table;
  std::vector<uint64_t> search;  // branch-and-bound workspace (8-byte aligned)
  std::vector<int> succ;
};

// The chosen ISA's kernels for one dtype.
template <typename T>
struct Kernels;
template <>
struct Kernels<float> {
  static auto held_karp(const TspKernels& k) { return k.held_karp_f32; }
  static auto branch_bound(const TspKernels& k) { return k.branch_bound_f32; }
};
template <>
struct Kernels<double> {
  static auto held_karp(const TspKernels& k) { return k.held_karp_f64; }
  static auto branch_bound(const TspKernels& k) { return k.branch_bound_f64; }
};

}  // namespace

int64_t tsp_workspace_bytes(int n, bool symmetric, int64_t value_bytes) {
  if (tsp_use_branch_bound(n, symmetric)) return tsp_bb_workspace_bytes(n);
  return tsp_workspace_size(n) * value_bytes;
}

template <typename T>
void tsp_cpu(const T* dist, int64_t B, int n, T* mask, T* cost, int64_t node_limit) {
  const int64_t nn = int64_t(n) * n;
  const auto held_karp = Kernels<T>::held_karp(tsp_kernels());
  const auto branch_bound = Kernels<T>::branch_bound(tsp_kernels());
  // ~ vector min-plus steps of Held–Karp; the search: ~2 n^4 (measured mean, as in solvers/tsp.py)
  const double work = n < kTspBbMinN ? double(n) * n * double(int64_t(1) << (n - 1)) / 4 : 2.0 * n * n * n * n;
  for_each_instance(
      B, work, [] { return TspScratch<T>(); },
      [&](int64_t b, TspScratch<T>& s) {
        const T* d = dist + b * nn;
        const volatile int* cancel = cancel_flag();  // this thread's call
        s.succ.resize(size_t(n));
        if (tsp_use_branch_bound(n, detail::tsp_is_symmetric(d, n))) {
          if (s.search.empty()) s.search.resize(size_t((tsp_bb_workspace_bytes(n) + 7) / 8));
          cost[b] = branch_bound(d, n, reinterpret_cast<unsigned char*>(s.search.data()), s.succ.data(), cancel,
                                 node_limit);
        } else {
          if (!s.table) s.table.reset(new T[size_t(tsp_workspace_size(n))]);
          cost[b] = held_karp(d, n, s.table.get(), s.succ.data(), cancel);
        }
        if (cancel_requested(cancel)) return;  // unfinished: the call throws, its outputs are dropped
        tsp_write_mask<T>(s.succ.data(), n, mask + b * nn);
      });
}

template void tsp_cpu<float>(const float*, int64_t, int, float*, float*, int64_t);
template void tsp_cpu<double>(const double*, int64_t, int, double*, double*, int64_t);

}  // namespace bigrad
