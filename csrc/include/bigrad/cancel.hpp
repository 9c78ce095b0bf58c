// Cooperative cancellation of long per-instance kernels.
//
// A kernel that can run long takes `const volatile int* cancel = nullptr` as
// its last parameter and polls it every few thousand steps (a relaxed load:
// about free). Once *cancel is non-zero it stops early and says so in its
// result (each kernel documents how: a NaN cost, a flag); the caller then
// discards that result. The CPU drivers pass the flag of the current call
// (csrc/batch.hpp: cancel_flag()), which the calling thread sets when Python
// has a pending signal (Ctrl-C), so a single long instance stops within
// milliseconds. In device code the flag is never read (pass nullptr).
#pragma once

#include "bigrad/common.hpp"

namespace bigrad {

// Whether the caller asked the kernel to stop (false for nullptr, always false on the device).
BIGRAD_HD bool cancel_requested(const volatile int* cancel) {
#if defined(__CUDA_ARCH__)
  (void)cancel;
  return false;
#elif defined(__GNUC__) || defined(__clang__)
  return cancel != nullptr && __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0;
#else
  return cancel != nullptr && *cancel != 0;
#endif
}

}  // namespace bigrad
