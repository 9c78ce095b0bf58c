// Batch parallelism for the CPU drivers.
//
// Instances are split into contiguous static chunks, one per thread, run on
// plain std::threads that exit when done. We deliberately do not use an
// OpenMP team here: torch runs its own OpenMP work in the same process, and
// with OpenMP's default active waiting the two kept spinning against each
// other (a training step measured 40x slower on 2 cores). Every instance is
// solved by the same sequential code, so results never depend on the thread
// count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace bigrad {

// Below this much work (in units of roughly one relaxation) a call stays on
// the calling thread: starting threads costs more than small batches.
constexpr double kMinParallelWork = 1 << 17;

int num_threads();           // threads the drivers may use (>= 1)
void set_num_threads(int n);  // n >= 1

// Calls body(b, scratch) for every instance b in [0, B). Each thread builds
// its scratch once with make(). work_per_item estimates the cost of one item.
template <typename Make, typename Body>
void for_each_instance(int64_t B, double work_per_item, Make make, Body body) {
  const int64_t by_work = int64_t(double(B) * work_per_item / kMinParallelWork);
  const int threads = int(std::max<int64_t>(1, std::min<int64_t>({int64_t(num_threads()), B, by_work})));
  auto run_chunk = [&](int t) {
    const int64_t lo = B * t / threads, hi = B * (t + 1) / threads;
    if (lo >= hi) return;
    auto scratch = make();
    for (int64_t b = lo; b < hi; ++b) body(b, scratch);
  };
  if (threads == 1) {
    run_chunk(0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (int t = 1; t < threads; ++t) pool.emplace_back(run_chunk, t);
  run_chunk(0);
  for (auto& th : pool) th.join();
}

}  // namespace bigrad
