// Batch parallelism for the CPU drivers.
//
// One persistent pool of blocking workers, created on first use: workers sleep
// on a condition variable between calls (never spin), so they leave the cores
// to torch's OpenMP team in the same process. After fork() the child builds a
// fresh pool on first use (pthread_atfork).
//
// A call is split into many small chunks taken from a shared counter. In a
// long call (instances that may take long each) the calling thread does not
// compute while the pool works: it waits in short slices and polls the
// interrupt hook (Ctrl-C) so that the call can be cancelled within a fraction
// of a second; in a short call it takes chunks too, beside threads - 1 woken
// workers, and polls the hook between them. Once cancelled, the remaining chunks are skipped,
// and the per-instance kernels running stop early too (they poll the call's
// cancel_flag(), see bigrad/cancel.hpp). A long call goes to the pool even on
// one thread (or to a helper thread while the pool serves another call), so
// that the calling thread is free to poll even when one instance takes long.
// An exception thrown by a worker (std::bad_alloc included) cancels the call
// and is re-thrown on the calling thread. Small calls run inline on the
// calling thread, still checking the hook between chunks. Every instance is
// solved by the same sequential code, so results never depend on the thread
// count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>
#include <vector>

namespace bigrad {

// Below this much work (in units of roughly one relaxation) a call stays on
// the calling thread: handing work to the pool costs more than small batches.
constexpr double kMinParallelWork = 1 << 17;
// Work per chunk aimed at (~1 ms), so cancellation and load balance are prompt.
constexpr double kChunkWork = 1 << 20;
// At least this many chunks per thread (as many as there are items): in a call of
// a millisecond or two, a worker woken late or one slow chunk then idles the other
// threads for a small share of the call only.
constexpr int64_t kChunksPerThread = 32;
// From this much work per item on a call leaves the calling thread even on one
// thread, so that the caller can poll the hook while one long instance runs.
constexpr double kLongCallWork = 1 << 16;

int num_threads();            // threads the drivers may use (>= 1)
void set_num_threads(int n);  // n >= 1

// Thrown on the calling thread when the interrupt hook reported a pending
// signal; the hook has already set the Python error (KeyboardInterrupt).
struct Interrupted : std::exception {
  const char* what() const noexcept override { return "interrupted"; }
};

// Hook polled by the calling thread while native work runs; returns true when
// the call must stop. The bindings install one that checks Python's signals.
using InterruptHook = bool (*)();
void set_interrupt_hook(InterruptHook hook);

// True once the current call is cancelled (interrupt or a failed chunk); long
// per-item loops may poll it and return early (their output is discarded).
bool cancelled();

// The current call's cancel flag for kernels that take one (bigrad/cancel.hpp):
// non-zero once the call is cancelled; nullptr outside a call. Per thread: read
// it inside the body, not before the call.
const volatile int* cancel_flag();

// Runs chunk(c, participant) for c in [0, chunks) on `threads` participants
// (participant in [0, threads)); see the file comment for interrupts/errors.
// long_call: the call may take long (see kLongCallWork).
void run_chunks(int64_t chunks, int threads, const std::function<void(int64_t, int)>& chunk,
                bool long_call = false);

// Calls body(b, scratch) for every instance b in [0, B). Each participating
// thread builds its scratch once with make(). work_per_item estimates the cost
// of one item (in relaxations). items_poll: body() calls cancelled() every
// millisecond or so, which on the calling thread polls the hook too; then even
// a call of long items is not a long call: the caller computes beside
// threads - 1 workers, and Ctrl-C is still seen within its own item. That also
// spares a worker's wake-up: on a VM a second woken worker can start ms late.
template <typename Make, typename Body>
void for_each_instance(int64_t B, double work_per_item, Make make, Body body, bool items_poll = false) {
  if (B <= 0) return;
  const double total = double(B) * work_per_item;
  const int64_t by_work = int64_t(total / kMinParallelWork);
  const int threads = int(std::max<int64_t>(1, std::min<int64_t>({int64_t(num_threads()), B, by_work})));
  const int64_t chunks = std::max<int64_t>(
      1, std::min<int64_t>(B, std::max<int64_t>(int64_t(threads) * kChunksPerThread, int64_t(total / kChunkWork))));
  using Scratch = decltype(make());
  std::vector<std::optional<Scratch>> scratch(static_cast<size_t>(threads));
  run_chunks(
      chunks, threads,
      [&](int64_t c, int t) {
        if (!scratch[size_t(t)]) scratch[size_t(t)].emplace(make());
        const int64_t lo = B * c / chunks, hi = B * (c + 1) / chunks;
        for (int64_t b = lo; b < hi; ++b) body(b, *scratch[size_t(t)]);
      },
      !items_poll && work_per_item >= kLongCallWork);  // else: the hook polled between chunks (and in items)
}

}  // namespace bigrad
