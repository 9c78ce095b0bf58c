// The grid shortest-path kernels compiled once per instruction set
// (csrc/isa/shortest_path.cpp with per-file flags); csrc/isa.cpp picks one
// table at import. Plain pointers only: the per-ISA files instantiate no
// standard-library templates that other files share.
#pragma once

#include <cstdint>

namespace bigrad {

struct ShortestPathKernels {
  const char* isa;  // "sse2", "avx2", "avx512", "neon" or "generic"
  // [0]: one vector register of lanes; [1]: two registers, two independent
  // dependency chains (faster while a group's buffers fit the L1 cache)
  int lanes_f32[2], lanes_f64[2];
  // Labels of `count` (<= lanes) instances whose H*W weights follow each other
  // from src: interleaved into w_lanes (H*W*lanes values; unused lanes get
  // zero weights) and swept in dist ((H+2)*(W+2)*lanes values, interleaved);
  // rows: H+2 bytes of workspace. bad[l] is set to 1 when instance l has a
  // negative, NaN or infinite weight (its lane is then solved with zero
  // weights). The labels of lane l are copied to dist_out[l * out_stride + c]
  // (out_stride >= (H+2)*(W+2)).
  void (*group_f32[2])(const float* src, int count, int H, int W, int neighbourhood, float* w_lanes, float* dist,
                    unsigned char* rows, unsigned char* bad, float* dist_out, int64_t out_stride);
  void (*group_f64[2])(const double* src, int count, int H, int W, int neighbourhood, double* w_lanes, double* dist,
                    unsigned char* rows, unsigned char* bad, double* dist_out, int64_t out_stride);
  // Labels of one instance (L = 1) into dist ((H+2)*(W+2) values); stops
  // early, with the labels unfinished, when the call is cancelled.
  void (*single_f32)(const float* w, int H, int W, int neighbourhood, float* dist, unsigned char* rows);
  void (*single_f64)(const double* w, int H, int W, int neighbourhood, double* dist, unsigned char* rows);
  // Paths of up to 8 lanes of a group after group_*: see grid_trace_rows in
  // csrc/shortest_path_trace.hpp (its vector tests are wider here).
  void (*trace_f32)(const float* w_lanes, int L, const float* dist_out, int64_t out_stride, const int* lanes, int count,
                    int H, int W, int neighbourhood, float* const* mask, float* const* edges, bool* ok);
  void (*trace_f64)(const double* w_lanes, int L, const double* dist_out, int64_t out_stride, const int* lanes,
                    int count, int H, int W, int neighbourhood, double* const* mask, double* const* edges, bool* ok);
};

// Lanes traced together by trace_f32/trace_f64.
constexpr int kTraceLanes = 8;

extern const ShortestPathKernels kShortestPathBaseline;
#if defined(BIGRAD_HAVE_AVX2)
extern const ShortestPathKernels kShortestPathAvx2;
#endif
#if defined(BIGRAD_HAVE_AVX512)
extern const ShortestPathKernels kShortestPathAvx512;
#endif
#if defined(BIGRAD_HAVE_NEON)
extern const ShortestPathKernels kShortestPathNeon;
#endif

}  // namespace bigrad
