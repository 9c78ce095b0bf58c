// One instruction set's grid shortest-path kernels: this file is compiled
// once per ISA (CMakeLists.txt: BIGRAD_ISA_TABLE names the table, the flags
// choose the vector width). The kernel header is included inside an
// anonymous namespace, so every inline function it instantiates here is
// private to this object and can never be merged with another ISA's copy.
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <immintrin.h>
#endif
#if defined(__aarch64__) && defined(__ARM_NEON)
#include <arm_neon.h>  // at global scope: lane_vec_neon.hpp is included below, in the anonymous namespace
#endif

#include "isa/shortest_path.hpp"

namespace bigrad {
bool cancelled();  // csrc/batch.cpp
}  // namespace bigrad

namespace {
#include "bigrad/shortest_path.hpp"
#include "shortest_path_trace.hpp"

#if defined(__AVX512F__)
constexpr int kVectorBytes = 64;
constexpr const char* kIsaName = "avx512";
#elif defined(__AVX2__)
constexpr int kVectorBytes = 32;
constexpr const char* kIsaName = "avx2";
#elif defined(__SSE2__)
constexpr int kVectorBytes = 16;
constexpr const char* kIsaName = "sse2";
#elif defined(__ARM_NEON)
constexpr int kVectorBytes = 16;
constexpr const char* kIsaName = "neon";
#else
constexpr int kVectorBytes = 16;
constexpr const char* kIsaName = "generic";
#endif

template <typename T>
constexpr int kLanes = kVectorBytes / int(sizeof(T));

// bigrad::grid_sweep, stopping between passes once the call is cancelled
// (then returns false, the labels unfinished).
template <typename T, int L>
bool sweep(bigrad::Lanes<const T> w, int H, int W, int neighbourhood, bigrad::Lanes<T> dist, unsigned char* rows) {
  bigrad::grid_sweep_init<T, L>(w, H, W, dist);
  const bool diagonal = neighbourhood == 8;
  bigrad::grid_sweep_pass<T, L>(w, H, W, diagonal, true, dist, rows, true);
  for (int pass = 1;; ++pass) {
    if (::bigrad::cancelled()) return false;
    if (!bigrad::grid_sweep_pass<T, L>(w, H, W, diagonal, pass % 2 == 0, dist, rows, false)) return true;
  }
}

template <typename T, int L>
void group(const T* src, int count, int H, int W, int neighbourhood, T* w_lanes, T* dist, unsigned char* rows,
           unsigned char* bad, T* dist_out, int64_t out_stride) {
  const int64_t n = int64_t(H) * W;
  if (n >= (int64_t(1) << 16) && ::bigrad::cancelled()) {  // large grids: milliseconds per group
    for (int k = 0; k < count; ++k) bad[k] = 1;  // cancelled: nothing to trace, the output is dropped
    return;
  }
  // interleave into lanes, checking the values on the way (the input is read once)
  bigrad::lanes_interleave<T, L>(src, count, n, bigrad::max_value<T>(), w_lanes, bad);
  if (!sweep<T, L>(bigrad::Lanes<const T>{w_lanes, L}, H, W, neighbourhood, bigrad::Lanes<T>{dist, L}, rows)) {
    for (int l = 0; l < count; ++l) bad[l] = 1;  // cancelled: nothing to trace, the output is dropped
    return;
  }
  bigrad::lanes_deinterleave<T, L>(dist, int64_t(H + 2) * (W + 2), dist_out, out_stride);
}

template <typename T>
void single(const T* w, int H, int W, int neighbourhood, T* dist, unsigned char* rows) {
  sweep<T, 1>(bigrad::Lanes<const T>{w, 1}, H, W, neighbourhood, bigrad::Lanes<T>{dist, 1}, rows);
}

template <typename T>
void trace(const T* w_lanes, int L, const T* dist_out, int64_t out_stride, const int* lanes, int count, int H, int W,
           int neighbourhood, T* const* mask, T* const* edges, bool* ok) {
  bigrad::grid_trace_rows<T, ::bigrad::kTraceLanes>(w_lanes, L, dist_out, out_stride, lanes, count, H, W, neighbourhood,
                                                  mask, edges, ok);
}

}  // namespace

namespace bigrad {

extern const ShortestPathKernels BIGRAD_ISA_TABLE;
const ShortestPathKernels BIGRAD_ISA_TABLE = {
    kIsaName,
    {kLanes<float>, 2 * kLanes<float>},
    {kLanes<double>, 2 * kLanes<double>},
    {&group<float, kLanes<float>>, &group<float, 2 * kLanes<float>>},
    {&group<double, kLanes<double>>, &group<double, 2 * kLanes<double>>},
    &single<float>,
    &single<double>,
    &trace<float>,
    &trace<double>,
};

}  // namespace bigrad
