// The TSP kernels compiled once per instruction set (csrc/isa/tsp.cpp with
// per-file flags, like csrc/isa/shortest_path.cpp); csrc/isa.cpp picks one
// table at import. The wider the vectors, the more destinations one min-plus
// step of Held–Karp and one Prim step of the branch and bound cover.
#pragma once

#include <cstdint>

namespace bigrad {

struct TspKernels {
  // tsp_held_karp / tsp_branch_bound of bigrad/tsp.hpp, tsp_branch_bound.hpp
  float (*held_karp_f32)(const float* dist, int n, float* work, int* succ, const volatile int* cancel);
  double (*held_karp_f64)(const double* dist, int n, double* work, int* succ, const volatile int* cancel);
  float (*branch_bound_f32)(const float* dist, int n, unsigned char* work, int* succ, const volatile int* cancel,
                            int64_t node_limit);
  double (*branch_bound_f64)(const double* dist, int n, unsigned char* work, int* succ, const volatile int* cancel,
                             int64_t node_limit);
};

extern const TspKernels kTspBaseline;
#if defined(BIGRAD_HAVE_AVX2)
extern const TspKernels kTspAvx2;
#endif
#if defined(BIGRAD_HAVE_AVX512)
extern const TspKernels kTspAvx512;
#endif
#if defined(BIGRAD_HAVE_NEON)
extern const TspKernels kTspNeon;
#endif

}  // namespace bigrad
