// One instruction set's pull passes for general graphs (see
// csrc/isa/graph_shortest_path.hpp); the kernel header is included inside an
// anonymous namespace, private to this object, as in csrc/isa/shortest_path.cpp.
// Vectors only pass between this file's inlined helpers; GCC still notes the
// ABI of 64-byte vectors for the non-AVX-512 objects, after the header's pop.
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

#include <cstdint>
#include <cstring>
#include <type_traits>
#if defined(__SSE2__)
#include <immintrin.h>
#endif
#if defined(__aarch64__) && defined(__ARM_NEON)
#include <arm_neon.h>
#endif

#include "isa/graph_shortest_path.hpp"

namespace {
#include "bigrad/graph_shortest_path.hpp"
#include "bigrad/lane_vec.hpp"

// Interleaves L rows of E weights of any sign (a DAG's): bad[l] = 1 for a row
// with a NaN or infinite value (its lane gets zeros). The check is a separate,
// branch-free pass per row; the copy goes by blocks that stay in the L1 cache.
template <typename T, int L>
void interleave_any_sign(const T* rows, int64_t E, T* w, unsigned char* bad) {
  const T top = bigrad::max_value<T>();
  for (int l = 0; l < L; ++l) {
    const T* row = rows + l * E;
    unsigned char fail = 0;
    for (int64_t e = 0; e < E; ++e) fail |= (unsigned char)!((row[e] >= -top) & (row[e] <= top));
    bad[l] = fail;
  }
  constexpr int64_t kBlock = 64;
  for (int64_t e0 = 0; e0 < E; e0 += kBlock) {
    const int64_t e1 = e0 + kBlock < E ? e0 + kBlock : E;
    for (int l = 0; l < L; ++l) {
      const T* row = rows + l * E;
      if (bad[l]) {
        for (int64_t e = e0; e < e1; ++e) w[e * L + l] = T(0);
      } else {
        for (int64_t e = e0; e < e1; ++e) w[e * L + l] = row[e];
      }
    }
  }
}

template <typename T, int L>
int labels(const int64_t* ptr, const int32_t* dst, const int32_t* order, int32_t n, int64_t E, const T* rows, T* w,
           bool dag, int max_passes, T* dist, unsigned char* dirty, unsigned char* settled, unsigned char* bad,
           const volatile int* cancel) {
  if (dag) {
    interleave_any_sign<T, L>(rows, E, w, bad);
  } else {
    bigrad::lanes_interleave<T, L>(rows, L, E, bigrad::max_value<T>(), w, bad);
  }
  const bigrad::OutGraph g{ptr, dst, order, n};
  return bigrad::graph_push_labels<T, L>(g, w, dag, max_passes, dist, dirty, settled, cancel);
}

}  // namespace

namespace bigrad {

extern const GraphShortestPathKernels BIGRAD_GRAPH_TABLE;
const GraphShortestPathKernels BIGRAD_GRAPH_TABLE = {
    &labels<float, kGraphLanesF32>,
    &labels<double, kGraphLanesF64>,
};

}  // namespace bigrad
