#include "tsp.hpp"

#include <vector>

#include "batch.hpp"
#include "bigrad/tsp.hpp"

namespace bigrad {
namespace {

// Per-thread buffers, sized on the first instance a thread gets (so threads
// without work allocate nothing; the table is 2^(n-1) rows).
template <typename T>
struct TspScratch {
  std::vector<T> work;
  std::vector<int> succ;
  void reserve(int n) {
    if (!succ.empty()) return;
    work.resize(size_t(tsp_workspace_size(n)));
    succ.resize(size_t(n));
  }
};

}  // namespace

template <typename T>
void tsp_cpu(const T* dist, int64_t B, int n, T* mask, T* cost) {
  const int64_t nn = int64_t(n) * n;
  const double work = double(n) * n * double(int64_t(1) << (n - 1)) / 4;  // ~ vector min-plus steps
  for_each_instance(
      B, work, [] { return TspScratch<T>(); },
      [&](int64_t b, TspScratch<T>& s) {
        s.reserve(n);
        cost[b] = tsp_held_karp<T>(dist + b * nn, n, s.work.data(), s.succ.data());
        tsp_write_mask<T>(s.succ.data(), n, mask + b * nn);
      });
}

template void tsp_cpu<float>(const float*, int64_t, int, float*, float*);
template void tsp_cpu<double>(const double*, int64_t, int, double*, double*);

}  // namespace bigrad
