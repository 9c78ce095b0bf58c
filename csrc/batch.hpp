// OpenMP helper for the batched CPU drivers.
#pragma once

#include <cstdint>

#ifdef BIGRAD_OPENMP
#include <omp.h>
#endif

namespace bigrad {

// Below this much work (in units of roughly one relaxation) a call stays on
// the calling thread: waking a parallel region costs far more than small batches.
constexpr double kMinParallelWork = 1 << 17;

// Calls body(b, scratch) for every instance b in [0, B). Each thread builds
// its scratch once with make(); static scheduling, and every instance is
// solved by the same sequential code, so results do not depend on the number
// of threads. work_per_item estimates the cost of one item.
template <typename Make, typename Body>
void for_each_instance(int64_t B, double work_per_item, Make make, Body body) {
#ifdef BIGRAD_OPENMP
  const bool parallel = double(B) * work_per_item >= kMinParallelWork && B > 1;
#pragma omp parallel if (parallel)
  {
    auto scratch = make();
#pragma omp for schedule(static)
    for (int64_t b = 0; b < B; ++b) body(b, scratch);
  }
#else
  (void)work_per_item;
  auto scratch = make();
  for (int64_t b = 0; b < B; ++b) body(b, scratch);
#endif
}

}  // namespace bigrad
