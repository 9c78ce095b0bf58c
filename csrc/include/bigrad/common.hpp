// Shared definitions for the header-only per-instance kernels.
// Every kernel is a plain function over raw pointers, marked BIGRAD_HD so the
// same code runs in the CPU drivers (OpenMP over the batch) and in CUDA
// kernels (one thread per instance). Kernels never allocate: callers pass
// workspace.
#pragma once

#include <cstdint>

#if defined(__CUDACC__)
#define BIGRAD_HD __host__ __device__ __forceinline__
#else
#define BIGRAD_HD inline
#endif

namespace bigrad {

// Strided view of a per-instance workspace array. On the CPU each instance
// owns a contiguous block (stride 1); on the GPU instances are interleaved
// (element k of instance b lives at k * batch + b, stride = batch) so that
// neighbouring threads touch neighbouring addresses.
template <typename T>
struct Strided {
  T* ptr;
  int64_t stride;
  BIGRAD_HD T& operator[](int64_t i) const { return ptr[i * stride]; }
};

template <typename T>
BIGRAD_HD T max_value();
template <>
BIGRAD_HD float max_value<float>() { return 3.402823466e+38f; }
template <>
BIGRAD_HD double max_value<double>() { return 1.7976931348623157e+308; }

}  // namespace bigrad
