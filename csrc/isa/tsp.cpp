// One instruction set's TSP kernels: compiled once per ISA (CMakeLists.txt:
// BIGRAD_TSP_TABLE names the table, the flags choose the vector width). As in
// csrc/isa/shortest_path.cpp, the kernel headers are included inside an
// anonymous namespace so that no inline function is shared with another
// ISA's object (the linker could otherwise keep an AVX-512 copy for all).
#include <cmath>
#include <cstdint>
#include <cstring>
#if defined(__aarch64__) && defined(__ARM_NEON)
#include <arm_neon.h>  // at global scope: lane_vec_neon.hpp is included below, in the anonymous namespace
#endif

#include "isa/tsp.hpp"

namespace {
#include "bigrad/tsp.hpp"
#include "bigrad/tsp_branch_bound.hpp"

template <typename T>
T held_karp(const T* dist, int n, T* work, int* succ, const volatile int* cancel) {
  return bigrad::tsp_held_karp<T>(dist, n, work, succ, cancel);
}

template <typename T>
T branch_bound(const T* dist, int n, unsigned char* work, int* succ, const volatile int* cancel, int64_t node_limit) {
  return bigrad::tsp_branch_bound<T>(dist, n, work, succ, cancel, node_limit);
}

}  // namespace

namespace bigrad {

extern const TspKernels BIGRAD_TSP_TABLE;
const TspKernels BIGRAD_TSP_TABLE = {
    &held_karp<float>,
    &held_karp<double>,
    &branch_bound<float>,
    &branch_bound<double>,
};

}  // namespace bigrad
