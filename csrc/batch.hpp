// OpenMP helper for the batched CPU drivers.
#pragma once

#include <cstdint>

#ifdef BIGRAD_OPENMP
#include <omp.h>
#endif

namespace bigrad {

// Calls body(b, scratch) for every instance b in [0, B). Each thread builds
// its scratch once with make(); static scheduling keeps results independent
// of the thread count (every instance is solved by the same sequential code).
template <typename Make, typename Body>
void for_each_instance(int64_t B, Make make, Body body) {
#ifdef BIGRAD_OPENMP
#pragma omp parallel
  {
    auto scratch = make();
#pragma omp for schedule(static)
    for (int64_t b = 0; b < B; ++b) body(b, scratch);
  }
#else
  auto scratch = make();
  for (int64_t b = 0; b < B; ++b) body(b, scratch);
#endif
}

}  // namespace bigrad
