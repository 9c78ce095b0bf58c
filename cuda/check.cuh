// Error checking for CUDA runtime calls: failures become C++ exceptions
// (RuntimeError in Python) instead of silent corruption.
#pragma once

#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace bigrad {
namespace cuda {

inline void check(cudaError_t err, const char* what) {
  if (err != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(err));
}

constexpr int kThreadsPerBlock = 128;

inline unsigned blocks_for(int64_t n) { return unsigned((n + kThreadsPerBlock - 1) / kThreadsPerBlock); }

}  // namespace cuda
}  // namespace bigrad
