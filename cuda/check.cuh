// Error checking for CUDA runtime calls: failures become C++ exceptions
// (RuntimeError in Python) instead of silent corruption.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace bigrad {
namespace cuda {

inline void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(err));
}

constexpr int kThreadsPerBlock = 128;

inline unsigned blocks_for(int64_t n) { return unsigned((n + kThreadsPerBlock - 1) / kThreadsPerBlock); }

// Calls f(T()) with the value type of elem_size: float (4) or double (8).
template <typename F>
void with_value_type(int elem_size, F&& f) {
  if (elem_size == 4) {
    f(float());
  } else if (elem_size == 8) {
    f(double());
  } else {
    throw std::invalid_argument("elem_size must be 4 or 8");
  }
}

}  // namespace cuda
}  // namespace bigrad
