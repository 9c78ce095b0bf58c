// One instruction set's pull passes for general graphs (see
// csrc/isa/graph_shortest_path.hpp); the kernel header is included inside an
// anonymous namespace, private to this object, as in csrc/isa/shortest_path.cpp.
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

template <typename T, int L, typename I>
int labels(const int64_t* ptr, const int32_t* dst, const int32_t* order, int32_t n, int64_t E, const T* rows, T* w,
           bool dag, int max_passes, T* dist, I* pred, unsigned char* dirty, unsigned char* settled, unsigned char* bad,
           const volatile int* cancel) {
  if (rows) bigrad::lanes_interleave<T, L>(rows, L, E, bigrad::max_value<T>(), w, bad);
  const bigrad::OutGraph g{ptr, dst, order, n};
  return bigrad::graph_push_labels<T, L, I>(g, w, dag, max_passes, dist, pred, dirty, settled, cancel);
}

}  // namespace

namespace bigrad {

extern const GraphShortestPathKernels BIGRAD_GRAPH_TABLE;
const GraphShortestPathKernels BIGRAD_GRAPH_TABLE = {
    &labels<float, kGraphLanesF32, int32_t>,
    &labels<double, kGraphLanesF64, int64_t>,
};

}  // namespace bigrad
