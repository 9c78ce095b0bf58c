// Shared definitions for the header-only per-instance kernels.
// Every kernel is a plain function over raw pointers, marked BIGRAD_HD so the
// same code runs in the CPU drivers (threads over the batch) and in CUDA
// kernels (one thread per instance). Kernels never allocate: callers pass
// workspace.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define BIGRAD_HD __host__ __device__ __forceinline__
// a kernel loop kept out of line on the host, so that its pointers stay in registers
#define BIGRAD_HD_NOINLINE __host__ __device__ __forceinline__
#else
#define BIGRAD_HD inline
#define BIGRAD_HD_NOINLINE __attribute__((noinline))
#endif
// a scalar loop gcc would vectorise into more registers than it has (gathers of short rows)
#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__)
#define BIGRAD_SCALAR __attribute__((optimize("no-tree-vectorize")))
#else
#define BIGRAD_SCALAR
#endif

namespace bigrad {

template <typename T>
BIGRAD_HD T max_value();
template <>
BIGRAD_HD float max_value<float>() { return 3.402823466e+38f; }
template <>
BIGRAD_HD double max_value<double>() { return 1.7976931348623157e+308; }

// +inf (labels of unreached cells; a sum that overflows the type ends there too).
template <typename T>
BIGRAD_HD T infinity() {
  return T(1) / T(0);
}

}  // namespace bigrad
