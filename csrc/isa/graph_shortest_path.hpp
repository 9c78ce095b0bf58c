// The push passes of bigrad/graph_shortest_path.hpp compiled once per
// instruction set (csrc/isa/graph_shortest_path.cpp with per-file flags);
// csrc/isa.cpp picks one table at import. Plain pointers only.
#pragma once

#include <cstdint>

namespace bigrad {

// Instances per group: one 64-byte vector of labels (the vector extensions
// split it where the registers are narrower). Every lane runs the operations
// it would run alone, so the results do not depend on the instruction set.
constexpr int kGraphLanesF32 = 16;
constexpr int kGraphLanesF64 = 8;

struct GraphShortestPathKernels {
  // graph_push_labels of bigrad/graph_shortest_path.hpp over kGraphLanes* lanes:
  // out-edge CSR (ptr, dst), pass order (null: 0..n-1), labels dist [n][L] and
  // dirty [n] (initialised by graph_labels_init),
  // settled [L]. Weights w [E][L], interleaved from L rows of E values
  // (rows[l * E + e]); bad[l] is set for a row with a NaN or infinite value, or
  // a negative one unless dag (its lane then gets zeros). Returns the passes run.
  int (*labels_f32)(const int64_t* ptr, const int32_t* dst, const int32_t* order, int32_t n, int64_t E,
                    const float* rows, float* w, bool dag, int max_passes, float* dist, unsigned char* dirty, unsigned char* settled, unsigned char* bad, const volatile int* cancel);
  int (*labels_f64)(const int64_t* ptr, const int32_t* dst, const int32_t* order, int32_t n, int64_t E,
                    const double* rows, double* w, bool dag, int max_passes, double* dist, unsigned char* dirty, unsigned char* settled, unsigned char* bad, const volatile int* cancel);
};

extern const GraphShortestPathKernels kGraphShortestPathBaseline;
#if defined(BIGRAD_HAVE_AVX2)
extern const GraphShortestPathKernels kGraphShortestPathAvx2;
#endif
#if defined(BIGRAD_HAVE_AVX512)
extern const GraphShortestPathKernels kGraphShortestPathAvx512;
#endif
#if defined(BIGRAD_HAVE_NEON)
extern const GraphShortestPathKernels kGraphShortestPathNeon;
#endif

}  // namespace bigrad
